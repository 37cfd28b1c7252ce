import type { Decimal } from '../money/decimal';
import { type Price, volume as toVolume, type Volume } from '../money/quantities';
import type { OrderSide } from '../orders/order-types';
import type { ExchangeOrder } from './exchange-order';
import type { MarketBook } from './market-book';
import type { MatchingContext } from './matching-context';
import { offerTrade, type QueueAhead, type QueueSlot, queueAheadFromBook } from './queue-position';

/**
 * The queue ahead of each of our resting orders (by uuid) in tape mode. An order without an entry
 * (restored after a restart, when the book it joined is gone) counts as `unknown`: the worse case.
 */
export type QueueBook = Map<string, QueueAhead>;

/**
 * Records where a resting order joined its level's queue: the size other traders showed at its
 * price when it arrived (the backtester's rule, `queueAheadFromBook`).
 */
export function joinQueue(book: MarketBook, o: ExchangeOrder, queues: QueueBook): void {
  if (o.limitPrice === undefined) return;
  const levels = o.side === 'bid' ? book.bids : book.asks;
  queues.set(o.uuid, queueAheadFromBook(o.limitPrice, o.side, levels));
}

/**
 * Tape mode's answer to a public trade: our resting orders on the side the print hits fill from it
 * exactly as the backtester's tape fill model fills them (`offerTrade`: beyond our price first, at
 * our price only after the queue ahead), at our own (maker) price. Returns the volume we did not take.
 */
export function fillRestingFromQueue(
  book: MarketBook,
  p: Price,
  v: Volume,
  takerSide: OrderSide,
  queues: QueueBook,
  ctx: MatchingContext,
): Decimal {
  const queue = (takerSide === 'ask' ? book.restingBids : book.restingAsks).slice();
  const slots: QueueSlot[] = queue.map((o) => ({
    limit: o.limitPrice as Price,
    side: o.side,
    ahead: queues.get(o.uuid) ?? 'unknown',
    open: o.remainingVolume as Decimal,
  }));
  const takes = offerTrade(slots, { price: p, volume: v, takerSide });
  let left: Decimal = v;
  queue.forEach((o, i) => {
    const slot = slots[i] as QueueSlot;
    queues.set(o.uuid, slot.ahead);
    const take = takes[i] as Decimal;
    if (!take.gt(0)) return;
    ctx.fill(o, o.limitPrice as Price, toVolume(take), true, takerSide);
    left = left.minus(take);
    if (o.remainingVolume?.isZero() === true) ctx.finish(o, 'done');
  });
  return left;
}
