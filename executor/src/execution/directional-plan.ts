import { Decimal, ZERO } from '../../../shared/src/domain/money/decimal';
import { floorVolume, type Price, type Volume, volume } from '../../../shared/src/domain/money/quantities';
import type { OrderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import type { OrderDraft } from '../../../shared/src/domain/orders/order-types';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Decision, DecisionIntent } from '../../../shared/src/domain/trading/decision';
import type { PlaceOutcome } from '../orders/place-outcome';
import { type ExecutionPlan, Leg, type PlanDeps, STRAY_REASON } from './plan-support';
import {
  edgeShortfall,
  makerPrice,
  marketablePrice,
  type Touch,
  tickContext,
  volumeForBudget,
} from './pricing';

type Directional = Extract<DecisionIntent, { kind: 'directional' }>;

/** The one leg a directional decision trades on; re-prices and the escalation are its attempts. */
export const DIRECTIONAL_LEG = 0;

/**
 * Executes a directional decision maker-first: a post-only limit joining the best price on its side
 * (never crossing, within the decision's limit), cancelled and re-placed as the book moves (at most
 * once per `repriceMinIntervalMs`, each re-price a new attempt number); when the decision is
 * `aggressive`, or its maker window ran out and `escalatePassive` is on, one marketable limit IOC
 * priced inside the slippage guard takes what is left (never an unbounded market order). Buys spend
 * at most the decision's notional; sells sell at most notional / bid of what the strategy holds.
 * Buys whose expected edge does not cover round-trip fees are skipped. The plan ends when filled,
 * at the decision's expiry, after the escalation, or when the risk engine refuses.
 */
export class DirectionalPlan implements ExecutionPlan {
  readonly kind = 'directional';
  readonly #deps: PlanDeps;
  readonly #intent: Directional;
  readonly #leg: Leg;
  readonly #makerDeadline: number;
  #sellTarget: Volume | undefined;
  #escalated = false;
  #done = false;

