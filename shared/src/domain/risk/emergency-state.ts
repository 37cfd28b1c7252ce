import type { EpochMs } from '../time/epoch';
import { kstPeriodKey, type LossPeriod } from '../time/kst-calendar';
import type { EmergencyLatch, EmergencyTrigger, LatchRelease, TradingState } from '../trading/emergency';
import type { EmergencyPolicy, ReleasePolicy } from './risk-limits';

/** Trading state implied by the (possibly absent) latch. */
export function tradingStateOf(latch: EmergencyLatch | undefined): TradingState {
  return latch === undefined ? 'running' : latch.state;
}

/**
 * Whether a state lets an order through. `reducing` admits only orders that cannot add risk (spot
 * sells of holdings); `halted` admits nothing, not even exits, because the system no longer trusts
 * its own view (invariant failure, exchange trouble).
 */
export function stateAllows(state: TradingState, riskReducing: boolean): boolean {
  return state === 'running' || (state === 'reducing' && riskReducing);
}

/** A request to latch: the state comes from the policy unless the caller (an operator) names one. */
export interface TriggerRequest {
  readonly trigger: EmergencyTrigger;
  readonly reason: string;
  readonly actor: string;
  readonly at: EpochMs;
  readonly state?: 'reducing' | 'halted';
}

/** The latch a trigger asks for. */
export function latchFor(request: TriggerRequest, policy: EmergencyPolicy): EmergencyLatch {
  if (request.actor.trim() === '' || request.reason.trim() === '')
    throw new RangeError('an emergency trigger needs an actor and a reason');
  return {
    state: request.state ?? policy.stateFor[request.trigger],
    trigger: request.trigger,
    reason: request.reason,
    actor: request.actor,
    at: request.at,
  };
}

/** Outcome of latching, as the control store reports it. */
export type LatchTransition =
  | { readonly outcome: 'set' | 'escalated'; readonly latch: EmergencyLatch }
  | { readonly outcome: 'unchanged'; readonly latch: EmergencyLatch };

/**
 * The latch rule every store implements: set if absent; an existing latch keeps its first trigger
 * and reason and may only move `reducing` → `halted`. Never clears: only {@link releaseLatch} does.
 */
export function applyTrigger(
  current: EmergencyLatch | undefined,
  requested: EmergencyLatch,
): LatchTransition {
  if (current === undefined) return { outcome: 'set', latch: requested };
  if (current.state === 'reducing' && requested.state === 'halted')
    return { outcome: 'escalated', latch: { ...current, state: 'halted' } };
  return { outcome: 'unchanged', latch: current };
}

/** Why a release was refused. */
export type ReleaseRefusal = 'not_latched' | 'missing_actor' | 'missing_reason';

/**
 * Clears a latch. Requires a named actor and a reason (the audit trail must say who lifted a stop and
 * why); authentication of the actor is the caller's job and happens before this is reached.
 */
export function releaseLatch(
  current: EmergencyLatch | undefined,
  release: LatchRelease,
):
  | { readonly ok: true; readonly released: EmergencyLatch }
  | { readonly ok: false; readonly refusal: ReleaseRefusal } {
  if (current === undefined) return { ok: false, refusal: 'not_latched' };
  if (release.actor.trim() === '') return { ok: false, refusal: 'missing_actor' };
  if (release.reason.trim() === '') return { ok: false, refusal: 'missing_reason' };
  return { ok: true, released: current };
}

const PERIOD_OF_TRIGGER: Partial<Record<EmergencyTrigger, LossPeriod>> = {
  instant_drop: 'day',
  daily_loss: 'day',
  weekly_loss: 'week',
  monthly_loss: 'month',
};

/** The KST period a loss trigger is measured over (the instant drop uses the day's ledger). */
export function lossPeriodOf(trigger: EmergencyTrigger): LossPeriod | undefined {
  return PERIOD_OF_TRIGGER[trigger];
}

/** Whether the release policy lets a latch of this trigger lift itself once its period is over. */
export function autoReleaseAllowed(trigger: EmergencyTrigger, policy: ReleasePolicy): boolean {
  switch (trigger) {
    case 'instant_drop':
      return policy.instantDropAutoRelease;
    case 'daily_loss':
      return policy.dailyAutoRelease;
    case 'weekly_loss':
      return policy.weeklyAutoRelease;
    case 'monthly_loss':
      return policy.monthlyAutoRelease;
    default:
      return false;
  }
}

/**
 * True when a loss-limit latch may lift itself at `now`: its period is over (a new KST day/week/
 * month has begun) and the policy allows auto-release for that trigger. Manual, invariant and
 * exchange triggers always need an operator. The caller must also make sure no limit is breached in
 * the new period and nothing else fired meanwhile (see auto-release.ts) before releasing.
 */
export function autoReleaseDue(latch: EmergencyLatch, now: EpochMs, policy: ReleasePolicy): boolean {
  const period = lossPeriodOf(latch.trigger);
  if (period === undefined || !autoReleaseAllowed(latch.trigger, policy)) return false;
  return kstPeriodKey(period, now) !== kstPeriodKey(period, latch.at);
}

/**
 * True when enough fatal exchange errors fell inside the sliding window to trip the stop (one auth
 * error can be a blip; several in minutes means keys revoked, an IP ban or a venue outage).
 */
export function fatalErrorsTrip(
  errorTimes: readonly EpochMs[],
  now: EpochMs,
  policy: EmergencyPolicy,
): boolean {
  let count = 0;
  for (const t of errorTimes) if (t <= now && now - t < policy.fatalErrorWindowMs) count += 1;
  return count >= policy.fatalErrorThreshold;
}
