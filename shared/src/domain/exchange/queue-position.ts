import type { Decimal } from '../money/decimal';
import { ZERO } from '../money/decimal';
import type { OrderSide } from '../orders/order-types';

/**
 * Volume resting ahead of our order at its own price level, or `unknown` when no order-book
 * snapshot says how much there is. Unknown is treated as "everything that trades at our price was
 * ahead of us": the worse case, because the data cannot tell.
 */
export type QueueAhead = Decimal | 'unknown';

/** One public trade as the queue sees it: exact price and volume and the aggressor's side. */
export interface QueueTrade {
  readonly price: Decimal;
  readonly volume: Decimal;
  /** `ask` when a seller hit the bids, `bid` when a buyer lifted the asks (Upbit's `ask_bid`). */
  readonly takerSide: OrderSide;
}

/** What one trade did to a resting order at the back of its price level's queue. */
export interface QueueStep {
  /** Volume of the trade that would have reached our order (cap it at the order's remaining size). */
  readonly reaching: Decimal;
  /** Volume still ahead of us after the trade. */
  readonly ahead: QueueAhead;
}

/**
 * Price-time priority for a resting order that joined the back of its level. A trade reaches it only
 * when the aggressor is on the other side and:
 * - trades strictly beyond our price (below a bid, above an ask): the level was exhausted before that
 *   print, so everything ahead of us is gone and the print's volume would have hit us first; or
 * - trades at our price: it first consumes the queue ahead of us (all of it when the queue is
 *   unknown), and only the excess reaches us.
 * Cancellations ahead of us are not modelled (they would only move us forward), and volume that
 * reaches us is consumed by the caller, so two of our orders never share one print twice.
 */
export function tradeAgainstQueue(
  limit: Decimal,
  side: OrderSide,
  ahead: QueueAhead,
  trade: QueueTrade,
): QueueStep {
  const hitsUs = side === 'bid' ? trade.takerSide === 'ask' : trade.takerSide === 'bid';
  if (!hitsUs || trade.volume.lte(0)) return { reaching: ZERO, ahead };
  const cmp = trade.price.cmp(limit);
  const beyond = side === 'bid' ? cmp < 0 : cmp > 0;
  if (beyond) return { reaching: trade.volume, ahead: ZERO };
  if (cmp !== 0 || ahead === 'unknown') return { reaching: ZERO, ahead };
  if (trade.volume.lte(ahead)) return { reaching: ZERO, ahead: ahead.minus(trade.volume) };
  return { reaching: trade.volume.minus(ahead), ahead: ZERO };
}

/**
 * Queue ahead of a new order at `limit` on `side`, read from the displayed book on arrival: the size
 * shown at exactly that price; nothing when the price is better than the best level or falls in an
 * empty level inside the displayed depth; unknown when it lies beyond the displayed depth.
 */
export function queueAheadFromBook(
  limit: Decimal,
  side: OrderSide,
  levels: readonly { readonly price: Decimal; readonly size: Decimal }[],
): QueueAhead {
  if (levels.length === 0) return 'unknown';
  for (const level of levels) if (level.price.eq(limit)) return level.size;
  const last = levels[levels.length - 1] as { price: Decimal };
  const insideDepth = side === 'bid' ? limit.gt(last.price) : limit.lt(last.price);
  return insideDepth ? ZERO : 'unknown';
}

/** One of our resting orders as the tape queue model follows it from trade to trade. */
export interface QueueSlot {
  readonly limit: Decimal;
  readonly side: OrderSide;
  /** Volume still ahead of the order at its own price; updated in place. */
  ahead: QueueAhead;
  /** Volume the order can still take; updated in place. */
  open: Decimal;
}

/**
 * Offers one public trade to our resting orders, which must come in priority order (best price
 * first, then earliest): each goes through {@link tradeAgainstQueue} with what the better ones left
 * of the print, so two of our orders never share one print twice. Returns the volume each slot took
 * (same indexes, zero when none). The one code path of the tape fill model: the backtester's broker
 * (a bar's trades in a batch) and the exchange engine in tape mode (paper venue, tape-replaying sim,
 * one trade at a time) both call it, so they fill alike on the same tape.
 */
export function offerTrade(slots: readonly QueueSlot[], trade: QueueTrade): Decimal[] {
  const takes: Decimal[] = slots.map(() => ZERO);
  let left = trade.volume;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i] as QueueSlot;
    if (left.lte(0)) break;
    if (!s.open.gt(0)) continue;
    const step = tradeAgainstQueue(s.limit, s.side, s.ahead, { ...trade, volume: left });
    s.ahead = step.ahead;
    const take = step.reaching.lt(s.open) ? step.reaching : s.open;
    if (!take.gt(0)) continue;
    s.open = s.open.minus(take);
    takes[i] = take;
    left = left.minus(take);
  }
  return takes;
}
