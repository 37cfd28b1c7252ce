import type { OrderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import { isFinalState } from '../orders/order-lifecycle';
import { describeError } from '../runtime/periodic';
import type { ExecutionPlan, PlanDeps } from './plan-support';

/** How long a failed or unconfirmed cancel of an orphan waits before it is sent again. */
export const ORPHAN_RETRY_MS = 5_000;

/**
 * Orders of this system that must not rest: late requests reconciliation took back (a decision
 * spends its budget once, so an attempt it had given up on and replaced is never worked again,
 * whether its plan still runs, ended, expired, was superseded, was stopped by the emergency latch,
 * or is not resumed yet after a restart), and strays a plan could not cancel before it ended. Each
 * is cancelled at once and, until the venue confirms, again every {@link ORPHAN_RETRY_MS} (the
 * cadence of the latch's failed cancels). A cancel never places anything: allowed under the latch.
 */
export class OrphanOrders {
  /** Identifier → when its cancel is due again. */
  readonly #due = new Map<OrderIdentifier, number>();

  constructor(private readonly d: Pick<PlanDeps, 'manager' | 'tracker' | 'clock' | 'logger'>) {}

  /** Orphans whose cancel the venue has not confirmed yet. */
  pending(): OrderIdentifier[] {
    return [...this.#due.keys()];
  }

  /**
   * Cancels a late request that reconciliation took back, at once (before anything can fill it
   * while a plan step is still to come), and says what was done, for the alert. `owner` is the kind
   * of its decision's running plan that owns its leg (its fills count there; the plan also retries
   * the cancel as a stray), undefined when none runs (retried here until the venue confirms).
   */
  async revived(order: LocalOrder, owner: ExecutionPlan['kind'] | undefined): Promise<string> {
    const counted =
      owner === undefined
        ? 'its decision has no running plan'
        : `its fills count against its decision's running ${owner} plan`;
    if (isFinalState(order.state))
      return owner === undefined
        ? `already ${order.state} on the exchange; its fills are booked (its decision had ended: it may have traded beyond its notional)`
        : `already ${order.state} on the exchange; ${counted}`;
    const after = await this.cancel(
      order.identifier,
      `late request of decision ${order.decisionId} (${counted})`,
    );
    if (after === undefined || !isFinalState(after.state))
      return `cancel requested (${counted}); retried until the exchange confirms`;
    const filled = after.executedVolume.gt(0)
      ? `; ${after.executedVolume.toFixed()} filled before the cancel`
      : '';
    return `cancelled (${counted})${filled}`;
  }

  /** Cancels `identifier` now; keeps it for retries unless the order is final afterwards. Never throws. */
  async cancel(identifier: OrderIdentifier, reason: string): Promise<LocalOrder | undefined> {
    const d = this.d;
    d.logger.warn('cancelling an order no running plan owns', { identifier, reason });
    let after: LocalOrder | undefined;
    try {
      after = await d.manager.cancel(identifier, reason);
    } catch (error) {
      d.logger.warn('could not cancel an orphan order; retried', {
        identifier,
        retryInMs: ORPHAN_RETRY_MS,
        error: describeError(error),
      });
    }
    if (after !== undefined && isFinalState(after.state)) this.#due.delete(identifier);
    else this.#due.set(identifier, d.clock.now() + ORPHAN_RETRY_MS);
    return after;
  }

  /** Sends the cancels that are due again; forgets orphans the tracker shows final. */
  async retryDue(): Promise<void> {
    const now = this.d.clock.now();
    for (const [identifier, due] of [...this.#due]) {
      const latest = this.d.tracker.get(identifier);
      if (latest !== undefined && isFinalState(latest.state)) {
        this.#due.delete(identifier);
        continue;
      }
      if (now >= due) await this.cancel(identifier, 'retrying the cancel of an order no running plan owns');
    }
  }
}
