import { type Decimal, minDecimal, ZERO } from '../money/decimal';
import { type Price, volume as toVolume, type Volume } from '../money/quantities';
import type { OrderSide } from '../orders/order-types';
import type { MarketBook } from './market-book';
import type { MatchingContext } from './matching-context';

/**
 * Fills our resting orders that a public trade at `p` crosses: a seller-initiated trade (`takerSide`
 * ask) fills bids priced ≥ P, a buyer-initiated one asks ≤ P, best price then earliest first, up to the
 * trade's volume, at our own (maker) price. `fillsAtPrice` is the queue-position assumption at exactly
 * P. Returns the volume we did not absorb (it prints on the tape as other traders' trade).
 */
export function fillRestingFromTape(
  book: MarketBook,
  p: Price,
  v: Volume,
  takerSide: OrderSide,
  fillsAtPrice: boolean,
  ctx: MatchingContext,
): Decimal {
  const queue = takerSide === 'ask' ? book.restingBids : book.restingAsks;
  let left: Decimal = v;
  for (const o of queue.slice()) {
    if (left.lte(0)) break;
    const limit = o.limitPrice as Price;
    const cmp = limit.cmp(p);
    const crosses =
      takerSide === 'ask' ? cmp > 0 || (cmp === 0 && fillsAtPrice) : cmp < 0 || (cmp === 0 && fillsAtPrice);
    if (!crosses) break;
    const fillVolume = toVolume(minDecimal(o.remainingVolume ?? ZERO, left));
    ctx.fill(o, limit, fillVolume, true, takerSide);
    left = left.minus(fillVolume);
    if ((o.remainingVolume ?? ZERO).isZero()) ctx.finish(o, 'done');
  }
  return left;
}

/**
 * After other traders' book was replaced: our resting orders of `side` that the new book crosses fill
 * as makers at their own price (the crossing liquidity is the taker), consuming that liquidity.
 */
export function uncrossResting(book: MarketBook, side: OrderSide, ctx: MatchingContext): void {
  const queue = side === 'bid' ? book.restingBids : book.restingAsks;
  const levels = side === 'bid' ? book.asks : book.bids;
  for (const o of queue.slice()) {
    const limit = o.limitPrice as Price;
    for (const level of levels) {
      if ((o.remainingVolume ?? ZERO).isZero()) break;
      const crosses = side === 'bid' ? level.price.lte(limit) : level.price.gte(limit);
      if (!crosses || level.size.lte(0)) continue;
      const v = toVolume(minDecimal(level.size, o.remainingVolume ?? ZERO));
      level.size = level.size.minus(v);
      ctx.fill(o, limit, v, true, side === 'bid' ? 'ask' : 'bid');
    }
    if ((o.remainingVolume ?? ZERO).isZero()) ctx.finish(o, 'done');
  }
  book.prune();
}
