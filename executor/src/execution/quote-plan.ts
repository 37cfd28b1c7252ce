import type { Decimal } from '../../../shared/src/domain/money/decimal';
import { floorVolume, type Price, volume } from '../../../shared/src/domain/money/quantities';
import type { OrderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import type { Decision, QuoteLevel } from '../../../shared/src/domain/trading/decision';
import { type ExecutionPlan, Leg, type PlanDeps, STRAY_REASON } from './plan-support';
import { levelsWorthQuoting, midOf, shiftedLevel, tickContext } from './pricing';

interface QuoteLeg {
  readonly level: QuoteLevel;
  readonly leg: Leg;
  /** Filled (or what is left is below the minimum): not re-placed until the next decision. */
  exhausted: boolean;
  /** Too close to the mid to quote: never placed; an attempt already working (resume) is pulled. */
  readonly dropped: boolean;
}

/**
 * Keeps a market-making decision's layered quotes resting between analysis minutes: level `i` of the
 * decision is leg `i`, placed post-only. As the book moves, each level follows the mid (shifted by
 * the mid's move since the decision arrived, rounded away from the market, never crossing), and a
 * level whose price changed is cancelled and re-placed as the leg's next attempt, at most once per
 * `repriceMinIntervalMs` and only while the shared cancel/replace budget has tokens (Upbit's order
 * rate limit). Levels too close to the mid to cover a round trip's maker fees (plus
 * `executor.minEdgeBps`) are dropped at once. A filled level is not re-placed before the next
 * decision, so inventory grows by at most one layer per level per minute. The quotes are pulled at
 * the decision's expiry or when the next quotes decision replaces them.
 */
export class QuotePlan implements ExecutionPlan {
  readonly kind = 'quotes';
  readonly #deps: PlanDeps;
  readonly #legs: QuoteLeg[] = [];
  #refMid: Decimal | undefined;
  #done = false;

  constructor(
    deps: PlanDeps,
    readonly decision: Decision,
    prior: readonly { order: LocalOrder; leg: number; attempt: number }[],
  ) {
    if (decision.intent.kind !== 'quotes') throw new Error(`decision ${decision.id} is not quotes`);
    this.#deps = deps;
    const touch = deps.market.touch(decision.market);
    const { kept, dropped } =
      touch === undefined
        ? { kept: [...decision.intent.levels], dropped: [] }
        : levelsWorthQuoting(decision.intent.levels, touch, deps.rules, deps.settings.minEdge);
    if (dropped.length > 0)
      deps.logger.info('quote levels dropped (fee-aware): too close to the mid to cover round-trip fees', {
        decisionId: decision.id,
        dropped: dropped.map((l) => `${l.side}@${l.price.toFixed()}`),
      });
    decision.intent.levels.forEach((level, index) => {
      const dropped = !kept.includes(level);
      const mine = prior.filter((p) => p.leg === index);
      // A dropped level is still owned when it has orders (resumed after a restart, the mid having
      // moved since): its working attempt must be pulled, never left resting without an owner.
      if (dropped && mine.length === 0) return;
      const leg = new Leg(decision, index);
      for (const p of mine) leg.adopt(p.order, p.attempt);
      this.#legs.push({ level, leg, exhausted: dropped, dropped });
    });
    if (touch !== undefined) this.#refMid = midOf(touch);
  }

  get done(): boolean {
    return this.#done;
  }

  working(): OrderIdentifier[] {
    return this.#legs.flatMap((l) => (l.leg.working === undefined ? [] : [l.leg.working]));
  }

  owns(identifier: OrderIdentifier): boolean {
    return this.#legs.some((l) => l.leg.owns(identifier));
  }

  strays(): OrderIdentifier[] {
    return this.#legs.flatMap((l) => l.leg.strays().map((o) => o.identifier));
  }

  async step(): Promise<void> {
    if (this.#done) return;
    const d = this.#deps;
    if (d.clock.now() >= this.decision.expiresAt) return this.finish('quotes expired', true);
    if (this.#legs.every((q) => q.dropped)) return this.finish('no quote levels', true);
    const touch = d.market.touch(this.decision.market);
    if (touch === undefined) return;
    this.#refMid ??= midOf(touch);
    const shift = midOf(touch).minus(this.#refMid);
    const ctx = tickContext(this.decision.market, d.rules, d.clock.now());
    for (const q of this.#legs) {
      if (this.#done) return;
      const working = q.leg.refresh(d.tracker);
      // A late request taken back by reconciliation: pulled before the level does anything else.
      if (q.leg.strays().length > 0 && !(await q.leg.cancelStrays(d, STRAY_REASON))) {
        // The stray still rests (its cancel failed): the level's working attempt must not rest
        // beside it for the same volume, so it is pulled now (a different cancel).
        if (working !== undefined && this.#overCommitted(q))
          await q.leg
            .cancelWorking(d, 'the level would trade more than its volume (a late attempt still rests)')
            .catch(() => false);
        continue;
      }
      if (working !== undefined && this.#overCommitted(q)) {
        await q.leg.cancelWorking(d, 'the level would trade more than its volume (a late attempt filled)');
        continue;
      }
      if (
        q.dropped &&
        working !== undefined &&
        working.state !== 'pending' &&
        working.state !== 'submitted'
      ) {
        await q.leg.cancelWorking(d, 'quote level too close to the mid to cover round-trip fees');
        continue;
      }
      if (q.exhausted) continue;
      if (working !== undefined && (working.state === 'pending' || working.state === 'submitted')) continue;
      const left = floorVolume(volume(q.level.volume.minus(q.leg.executed().volume)));
      const target = shiftedLevel(q.level, shift, touch, ctx);
      if (target === undefined) continue;
      if (left.times(target).lt(d.rules.minTotal)) {
        q.exhausted = true;
        continue;
      }
      if (working?.draft.price?.eq(target)) continue;
      // Also after a post-only the venue cancelled at once: never re-place a level faster than this.
      if (d.clock.now() - q.leg.lastPlacedAt < d.settings.repriceMinIntervalMs) continue;
      if (!d.budget.tryTake(working === undefined ? 1 : 2)) return;
      if (working !== undefined && !(await q.leg.cancelWorking(d, `re-pricing quote to ${target.toFixed()}`)))
        continue;
      await this.#place(q, target);
    }
  }

  /** The level's fills plus what its live attempts may still fill exceed the level's volume. */
  #overCommitted(q: QuoteLeg): boolean {
    return q.leg.executed().volume.plus(q.leg.openRemainder().volume).gt(q.level.volume);
  }

  async #place(q: QuoteLeg, p: Price): Promise<void> {
    const d = this.#deps;
    const left = floorVolume(volume(q.level.volume.minus(q.leg.executed().volume)));
    if (left.times(p).lt(d.rules.minTotal)) {
      q.exhausted = true;
      return;
    }
    const out = await q.leg.place(d, {
      market: this.decision.market,
      side: q.level.side,
      ordType: 'limit',
      price: p,
      volume: left,
      timeInForce: 'post_only',
    });
    // Refused by the risk engine (e.g. nothing to sell for an ask) or no attempts left: that level
    // rests no more until the next decision.
    if (out === undefined || out.result === 'refused') q.exhausted = true;
  }

  async finish(reason: string, cancel: boolean): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    if (cancel) for (const q of this.#legs) await q.leg.cancelWorking(this.#deps, reason).catch(() => false);
    // Strays are cancelled whatever `cancel` says: no plan works them after this one.
    for (const q of this.#legs) await q.leg.cancelStrays(this.#deps, reason);
    this.#deps.logger.info('quotes finished', {
      decisionId: this.decision.id,
      market: this.decision.market,
      reason,
      levels: this.#legs.filter((q) => !q.dropped).length,
      filledLevels: this.#legs.filter((q) => q.leg.executed().volume.gt(0)).length,
    });
  }
}
