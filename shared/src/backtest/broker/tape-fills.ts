import { offerTrade, type QueueSlot, queueAheadFromBook } from '../../domain/exchange/queue-position';
import type { OrderbookSnapshot, Trade } from '../../domain/market/market-data';
import { type Decimal, decimalFromNumber, ZERO } from '../../domain/money/decimal';
import { floorVolume, volume } from '../../domain/money/quantities';
import type { OrderSide } from '../../domain/orders/order-types';
import { byPriority, type RestingFill, type RestingOrder } from './resting-orders';

/** What the bar's own tape adds: its public trades and the book shown when our orders arrived. */
export interface BarTape {
  /** Public trades of the bar's market stamped inside the bar, oldest first. */
  readonly trades: readonly Trade[];
  /** The latest recorded order book at or before the bar's open (not older than one bar). */
  readonly book?: OrderbookSnapshot;
}

function bookLevels(book: OrderbookSnapshot | undefined, side: OrderSide) {
  if (book === undefined) return [];
  const levels = side === 'bid' ? book.bids : book.asks;
  return levels.map((l) => ({ price: decimalFromNumber(l.price), size: decimalFromNumber(l.size) }));
}

/**
 * Fills replayed exactly from the bar's public trades, in time order, with each order at the back of
 * its price level's queue (see `tradeAgainstQueue`): the queue ahead is the size the recorded book
 * showed at that price on arrival, or unknown (all volume at our price goes to others) without a
 * book. Each print is offered to our orders on the side it hits, best price first, and what one of
 * our orders absorbs is not offered again. Partial fills are summed per order (one fill per order
 * and bar, at its limit price) and floored to 8 decimals.
 */
export function fillsFromTape(tape: BarTape, orders: readonly RestingOrder[]): RestingFill[] {
  const queued = orders.filter((o) => o.remaining.gt(0)).sort(byPriority);
  const slots: QueueSlot[] = queued.map((o) => ({
    limit: o.price,
    side: o.side,
    ahead: queueAheadFromBook(o.price, o.side, bookLevels(tape.book, o.side)),
    open: o.remaining,
  }));
  const filled: Decimal[] = queued.map(() => ZERO);
  const firstFill: number[] = [];
  for (const trade of tape.trades) {
    const takes = offerTrade(slots, {
      price: decimalFromNumber(trade.price),
      volume: decimalFromNumber(trade.volume),
      takerSide: trade.takerSide,
    });
    takes.forEach((take, i) => {
      if (!take.gt(0)) return;
      if ((filled[i] as Decimal).isZero()) firstFill.push(i);
      filled[i] = (filled[i] as Decimal).plus(take);
    });
  }
  const out: RestingFill[] = [];
  for (const i of firstFill) {
    const fill = floorVolume(volume(filled[i] as Decimal));
    if (fill.gt(0)) out.push({ index: (queued[i] as RestingOrder).index, volume: fill, units: undefined });
  }
  return out;
}

/**
 * The tape decides a bar's resting fills when it holds at least one trade inside the bar; a bar
 * with volume but no recorded trade lies outside what the tape covers (recording gaps, other days)
 * and falls back to the candle estimate, so a partial tape never silently means "nothing traded".
 */
export function tapeCoversBar(tape: BarTape | undefined): tape is BarTape {
  return tape !== undefined && tape.trades.length > 0;
}
