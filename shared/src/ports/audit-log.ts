import type { EpochMs } from '../domain/time/epoch';

/** One audited event: who did what, when, and the details (never secrets). */
export interface AuditEntry {
  readonly at: EpochMs;
  readonly actor: string;
  readonly action: string;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

/** Append-only audit trail (operator commands, latch changes, releases), newest first when listed. */
export interface AuditLog {
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(options: { readonly limit: number }): Promise<AuditEntry[]>;
}
