import { type Decimal, minDecimal, ZERO } from '../money/decimal';
import {
  type Price,
  price as toPrice,
  volume as toVolume,
  type Volume,
  volumeForBudget,
} from '../money/quantities';
import type { OrderSide } from '../orders/order-types';
import type { ExchangeOrder } from './exchange-order';
import { budgetExhausted } from './fill-accounting';
import type { LiquidityLevel, MarketBook } from './market-book';
import type { MatchingContext } from './matching-context';

function crosses(side: OrderSide, levelPrice: Decimal, limit: Decimal | undefined): boolean {
  if (limit === undefined) return true;
  return side === 'bid' ? levelPrice.lte(limit) : levelPrice.gte(limit);
}

/** Volume this order could take from one level right now (budget orders floor to the 1e-8 step). */
function takeable(o: ExchangeOrder, level: LiquidityLevel): Volume {
  const want =
    o.budgetLeft !== undefined
      ? volumeForBudget(o.budgetLeft, toPrice(level.price))
      : (o.remainingVolume ?? ZERO);
  return toVolume(minDecimal(want, level.size));
}

/** FOK pre-check: the whole order fits in the liquidity its limit allows (no partial fill ever happens). */
function canFillCompletely(o: ExchangeOrder, levels: readonly LiquidityLevel[]): boolean {
  if (o.budgetLeft !== undefined) {
    // A best-bid FOK spends the budget at the one best price; dust below one volume step is allowed.
    const first = levels[0];
    if (first === undefined || !crosses('bid', first.price, o.limitPrice)) return false;
    return first.size.gte(volumeForBudget(o.budgetLeft, toPrice(first.price)));
  }
  let need: Decimal = o.remainingVolume ?? ZERO;
  for (const level of levels) {
    if (!crosses(o.side, level.price, o.limitPrice)) break;
    need = need.minus(level.size);
    if (need.lte(0)) return true;
  }
  return need.lte(0);
}

/** Our opposite resting orders this taker would trade with (self-match candidates). */
function selfMatches(o: ExchangeOrder, book: MarketBook): ExchangeOrder[] {
  if (o.limitPrice === undefined) return [];
  const queue = o.side === 'bid' ? book.restingAsks : book.restingBids;
  return queue.filter((r) => r.limitPrice !== undefined && crosses(o.side, r.limitPrice, o.limitPrice));
}

/** What the taker could still trade against one own maker: its volume, or what its budget buys there. */
function overlapWith(o: ExchangeOrder, maker: ExchangeOrder): Volume {
  const makerLeft = maker.remainingVolume ?? ZERO;
  const price = maker.limitPrice ?? ZERO;
  const takerLeft =
    o.budgetLeft !== undefined ? volumeForBudget(o.budgetLeft, toPrice(price)) : (o.remainingVolume ?? ZERO);
  return toVolume(minDecimal(takerLeft, makerLeft));
}

/**
 * SMP `reduce` (PROTOCOL.md §6.6): taker and each crossing own maker (best first) both shrink by the
 * volume they would have traded with each other; an order reduced to nothing is cancelled. Returns true
 * when the taker is used up.
 */
function reduceSelfMatches(o: ExchangeOrder, own: readonly ExchangeOrder[], ctx: MatchingContext): boolean {
  for (const maker of own) {
    const v = overlapWith(o, maker);
    if (v.lte(0)) break;
    const at = (maker.limitPrice ?? ZERO) as Price;
    ctx.reduce(maker, v, at);
    ctx.reduce(o, v, at);
    if (o.state !== 'wait') return true;
  }
  return false;
}

/**
 * Runs a freshly accepted order against the book (PROTOCOL.md §6.4): post-only check, self-match
 * prevention, FOK pre-check, the sweep at maker prices, then the end state — `done` when filled,
 * `cancel` for IOC/FOK/market leftovers and budget orders with dust, otherwise it rests in the book.
 *
 * Self-match prevention (the taker's `smp_type` decides): our own resting orders never trade with each
 * other; `cancel_maker` (the default) cancels the crossing own makers, `cancel_taker` cancels the
 * incoming order, `reduce` shrinks both by the overlapping volume, `none` ignores them. Market
 * (`price`/`market`) orders skip the check. Simplification: the overlap is counted against our crossing
 * makers before any other liquidity, whatever its price.
 */
export function executeIncoming(o: ExchangeOrder, book: MarketBook, ctx: MatchingContext): void {
  const levels = o.side === 'bid' ? book.asks : book.bids;
  if (o.timeInForce === 'post_only') {
    const opposite = book.bestVisible(o.side === 'bid' ? 'ask' : 'bid');
    if (opposite !== undefined && crosses(o.side, opposite, o.limitPrice)) {
      ctx.finish(o, 'cancel');
      return;
    }
  } else if (o.smpType !== 'none') {
    const own = selfMatches(o, book);
    if (own.length > 0) {
      if (o.smpType === 'cancel_taker') {
        ctx.prevent(o);
        return;
      }
      if (o.smpType === 'reduce') {
        if (reduceSelfMatches(o, own, ctx)) return;
      } else for (const r of own) ctx.prevent(r);
    }
  }
  if (o.timeInForce === 'fok' && !canFillCompletely(o, levels)) {
    ctx.finish(o, 'cancel');
    return;
  }
  let traded = false;
  for (const level of levels) {
    if (!crosses(o.side, level.price, o.limitPrice)) break;
    const v = takeable(o, level);
    if (v.lte(0)) break;
    level.size = level.size.minus(v);
    ctx.fill(o, level.price as Price, v, false, o.side);
    traded = true;
    if (o.remainingVolume?.isZero() || budgetExhausted(o)) break;
  }
  if (traded) {
    book.prune();
    ctx.bookChanged(o.market);
  }
  if (o.remainingVolume?.isZero() || budgetExhausted(o)) {
    ctx.finish(o, 'done');
    return;
  }
  if (o.ordType !== 'limit' || o.timeInForce === 'ioc' || o.timeInForce === 'fok') {
    ctx.finish(o, 'cancel');
    return;
  }
  book.addResting(o);
  ctx.bookChanged(o.market);
}
