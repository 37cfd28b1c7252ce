import { isTradingError } from '../../domain/errors/trading-error';
import type { OrderbookSnapshot } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import { pendingLocalOrder } from '../../domain/orders/local-order';
import { latchFor } from '../../domain/risk/emergency-state';
import { type FlattenOrder, type FlattenSkip, planFlatten } from '../../domain/risk/flatten-plan';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import type { EpochMs } from '../../domain/time/epoch';
import type { EmergencyLatch, EmergencyTrigger } from '../../domain/trading/emergency';
import type { Clock } from '../../ports/clock';
import type { LatchOutcome } from '../../ports/control-store';
import type { Notifier } from '../../ports/notifier';
import type { StateStore } from '../../ports/state-store';
import type { TradingVenue } from '../../ports/trading-venue';
import { emergencyAlert } from './emergency-alerts';

/** Ports the emergency use cases need. */
export interface EmergencyDeps {
  readonly store: Pick<
    StateStore,
    | 'getControl'
    | 'latchEmergency'
    | 'releaseEmergency'
    | 'appendAudit'
    | 'listAudit'
    | 'listPositions'
    | 'createOrder'
    | 'updateOrder'
  >;
  /**
   * The exchange, where the caller holds the keys (the executor). Absent in the cloud functions:
   * they latch and alert, and ask the executor over the control queue to cancel and flatten.
   */
  readonly venue?: Pick<TradingVenue, 'listOpenOrders' | 'cancelOrder' | 'placeOrder'>;
  readonly notifier: Notifier;
  readonly clock: Pick<Clock, 'now'>;
}

/** A request to stop trading. */
export interface TriggerEmergencyInput {
  readonly trigger: EmergencyTrigger;
  readonly reason: string;
  /** Who asked: an operator name, or `system:<component>` for automatic triggers. */
  readonly actor: string;
  /** Overrides the policy's state for this trigger (an operator may ask for `halted` directly). */
  readonly state?: 'reducing' | 'halted';
  /** KST period key of a loss-limit breach, audited so the auto-release rule knows which period it was. */
  readonly periodKey?: string;
  /** Overrides `limits.emergency.flattenOnTrigger` (close-all-positions sets it). */
  readonly flatten?: boolean;
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
  /** Latest books of held markets, needed to price flattening sells. */
  readonly books?: ReadonlyMap<Market, OrderbookSnapshot>;
}

/** Why flattening did not run (`delegated`: no venue here, the executor does it on the control command). */
export type FlattenNotRun = 'not_requested' | 'halted' | 'delegated';

