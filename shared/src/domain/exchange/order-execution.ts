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

/**
 * Runs a freshly accepted order against the book (PROTOCOL.md §6.4): post-only check, self-match
 * prevention, FOK pre-check, the sweep at maker prices, then the end state — `done` when filled,
 * `cancel` for IOC/FOK/market leftovers and budget orders with dust, otherwise it rests in the book.
 *
 * Self-match prevention is simplified: our own resting orders never trade with each other; a taker
 * with `cancel_maker` (the default) or `reduce` cancels the crossing own makers first, `cancel_taker`
 * cancels itself, `none` ignores them. Market (`price`/`market`) orders skip the check.
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
      for (const r of own) ctx.prevent(r);
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
