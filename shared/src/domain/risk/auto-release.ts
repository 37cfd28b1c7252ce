import type { EpochMs } from '../time/epoch';
import { kstPeriodKey, type LossPeriod } from '../time/kst-calendar';
import type { EmergencyLatch, EmergencyTrigger } from '../trading/emergency';
import { autoReleaseAllowed, autoReleaseDue, lossPeriodOf } from './emergency-state';
import type { LossStatus } from './loss-status';
import type { ReleasePolicy } from './risk-limits';

/** A trigger that fired while the latch was already set (from the audit trail), with its loss period. */
export interface TriggerSeen {
  readonly trigger: EmergencyTrigger;
  /** KST period key of a loss-limit breach; absent for other triggers. */
  readonly periodKey?: string;
}

/** Whether the latch may lift itself now, and if not, why (for logs and the dashboard). */
export type AutoReleaseVerdict =
  | { readonly release: true; readonly reason: string }
  | {
      readonly release: false;
      readonly why: 'not_due' | 'still_breached' | 'other_trigger' | 'history_unknown';
    };

/**
 * The period roll-over rule. A latch lifts itself only when (1) it was set by a loss limit whose
 * period has ended and whose auto-release is configured (daily by default; weekly and monthly need
 * an operator unless configured), (2) no limit is breached in the new period, and (3) nothing else
 * fired while it was latched: a manual stop, an instant drop, an invariant or exchange failure, or a
 * loss limit that may not auto-release (or whose period has not ended) keeps it set. The latch keeps
 * only its first trigger, so the caller passes what else fired from the audit trail; when that
 * history could not be read completely (`historyComplete` false) the answer is no (fail closed).
 */
export function autoReleaseVerdict(
  latch: EmergencyLatch,
  now: EpochMs,
  policy: ReleasePolicy,
  status: LossStatus,
  seen: readonly TriggerSeen[],
  historyComplete: boolean,
): AutoReleaseVerdict {
  if (!autoReleaseDue(latch, now, policy)) return { release: false, why: 'not_due' };
  if (status.breaches.length > 0) return { release: false, why: 'still_breached' };
  if (!historyComplete) return { release: false, why: 'history_unknown' };
  for (const s of seen) {
    const period = lossPeriodOf(s.trigger);
    if (period === undefined || !autoReleaseAllowed(s.trigger, policy))
      return { release: false, why: 'other_trigger' };
    if (s.periodKey === undefined || s.periodKey === kstPeriodKey(period, now))
      return { release: false, why: 'other_trigger' };
  }
  const period = lossPeriodOf(latch.trigger) as LossPeriod;
  return {
    release: true,
    reason: `${latch.trigger} latch of ${kstPeriodKey(period, latch.at)} released automatically: the KST ${period} rolled over to ${kstPeriodKey(period, now)} and no limit is breached`,
  };
}