  constructor(
    deps: PlanDeps,
    readonly decision: Decision,
    receivedAt: EpochMs,
    prior: readonly { order: LocalOrder; attempt: number }[],
  ) {
    if (decision.intent.kind !== 'directional') throw new Error(`decision ${decision.id} is not directional`);
    this.#deps = deps;
    this.#intent = decision.intent;
    this.#leg = new Leg(decision, DIRECTIONAL_LEG);
    for (const p of prior) this.#leg.adopt(p.order, p.attempt);
    this.#escalated = prior.some((p) => p.order.draft.timeInForce === 'ioc');
    this.#makerDeadline = Math.min(decision.expiresAt, receivedAt + deps.settings.makerWindowMs);
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

  /** Sizing that needs the store (a sell's holding) and the fee check of a buy; ends the plan when there is nothing to do. */
  async init(): Promise<void> {
    const touch = this.#deps.market.touch(this.decision.market);
    if (this.#intent.side === 'bid') {
      if (touch === undefined || this.#leg.orders.size > 0) return;
      const edge =
        this.#intent.takeProfitPct === undefined
          ? this.#deps.limits.takeProfit
          : new Decimal(this.#intent.takeProfitPct).div(100);
      const shortfall = edgeShortfall({
        expectedEdge: edge,
        taker: this.#intent.urgency === 'aggressive',
        touch,
        rules: this.#deps.rules,
        minEdge: this.#deps.settings.minEdge,
      });
      if (shortfall !== undefined) await this.finish(`skipped (fee-aware): ${shortfall}`, false);
      return;
    }
    const position = await this.#deps.store.getPosition(this.decision.market, this.decision.strategy);
    const held = position?.volume ?? volume(ZERO);
    const bid = touch?.bid;
    const wanted =
      bid === undefined || !bid.gt(0) ? held : floorVolume(volume(this.#intent.notional.div(bid)));
    // What this decision already sold counts against the holding it saw (a resume after a restart).
    this.#sellTarget = floorVolume(volume(Decimal.min(wanted, held.plus(this.#leg.executed().volume))));
    if (this.#sellTarget.isZero())
      await this.finish(`nothing to sell: ${this.decision.strategy} holds no ${this.decision.market}`, false);
  }

  async step(): Promise<void> {
    if (this.#done) return;
    const d = this.#deps;
    const now = d.clock.now();
    const working = this.#leg.refresh(d.tracker);
    // A late request taken back by reconciliation: cancelled before anything else is sent, so the
    // leg never has two attempts resting for one budget.
    if (this.#leg.strays().length > 0 && !(await this.#leg.cancelStrays(d, STRAY_REASON))) {
      // The stray still rests (its cancel failed): the working attempt must not rest beside it for
      // the same budget, so it is pulled now — a different cancel, which may well succeed.
      if (working !== undefined && this.#overCommitted())
        await this.#pullWorking(working).catch(() => undefined);
      if (now >= this.decision.expiresAt) return this.finish('decision expired', true);
      return;
    }
    if (working !== undefined && (working.state === 'pending' || working.state === 'submitted')) {
      d.tracker.requestSync(working.identifier);
      if (now < this.decision.expiresAt) return;
    }
    if (now >= this.decision.expiresAt) return this.finish('decision expired', true);
    if (working !== undefined && this.#overCommitted()) {
      // Only fills of a stray (a late attempt that traded before it was cancelled) get here: the
      // working attempt is pulled and the next one is sized from what is left.
      await this.#pullWorking(working);
      return;
    }
    const touch = d.market.touch(this.decision.market);
    if (touch === undefined) return;
    if (!this.#enoughLeft(touch)) return this.finish('complete', true);
    const taker =
      this.#intent.urgency === 'aggressive' || (now >= this.#makerDeadline && d.settings.escalatePassive);
    if (!taker && now >= this.#makerDeadline) return this.finish('maker window over', true);
    if (taker) return this.#escalate(touch);
    return this.#rest(touch, working);
  }

  async finish(reason: string, cancel: boolean): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    if (cancel) await this.#leg.cancelWorking(this.#deps, reason).catch(() => false);
    // Strays are cancelled whatever `cancel` says: no plan works them after this one.
    await this.#leg.cancelStrays(this.#deps, reason);
    const executed = this.#leg.executed();
    this.#deps.logger.info('decision finished', {
      decisionId: this.decision.id,
      market: this.decision.market,
      reason,
      executedVolume: executed.volume.toFixed(),
      executedFunds: executed.funds.toFixed(),
      orders: this.#leg.orders.size,
    });
  }

  /** Cancels the working attempt because, with the stray's fills or live remainder, it would over-spend. */
  async #pullWorking(working: LocalOrder): Promise<void> {
    const executed = this.#leg.executed();
    this.#deps.logger.warn('the working attempt would take the decision over its budget; cancelling it', {
      decisionId: this.decision.id,
      identifier: working.identifier,
      executedFunds: executed.funds.toFixed(),
      executedVolume: executed.volume.toFixed(),
    });
    await this.#leg.cancelWorking(
      this.#deps,
      'the decision would over-spend (a late attempt filled or still rests)',
    );
  }

  /**
   * Whether the leg's fills plus what its live attempts may still fill exceed the decision: its
   * notional for a buy (at the attempts' limit prices), its sell target for a sell.
   */
  #overCommitted(): boolean {
    const executed = this.#leg.executed();
    const open = this.#leg.openRemainder();
    if (this.#intent.side === 'bid') return executed.funds.plus(open.funds).gt(this.#intent.notional);
    return this.#sellTarget !== undefined && executed.volume.plus(open.volume).gt(this.#sellTarget);
  }

  #remainingKrw(): Decimal {
    return this.#intent.notional.minus(this.#leg.executed().funds);
  }

  #remainingVolume(): Volume {
    const target = this.#sellTarget ?? volume(ZERO);
    return floorVolume(volume(Decimal.max(ZERO, target.minus(this.#leg.executed().volume))));
  }

  #enoughLeft(touch: Touch): boolean {
    const min = this.#deps.rules.minTotal;
    if (this.#intent.side === 'bid') return this.#remainingKrw().gte(min);
    return this.#remainingVolume().times(touch.bid).gte(min);
  }

  #draft(p: Price, touch: Touch, timeInForce: 'post_only' | 'ioc'): OrderDraft | undefined {
    const v =
      this.#intent.side === 'bid' ? volumeForBudget(this.#remainingKrw(), p) : this.#remainingVolume();
    if (v.times(p).lt(this.#deps.rules.minTotal) || !touch.bid.gt(0)) return undefined;
    return {
      market: this.decision.market,
      side: this.#intent.side,
      ordType: 'limit',
      price: p,
      volume: v,
      timeInForce,
    };
  }

  async #escalate(touch: Touch): Promise<void> {
    const d = this.#deps;
    if (this.#escalated) return this.finish('escalation done', true);
    if (!(await this.#leg.cancelWorking(d, 'escalating to a marketable limit'))) return;
    if (!this.#enoughLeft(touch)) return this.finish('complete', false);
    const ctx = tickContext(this.decision.market, d.rules, d.clock.now());
    const p = marketablePrice(this.#intent.side, touch, d.settings.slippage, ctx, this.#intent.limitPrice);
    if (p === undefined)
      return this.finish('the limit price is not marketable inside the slippage guard', false);
    const draft = this.#draft(p, touch, 'ioc');
    if (draft === undefined) return this.finish('what is left is below the minimum order', false);
    this.#escalated = true;
    d.budget.spend();
    await this.#after(await this.#leg.place(d, draft));
  }

  async #rest(touch: Touch, working: LocalOrder | undefined): Promise<void> {
    const d = this.#deps;
    const ctx = tickContext(this.decision.market, d.rules, d.clock.now());
    const target = makerPrice(this.#intent.side, touch, ctx, this.#intent.limitPrice);
    if (target === undefined) return;
    // A post-only order the venue cancelled at once (it would have crossed) is retried no faster than a re-price.
    if (working === undefined && d.clock.now() - this.#leg.lastPlacedAt < d.settings.repriceMinIntervalMs)
      return;
    if (working !== undefined) {
      if (working.draft.price?.eq(target)) return;
      if (d.clock.now() - this.#leg.lastPlacedAt < d.settings.repriceMinIntervalMs) return;
      d.budget.spend();
      if (!(await this.#leg.cancelWorking(d, `re-pricing to ${target.toFixed()}`))) return;
      if (!this.#enoughLeft(touch)) return this.finish('complete', false);
    }
    const draft = this.#draft(target, touch, 'post_only');
    if (draft === undefined) return this.finish('what is left is below the minimum order', false);
    d.budget.spend();
    await this.#after(await this.#leg.place(d, draft));
  }

  async #after(out: PlaceOutcome | undefined): Promise<void> {
    if (out === undefined) return this.finish('no attempt numbers left', false);
    if (out.result === 'refused') return this.finish(out.reason, false);
    if (out.result === 'rejected' && out.order.rejection?.code.startsWith('insufficient_funds'))
      return this.finish(out.reason, false);
  }
}
