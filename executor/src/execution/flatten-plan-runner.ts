import type { OrderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import { planFlatten } from '../../../shared/src/domain/risk/flatten-plan';
import { isDust } from '../../../shared/src/domain/risk/position-accounting';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import { isFinalState } from '../orders/order-lifecycle';
import { type ExecutionPlan, Leg, type PlanDeps, STRAY_REASON } from './plan-support';

/** A flatten decision sells at most this many IOC attempts before giving up until the next decision. */
const MAX_FLATTEN_ATTEMPTS = 5;

/**
 * Executes a `flatten` decision (stop-loss / take-profit exits, operator closes): cancels the
 * strategy's working orders in the market (their locked coins become sellable), then sells the
 * strategy's whole holding with marketable IOC limits priced by the shared flatten plan (best bid ×
 * (1 − slippage guard) rounded up, capped at the depth the fat-finger check accepts), repeating while
 * the book absorbs less than the holding, until dust remains or the decision expires.
 */
export class FlattenPlan implements ExecutionPlan {
  readonly kind = 'flatten';
  readonly #deps: PlanDeps;
  readonly #leg: Leg;
  #done = false;

  constructor(
    deps: PlanDeps,
    readonly decision: Decision,
    prior: readonly { order: LocalOrder; attempt: number }[],
    private readonly cancelOthers: (decision: Decision) => Promise<void>,
  ) {
    this.#deps = deps;
    this.#leg = new Leg(decision, 0);
    for (const p of prior) this.#leg.adopt(p.order, p.attempt);
  }

  get done(): boolean {
    return this.#done;
  }

  working(): OrderIdentifier[] {
    return this.#leg.working === undefined ? [] : [this.#leg.working];
  }

  owns(identifier: OrderIdentifier): boolean {
    return this.#leg.owns(identifier);
  }

  strays(): OrderIdentifier[] {
    return this.#leg.strays().map((o) => o.identifier);
  }

  async step(): Promise<void> {
    if (this.#done) return;
    const d = this.#deps;
    const now = d.clock.now();
    if (now >= this.decision.expiresAt) return this.finish('decision expired', true);
    const working = this.#leg.refresh(d.tracker);
    if (this.#leg.strays().length > 0 && !(await this.#leg.cancelStrays(d, STRAY_REASON))) return;
    if (working !== undefined) {
      d.tracker.requestSync(working.identifier);
      return;
    }
    if (this.#leg.orders.size >= MAX_FLATTEN_ATTEMPTS) return this.finish('attempts used up', false);
    if (now - this.#leg.lastPlacedAt < d.settings.repriceMinIntervalMs) return;
    const position = await d.store.getPosition(this.decision.market, this.decision.strategy);
    if (position === undefined || isDust(position, d.limits.dustThreshold)) return this.finish('flat', false);
    await this.cancelOthers(this.decision);
    const book = d.market.book(this.decision.market);
    const plan = planFlatten(
      [position],
      book === undefined ? new Map() : new Map([[this.decision.market, book]]),
      d.limits,
      d.rules,
      now,
    );
    const [order] = plan.orders;
    if (order === undefined) {
      const why = plan.skipped[0]?.reason ?? 'nothing to sell';
      if (why === 'no_book') return;
      return this.finish(why, false);
    }
    d.budget.spend();
    const out = await this.#leg.place(d, order.draft);
    if (out === undefined) return this.finish('no attempt numbers left', false);
    if (out.result === 'refused') return this.finish(out.reason, false);
    if (isFinalState(out.order.state)) this.#leg.lastPlacedAt = now;
  }

  async finish(reason: string, cancel: boolean): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    if (cancel) await this.#leg.cancelWorking(this.#deps, reason).catch(() => false);
    await this.#leg.cancelStrays(this.#deps, reason);
    this.#deps.logger.info('flatten finished', {
      decisionId: this.decision.id,
      market: this.decision.market,
      reason,
    });
  }
}
