import { offerTrade, type QueueSlot, queueAheadFromBook } from '../../domain/exchange/queue-position';
import type { Candle, OrderbookSnapshot, Trade } from '../../domain/market/market-data';
import { type Decimal, decimalFromNumber, minDecimal, ZERO } from '../../domain/money/decimal';
import { compareDecimals, decimalGt } from '../../domain/money/decimal-compare';
import { numberOf } from '../../domain/money/decimal-units';
import { floorVolume, type Price, type Volume, volume } from '../../domain/money/quantities';
import type { OrderSide } from '../../domain/orders/order-types';
import { barPath, firstBeyond, volumeBeyond } from './bar-path';

/** A resting (non-crossing) limit order of one bar, as the fill estimators see it. */
export interface RestingOrder {
  /** Placement order within the bar: earlier orders of ours queue ahead of later ones. */
  readonly index: number;
  readonly side: OrderSide;
  readonly price: Price;
  readonly remaining: Volume;
}

/** How much of one resting order filled in the bar; the list comes in fill order. */
export interface RestingFill {
  readonly index: number;
  readonly volume: Volume;
}

/** What the bar's own tape adds: its public trades and the book shown when our orders arrived. */
export interface BarTape {
  /** Public trades of the bar's market stamped inside the bar, oldest first. */
  readonly trades: readonly Trade[];
  /** The latest recorded order book at or before the bar's open (not older than one bar). */
  readonly book?: OrderbookSnapshot;
}

/** Bids before asks (a print hits one side only), best price first, then earlier placement. */
function byPriority(a: RestingOrder, b: RestingOrder): number {
  if (a.side !== b.side) return a.side === 'bid' ? -1 : 1;
  const cmp = compareDecimals(a.price, b.price);
  if (cmp !== 0) return a.side === 'bid' ? -cmp : cmp;
  return a.index - b.index;
}

function asVolume(value: Decimal): Volume {
  return floorVolume(volume(value));
}

/**
 * The resting orders of one bar as columns, refilled bar after bar by the broker: no object per
 * order and bar (market making rests five to ten layers every bar, and fills about one in twenty).
 * Each order's price also as its double (`numberOf`, the correctly rounded one), which the fill
 * estimate reads and the priority order compares first.
 */
export class RestingColumns {
  length = 0;
  readonly index: number[] = [];
  readonly bid: boolean[] = [];
  readonly price: Price[] = [];
  readonly priceNumber: number[] = [];
  readonly remaining: Volume[] = [];

  clear(): void {
    this.length = 0;
  }

  push(index: number, side: OrderSide, price: Price, priceNumber: number, remaining: Volume): void {
    const i = this.length;
    this.index[i] = index;
    this.bid[i] = side === 'bid';
    this.price[i] = price;
    this.priceNumber[i] = priceNumber;
    this.remaining[i] = remaining;
    this.length = i + 1;
  }

  /** The same orders as objects (the tape's replay reads them so). */
  toOrders(): RestingOrder[] {
    const out: RestingOrder[] = [];
    for (let i = 0; i < this.length; i++)
      out.push({
        index: this.index[i] as number,
        side: this.bid[i] ? 'bid' : 'ask',
        price: this.price[i] as Price,
        remaining: this.remaining[i] as Volume,
      });
    return out;
  }
}

/** No fill this bar (most bars): one shared, empty list. */
const NO_FILLS: readonly RestingFill[] = Object.freeze([]);

// Working columns of one estimate, reused (an estimate never runs inside another).
const queue: number[] = [];
const placedRow: number[] = [];
const placedAt: number[] = [];
const placedRank: number[] = [];
const placedVolume: Volume[] = [];
const placedOrder: number[] = [];

/**
 * Fills estimated from the candle alone (see bar-path for the path and volume-profile assumptions).
 * Orders of one side share one pool: the volume that traded beyond a lower bid also traded beyond
 * every higher bid, and would have hit those first, so a bid receives the volume beyond its price
 * less what our better-priced (or earlier, equal-priced) bids already took. Partial fills are
 * floored to Upbit's 8 volume decimals. Fills are ordered by where the assumed path first passes
 * beyond each price, so a bid and an ask fill in one bar only when the path crosses both.
 */
