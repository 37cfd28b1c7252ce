import { offerTrade, type QueueSlot, queueAheadFromBook } from '../../domain/exchange/queue-position';
import type { Candle, OrderbookSnapshot, Trade } from '../../domain/market/market-data';
import { type Decimal, decimalFromNumber, minDecimal, ZERO } from '../../domain/money/decimal';
import { compareDecimals, decimalGt } from '../../domain/money/decimal-compare';
import { numberOf } from '../../domain/money/decimal-units';
import { floorVolume, type Price, type Volume, volume } from '../../domain/money/quantities';
import type { OrderSide } from '../../domain/orders/order-types';
import { emptyRefs } from '../../domain/shapes/typed-empty-arrays';
import { barPathInto, firstBeyond, type MutableBarPath, volumeBeyond } from './bar-path';
import type { QuoteLayerOrder } from './quote-layer-order';

/** A resting (non-crossing) limit order of one bar, as the fill estimators see it. */
export interface RestingOrder {
  /** Placement order within the bar: earlier orders of ours queue ahead of later ones. */
  readonly index: number;
  readonly side: OrderSide;
  readonly price: Price;
  readonly remaining: Volume;
}

/**
 * A resting order with the numbers the candle estimate reads: `numberOf` of its price and its
 * remaining volume, whether that price double is the price exactly (a quote layer's whole won:
 * prices are then ordered on the doubles), and whether anything remains.
 */
export interface RestingNumbers extends RestingOrder {
  readonly priceNumber: number;
  readonly exactPrice: boolean;
  readonly remainingNumber: number;
  readonly open: boolean;
}

/**
 * A pooled {@link RestingNumbers}, rewritten for every bar (see {@link RestingOrders}). A quote layer
 * placed as integers (QuoteLayerOrder) rests as its numbers, its decimals read through it only when
 * it fills or its price ties another's.
 */
class RestingSlot implements RestingNumbers {
  index = 0;
  side: OrderSide = 'bid';
  priceNumber = 0;
  exactPrice = false;
  remainingNumber = 0;
  open = false;
  layer: QuoteLayerOrder | undefined = undefined;
  exactPriceDecimal: Price = ZERO as Price;
  remainingDecimal: Volume = ZERO as Volume;

  get price(): Price {
    return this.layer !== undefined ? this.layer.spec.price : this.exactPriceDecimal;
  }

  get remaining(): Volume {
    return this.layer !== undefined ? this.layer.remaining : this.remainingDecimal;
  }
}

/**
 * One bar's resting orders for the fill estimators, in slots reused from bar to bar: market making
 * rests several orders every bar, and the estimators read them only during the call.
 */
export class RestingOrders {
  private readonly slots: RestingSlot[] = [];
  private readonly list: RestingSlot[] = [];
  private count = 0;

  /** Adds an order (see RestingOrder's fields). */
  add(index: number, side: OrderSide, price: Price, remaining: Volume): void {
    const slot = this.next(index, side);
    slot.layer = undefined;
    slot.exactPriceDecimal = price;
    slot.remainingDecimal = remaining;
    // numberOf is toNumber() without the trip through text (the same double).
    slot.priceNumber = numberOf(price);
    slot.exactPrice = false;
    slot.remainingNumber = numberOf(remaining);
    slot.open = decimalGt(remaining, ZERO);
  }

  /**
   * Adds a quote layer placed as integers, by its numbers while its remaining units are known: its
   * won is `numberOf(price)` exactly, and `units / 1e8` is `numberOf(remaining)` (both the double
   * nearest the same exact value).
   */
  addLayer(index: number, o: QuoteLayerOrder): void {
    const units = o.units;
    if (units === undefined) {
      this.add(index, o.side, o.spec.price, o.remaining);
      return;
    }
    const slot = this.next(index, o.side);
    slot.layer = o;
    slot.priceNumber = o.won;
    slot.exactPrice = true;
    slot.remainingNumber = units / 1e8;
    slot.open = units > 0;
  }

  private next(index: number, side: OrderSide): RestingSlot {
    let slot = this.slots[this.count];
    if (slot === undefined) {
      slot = new RestingSlot();
      this.slots.push(slot);
    }
    slot.index = index;
    slot.side = side;
    this.list[this.count] = slot;
    this.count += 1;
    return slot;
  }

  /** How many orders were added since {@link clear}. */
  get size(): number {
    return this.count;
  }

  /** The orders added since {@link clear}, in order: valid until the next add or clear. */
  orders(): readonly RestingNumbers[] {
    if (this.list.length !== this.count) this.list.length = this.count;
    return this.list;
  }

