import { randomUUID } from 'node:crypto';
import type { EpochMs } from '../../domain/time/epoch';
import type { AuditEntry } from '../../ports/audit-log';
import type { Item } from './item-codec';
import { Keys } from './table-keys';

/**
 * Tie-break for audit entries with the same `at`: the host's monotonic clock (nanoseconds, padded so
 * lexical order is numeric order) keeps entries of one writer in write order, as the memory store
 * does; the random suffix keeps keys unique across writers.
 */
function writeOrderTag(): string {
  return `${process.hrtime.bigint().toString().padStart(20, '0')}-${randomUUID().slice(0, 8)}`;
}

/**
 * The item of one audit entry in the `AUDIT` partition. Shared by every table section that audits
 * its changes (control flags, strategy settings), so each can put the entry in the same transaction
 * as the change it records.
 */
export function auditItem(entry: AuditEntry): Item {
  return {
    ...Keys.audit(entry.at, writeOrderTag()),
    type: 'audit',
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    details: { ...entry.details },
  };
}

/** An audit item as read back. */
export function auditFromItem(item: Item): AuditEntry {
  return {
    at: item.at as EpochMs,
    actor: String(item.actor),
    action: String(item.action),
    details: (item.details ?? {}) as AuditEntry['details'],
  };
}
