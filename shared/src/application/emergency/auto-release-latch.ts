import {
  type AutoReleaseVerdict,
  autoReleaseVerdict,
  type TriggerSeen,
} from '../../domain/risk/auto-release';
import type { LossStatus } from '../../domain/risk/loss-ledger';
import type { ReleasePolicy } from '../../domain/risk/risk-limits';
import { type EmergencyLatch, EmergencyTrigger, type LatchRelease } from '../../domain/trading/emergency';
import type { AuditLog } from '../../ports/audit-log';
import { releaseAlert } from './emergency-alerts';
import type { EmergencyDeps } from './trigger-emergency';

/** Audit actions that record a trigger firing (set, escalated or unchanged). */
export const TRIGGER_AUDIT_ACTIONS: ReadonlySet<string> = new Set(['emergency_trigger', 'loss_limit_breach']);

/** Audit entries read when reconstructing what fired during a latch; beyond it the answer is "unknown". */
const HISTORY_WINDOW = 500;

/** The actor recorded for automatic releases. */
export const AUTO_RELEASE_ACTOR = 'system:auto-release';

const TRIGGERS: ReadonlySet<string> = new Set(Object.values(EmergencyTrigger));

/**
 * Every trigger the audit log shows since the latch was set (including the one that set it), and
 * whether the log was read back far enough to be sure nothing is missing.
 */
export async function triggersSinceLatch(
  audit: Pick<AuditLog, 'listAudit'>,
  latch: EmergencyLatch,
): Promise<{ readonly seen: readonly TriggerSeen[]; readonly complete: boolean }> {
  const entries = await audit.listAudit({ limit: HISTORY_WINDOW });
  const seen: TriggerSeen[] = [];
  let complete = entries.length < HISTORY_WINDOW;
  for (const e of entries) {
    if (e.at < latch.at) {
      complete = true;
      break;
    }
    if (!TRIGGER_AUDIT_ACTIONS.has(e.action)) continue;
    const trigger = e.details.trigger;
    if (typeof trigger !== 'string' || !TRIGGERS.has(trigger)) continue;
    const periodKey = e.details.periodKey;
    seen.push({
      trigger: trigger as EmergencyTrigger,
      ...(typeof periodKey === 'string' ? { periodKey } : {}),
    });
  }
  return { seen, complete };
}

/** What the roll-over check decided. */
export interface AutoReleaseResult {
  readonly verdict: AutoReleaseVerdict;
  readonly released: boolean;
}

/**
 * Applies the period roll-over rule (domain `autoReleaseVerdict`) to the stored latch and, when it
 * says so, releases it as {@link AUTO_RELEASE_ACTOR} with the reason in the audit log and an alert.
 * Called by the scheduled loss check with the loss status of the new period.
 */
export async function autoReleaseLatch(
  deps: Pick<EmergencyDeps, 'store' | 'notifier' | 'clock'>,
  latch: EmergencyLatch,
  status: LossStatus,
  policy: ReleasePolicy,
): Promise<AutoReleaseResult> {
  const now = deps.clock.now();
  const history = await triggersSinceLatch(deps.store, latch);
  const verdict = autoReleaseVerdict(latch, now, policy, status, history.seen, history.complete);
  if (!verdict.release) return { verdict, released: false };
  const release: LatchRelease = { actor: AUTO_RELEASE_ACTOR, reason: verdict.reason, at: now };
  // Conditional on the latch the verdict was computed for: a trigger that re-latched or escalated
  // since then must be judged on its own, never cleared by this verdict.
  if ((await deps.store.releaseEmergency(release, latch)) !== 'released') return { verdict, released: false };
  await deps.notifier.notify(releaseAlert(latch, release)).catch(() => undefined);
  return { verdict, released: true };
}
