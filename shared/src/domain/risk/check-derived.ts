import type { Market } from '../market/market-id';
import { type Decimal, maxDecimal, ZERO } from '../money/decimal';
import { decimalGt } from '../money/decimal-compare';
import { differenceOf, sumOf } from '../money/decimal-sums';
import { type Volume, volume } from '../money/quantities';
import type { StrategyName } from '../trading/strategy-name';
import {
  addCommitment,
  type Commitment,
  type ExposureBook,
  exposureBook,
  type MutableBook,
  openPositionMarkets,
  withCommitment,
} from './exposure';
import { bestQuotes, fatFingerChecker } from './fat-finger';
import type { RiskContext } from './pre-trade-check';

/**
 * Facts derived from a pre-trade check's context (pre-trade-check.ts) for one order or the legs of
 * one decision: the exposure book, the markets held, the best quotes and the fat-finger checker,
 * each computed on first use, and what each strategy may still sell.
 *
 * Facts derived from a context's book, positions and commitments, computed on first use: a sell never
 * needs the exposure book, and the legs of one decision share one book updated leg by leg.
 */
export class Derived {
  private exposure: ExposureBook | undefined = undefined;
  private held: Set<Market> | undefined = undefined;
  private best: ReturnType<typeof bestQuotes> | null = null;
  private fat: ReturnType<typeof fatFingerChecker> | undefined = undefined;
  // Per market and strategy: held volume minus the asks seen so far (not yet floored at zero).
  private readonly offered = new Map<string, { raw: Decimal; seen: number }>();
  // The exposure book once it is this object's own copy (after the first commitment that locks KRW).
  private own: MutableBook | undefined = undefined;

  constructor(private readonly ctx: RiskContext) {}

  quotes(): ReturnType<typeof bestQuotes> {
    if (this.best === null)
      this.best =
        this.ctx.market.book === undefined
          ? undefined
          : (this.ctx.market.best ?? bestQuotes(this.ctx.market.book));
    return this.best;
  }

  book(): ExposureBook {
    this.exposure ??= this.ctx.exposure ?? exposureBook(this.ctx.positions, this.ctx.commitments);
    return this.exposure;
  }

  heldMarkets(): ReadonlySet<Market> {
    this.held ??= new Set(
      openPositionMarkets(this.ctx.positions, this.ctx.commitments, this.ctx.limits.dustThreshold),
    );
    return this.held;
  }

  fatFinger(): ReturnType<typeof fatFingerChecker> {
    this.fat ??= fatFingerChecker(this.ctx.market, this.ctx.limits.fatFinger, this.quotes());
    return this.fat;
  }

  /**
   * `sellableVolume(ctx.positions, commitments, market, strategy)` where `commitments` is the
   * context's list, possibly grown at its end (checkOrders): the same subtractions in the same order,
   * continued from where the last call for the pair stopped instead of rescanning the whole list.
   */
  sellable(commitments: readonly Commitment[], market: Market, strategy: StrategyName | 'operator'): Volume {
    const key = `${market}|${strategy}`;
    let e = this.offered.get(key);
    if (e === undefined) {
      let held: Decimal = ZERO;
      for (const p of this.ctx.positions)
        if (p.market === market && p.strategy === strategy) held = sumOf(held, p.volume);
      e = { raw: held, seen: 0 };
      this.offered.set(key, e);
    }
    for (let i = e.seen; i < commitments.length; i++) {
      const c = commitments[i] as Commitment;
      if (c.market === market && c.strategy === strategy && c.side === 'ask')
        e.raw = differenceOf(e.raw, c.remainingVolume);
    }
    e.seen = commitments.length;
    return volume(maxDecimal(ZERO, e.raw));
  }

  /**
   * Accounts for one more commitment, as if it were appended to the context's list. The first one
   * copies the book (`withCommitment`); later ones add to that private copy in place, the same
   * additions in the same order, instead of copying both maps again for every leg.
   */
  add(c: Commitment): void {
    if (this.exposure !== undefined) {
      if (this.own === undefined) {
        const next = withCommitment(this.exposure, c);
        if (next !== this.exposure) this.own = next as MutableBook;
        this.exposure = next;
      } else addCommitment(this.own, c);
    }
    if (this.held !== undefined && c.side === 'bid' && decimalGt(c.lockedKrw, ZERO)) this.held.add(c.market);
  }
}