  /** Starts the next bar (and lets go of the last bar's layers). */
  clear(): void {
    for (let i = 0; i < this.count; i++) (this.slots[i] as RestingSlot).layer = undefined;
    this.count = 0;
  }
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

/** {@link byPriority}, comparing two prices that are their doubles exactly as those doubles. */
function byPriorityOnNumbers(a: RestingNumbers, b: RestingNumbers): number {
  if (!(a.exactPrice && b.exactPrice)) return byPriority(a, b);
  if (a.side !== b.side) return a.side === 'bid' ? -1 : 1;
  const x = a.priceNumber;
  const y = b.priceNumber;
  const cmp = x < y ? -1 : x > y ? 1 : 0;
  if (cmp !== 0) return a.side === 'bid' ? -cmp : cmp;
  return a.index - b.index;
}

function asVolume(value: Decimal): Volume {
  return floorVolume(volume(value));
}

/**
 * Fills estimated from the candle alone (see bar-path for the path and volume-profile assumptions).
 * Orders of one side share one pool: the volume that traded beyond a lower bid also traded beyond
 * every higher bid, and would have hit those first, so a bid receives the volume beyond its price
 * less what our better-priced (or earlier, equal-priced) bids already took. Partial fills are
 * floored to Upbit's 8 volume decimals. Fills are ordered by where the assumed path first passes
 * beyond each price, so a bid and an ask fill in one bar only when the path crosses both.
 *
 * Runs once per bar with resting orders (every bar of market making): the path, the side queues
 * and the placed fills live in module scratch arrays, refilled by index, so a bar allocates only
 * the fills it returns (and a partial fill's volume).
 */
export function fillsFromBar(bar: Candle, orders: readonly RestingNumbers[]): readonly RestingFill[] {
  const path = barPathInto(bar, PATH);
  const queue = QUEUE;
  let placed = 0;
  for (let s = 0; s < 2; s++) {
    const side = s === 0 ? 'bid' : 'ask';
    let n = 0;
    for (const o of orders) if (o.side === side && o.open) queue[n++] = o;
    if (n > 1) insertionSort(queue, n, byPriorityOnNumbers);
    // The estimate is a float; the pool is kept in float too, and only a partial fill is converted
    // to an exact volume (a fill that covers the whole order is the order's own exact remainder).
    let taken = 0;
    for (let rank = 0; rank < n; rank++) {
      const o = queue[rank] as RestingNumbers;
      const price = o.priceNumber;
      const at = firstBeyond(path, price, side);
      if (at === undefined) continue;
      const available = volumeBeyond(bar, price, side) - taken;
      if (!(available > 0)) continue;
      const fill =
        available >= o.remainingNumber
          ? o.remaining
          : asVolume(minDecimal(o.remaining, decimalFromNumber(available)));
      if (!decimalGt(fill, ZERO)) continue;
      taken += numberOf(fill);
      PLACED_FILL[placed] = { index: o.index, volume: fill };
      PLACED_AT[placed] = at;
      PLACED_RANK[placed] = rank;
      ORDER[placed] = placed;
      placed += 1;
    }
  }
  for (let i = 0; i < queue.length && queue[i] !== undefined; i++) queue[i] = undefined;
  // Most resting bars fill nothing: one shared empty list for them (the caller only reads it).
  if (placed === 0) return NO_FILLS;
  if (placed > 1) insertionSort(ORDER, placed, byPathThenRank);
  const out: RestingFill[] = [];
  for (let i = 0; i < placed; i++) {
    const k = ORDER[i] as number;
    out.push(PLACED_FILL[k] as RestingFill);
    PLACED_FILL[k] = undefined;
  }
  return out;
}

const NO_FILLS: readonly RestingFill[] = Object.freeze(emptyRefs<RestingFill>());

// fillsFromBar's scratch (see there): the bar's path, one side's queue, and the placed fills as
// parallel columns (fill, where the path reaches it, its rank on its side) with their sort order.
const PATH: MutableBarPath = { points: [0, 0, 0, 0] };
const QUEUE: (RestingNumbers | undefined)[] = [];
const PLACED_FILL: (RestingFill | undefined)[] = [];
const PLACED_AT: number[] = [];
const PLACED_RANK: number[] = [];
const ORDER: number[] = [];

/**
 * Sorts the first `n` items in place. Both comparators here are total orders (they end on the
 * placement index), so this is the order `Array.prototype.sort` gives, without the work array V8's
 * sort allocates on every call (a resting bar sorts two or three short lists).
 */
function insertionSort<T>(items: (T | undefined)[], n: number, compare: (a: T, b: T) => number): void {
  for (let i = 1; i < n; i++) {
    const item = items[i] as T;
    let j = i;
    while (j > 0 && compare(items[j - 1] as T, item) > 0) {
      items[j] = items[j - 1] as T;
      j -= 1;
    }
    items[j] = item;
  }
}

/** By where the path first passes beyond the fill's price, then rank on its side, then placement. */
function byPathThenRank(a: number, b: number): number {
  return (
    (PLACED_AT[a] as number) - (PLACED_AT[b] as number) ||
    (PLACED_RANK[a] as number) - (PLACED_RANK[b] as number) ||
    (PLACED_FILL[a] as RestingFill).index - (PLACED_FILL[b] as RestingFill).index
  );
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