export function fillsFromBar(bar: Candle, orders: RestingColumns): readonly RestingFill[] {
  const path = barPath(bar);
  let placed = 0;
  for (let s = 0; s < 2; s++) {
    const bid = s === 0;
    const side: OrderSide = bid ? 'bid' : 'ask';
    let n = 0;
    for (let i = 0; i < orders.length; i++)
      if (orders.bid[i] === bid && decimalGt(orders.remaining[i] as Volume, ZERO)) queue[n++] = i;
    if (n > 1) sortByPriority(orders, n, bid);
    // The estimate is a float; the pool is kept in float too, and only a partial fill is converted
    // to an exact volume (a fill that covers the whole order is the order's own exact remainder).
    let taken = 0;
    for (let rank = 0; rank < n; rank++) {
      const row = queue[rank] as number;
      const price = orders.priceNumber[row] as number;
      const at = firstBeyond(path, price, side);
      if (at === undefined) continue;
      const available = volumeBeyond(bar, price, side) - taken;
      if (!(available > 0)) continue;
      const remaining = orders.remaining[row] as Volume;
      const fill =
        available >= numberOf(remaining)
          ? remaining
          : asVolume(minDecimal(remaining, decimalFromNumber(available)));
      if (!decimalGt(fill, ZERO)) continue;
      taken += numberOf(fill);
      placedRow[placed] = row;
      placedAt[placed] = at;
      placedRank[placed] = rank;
      placedVolume[placed] = fill;
      placed += 1;
    }
  }
  if (placed === 0) return NO_FILLS;
  // By where the path reaches each fill, then rank, then placement (an insertion sort of the few).
  for (let k = 0; k < placed; k++) placedOrder[k] = k;
  for (let k = 1; k < placed; k++) {
    const item = placedOrder[k] as number;
    let j = k;
    while (j > 0 && laterPlaced(orders, placedOrder[j - 1] as number, item)) {
      placedOrder[j] = placedOrder[j - 1] as number;
      j -= 1;
    }
    placedOrder[j] = item;
  }
  const out: RestingFill[] = [];
  for (let k = 0; k < placed; k++) {
    const p = placedOrder[k] as number;
    out.push({ index: orders.index[placedRow[p] as number] as number, volume: placedVolume[p] as Volume });
  }
  return out;
}

/** Whether placed fill a comes after placed fill b (path position, then rank, then placement). */
function laterPlaced(orders: RestingColumns, a: number, b: number): boolean {
  const byAt = (placedAt[a] as number) - (placedAt[b] as number);
  if (byAt !== 0) return byAt > 0;
  const byRank = (placedRank[a] as number) - (placedRank[b] as number);
  if (byRank !== 0) return byRank > 0;
  return (orders.index[placedRow[a] as number] as number) > (orders.index[placedRow[b] as number] as number);
}

/**
 * Sorts `queue[0, n)` (rows of one side) best price first, then earlier placement: an insertion
 * sort of the few rows. Prices compare on their doubles when those differ (rounding to the nearest
 * double is monotonic, so differing doubles order as their decimals do), else as decimals.
 */
function sortByPriority(orders: RestingColumns, n: number, bid: boolean): void {
  for (let i = 1; i < n; i++) {
    const item = queue[i] as number;
    let j = i;
    while (j > 0 && outranks(orders, item, queue[j - 1] as number, bid)) {
      queue[j] = queue[j - 1] as number;
      j -= 1;
    }
    queue[j] = item;
  }
}

/** Whether row a queues strictly ahead of row b on one side. */
function outranks(orders: RestingColumns, a: number, b: number, bid: boolean): boolean {
  const pa = orders.priceNumber[a] as number;
  const pb = orders.priceNumber[b] as number;
  let cmp = pa > pb ? 1 : pa < pb ? -1 : 0;
  if (cmp === 0) cmp = compareDecimals(orders.price[a] as Price, orders.price[b] as Price);
  if (cmp !== 0) return bid ? cmp > 0 : cmp < 0;
  return (orders.index[a] as number) < (orders.index[b] as number);
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
    const fill = asVolume(filled[i] as Decimal);
    if (fill.gt(0)) out.push({ index: (queued[i] as RestingOrder).index, volume: fill });
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