/** Everything the trigger did; nothing in it is thrown, so one failing step never hides the others. */
export interface TriggerEmergencyResult {
  readonly outcome: LatchOutcome;
  readonly latch: EmergencyLatch;
  readonly cancelled: readonly string[];
  readonly cancelFailures: readonly { readonly uuid: string; readonly error: string }[];
  readonly flatten:
    | { readonly ran: false; readonly why: FlattenNotRun }
    | {
        readonly ran: true;
        readonly placed: readonly string[];
        readonly failures: readonly { readonly identifier: string; readonly error: string }[];
        readonly skipped: readonly FlattenSkip[];
      };
  readonly alerted: boolean;
  /** Set when there was no venue: cancelling (and flattening) is the executor's, on a control command. */
  readonly delegated?: true;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Venue = NonNullable<EmergencyDeps['venue']>;

/**
 * Cancels every open order on the venue once (an order already gone is not a failure); a failed
 * listing or cancel is reported, not retried: the executor sweeps again while latched.
 */
export async function cancelAllOpenOrders(
  venue: Venue,
): Promise<Pick<TriggerEmergencyResult, 'cancelled' | 'cancelFailures'>> {
  const cancelled: string[] = [];
  const cancelFailures: { uuid: string; error: string }[] = [];
  let open: Awaited<ReturnType<Venue['listOpenOrders']>>;
  try {
    open = await venue.listOpenOrders();
  } catch (error) {
    return { cancelled, cancelFailures: [{ uuid: '*', error: message(error) }] };
  }
  for (const order of open) {
    try {
      await venue.cancelOrder({ uuid: order.uuid });
      cancelled.push(order.uuid);
    } catch (error) {
      // Already done or cancelled in the meantime: nothing left to cancel.
      if (isTradingError(error, 'rejected') && error.code === 'order_not_found') continue;
      cancelFailures.push({ uuid: order.uuid, error: message(error) });
    }
  }
  return { cancelled, cancelFailures };
}

/**
 * Sends one flattening sell the crash-safe way: stored `pending`, marked `submitted` before the
 * request, given its uuid after. Fills are then booked by the executor's reconciliation like any
 * other order's. An identifier already stored means this minute's plan already went out: skipped.
 */
async function sendFlattenOrder(
  deps: EmergencyDeps,
  venue: Venue,
  f: FlattenOrder,
  at: EpochMs,
): Promise<boolean> {
  const local = pendingLocalOrder(f, at);
  if ((await deps.store.createOrder(local)) === 'exists') return false;
  const submitted = await deps.store.updateOrder({ ...local, state: 'submitted' }, 1);
  try {
    const placed = await venue.placeOrder({ ...f.draft, identifier: f.identifier });
    await deps.store.updateOrder({ ...submitted, uuid: placed.uuid }, submitted.version);
  } catch (error) {
    if (isTradingError(error, 'rejected'))
      await deps.store.updateOrder({ ...submitted, state: 'rejected' }, submitted.version);
    throw error;
  }
  return true;
}

async function flattenAll(
  deps: EmergencyDeps,
  venue: Venue,
  input: TriggerEmergencyInput,
  at: EpochMs,
): Promise<TriggerEmergencyResult['flatten']> {
  const positions = await deps.store.listPositions();
  const plan = planFlatten(positions, input.books ?? new Map(), input.limits, input.rules, at);
  const placed: string[] = [];
  const failures: { identifier: string; error: string }[] = [];
  for (const order of plan.orders) {
    try {
      if (await sendFlattenOrder(deps, venue, order, at)) placed.push(order.identifier);
    } catch (error) {
      failures.push({ identifier: order.identifier, error: message(error) });
    }
  }
  return { ran: true, placed, failures, skipped: plan.skipped };
}

/**
 * Trips the emergency stop. Order matters: the latch is persisted FIRST (so every process refuses new
 * risk even if the rest fails), then all open orders are cancelled, then — only when asked and only
 * when the latch is `reducing` — holdings are sold with marketable IOC limits inside the slippage
 * guard (a `halted` system no longer trusts its own view, so it does not trade at all), then the
 * operator is alerted (Korean and English) when the latch was set or escalated. Every request is
 * audited, including repeats that leave the latch unchanged, because the auto-release rule must know
 * everything that fired while latched. Idempotent: running it again cancels what is still open.
 */
export async function triggerEmergency(
  deps: EmergencyDeps,
  input: TriggerEmergencyInput,
): Promise<TriggerEmergencyResult> {
  const at = deps.clock.now();
  const requested = latchFor(
    {
      trigger: input.trigger,
      reason: input.reason,
      actor: input.actor,
      at,
      ...(input.state === undefined ? {} : { state: input.state }),
    },
    input.limits.emergency,
  );
  const { outcome, latch } = await deps.store.latchEmergency(requested);
  await deps.store.appendAudit({
    at,
    actor: input.actor,
    action: 'emergency_trigger',
    details: {
      trigger: input.trigger,
      reason: input.reason,
      outcome,
      state: latch.state,
      periodKey: input.periodKey ?? null,
    },
  });
  const venue = deps.venue;
  const cancel =
    venue === undefined ? { cancelled: [], cancelFailures: [] } : await cancelAllOpenOrders(venue);
  const wantFlatten = input.flatten ?? input.limits.emergency.flattenOnTrigger;
  const flatten: TriggerEmergencyResult['flatten'] = !wantFlatten
    ? { ran: false, why: 'not_requested' }
    : latch.state === 'halted'
      ? { ran: false, why: 'halted' }
      : venue === undefined
        ? { ran: false, why: 'delegated' }
        : await flattenAll(deps, venue, input, at);
  let alerted = false;
  if (outcome !== 'unchanged') {
    const summary = {
      cancelled: cancel.cancelled.length,
      cancelFailures: cancel.cancelFailures.length,
      flattenOrders: flatten.ran ? flatten.placed.length : 0,
      flattenFailures: flatten.ran ? flatten.failures.length : 0,
      ...(venue === undefined ? { delegated: { flatten: !flatten.ran && flatten.why === 'delegated' } } : {}),
    };
    try {
      await deps.notifier.notify(emergencyAlert(latch, outcome === 'escalated', summary));
      alerted = true;
    } catch {
      // The latch is set and audited; a lost alert must not undo or hide that.
    }
  }
  return { outcome, latch, ...cancel, flatten, alerted, ...(venue === undefined ? { delegated: true } : {}) };
}
