import type { Market } from '../market/market-id';
import { type Decimal, ZERO } from '../money/decimal';
import type { OrderSide } from '../orders/order-types';
import type { ExchangeOrder } from './exchange-order';

/** One price level of other traders' liquidity; `size` shrinks in place as we take it. */
export interface LiquidityLevel {
  readonly price: Decimal;
  size: Decimal;
}

/** A visible level `[price, size]` of the public book (synthetic liquidity plus our resting orders). */
export type VisibleLevel = readonly [price: Decimal, size: Decimal];

/** Upbit shows and matches market orders against at most 30 levels per side (since 2025-05-07). */
export const BOOK_DEPTH = 30;

function byBidPriority(a: ExchangeOrder, b: ExchangeOrder): number {
  const p = b.limitPrice?.cmp(a.limitPrice ?? ZERO) ?? 0;
  return p !== 0 ? p : a.seq - b.seq;
}

function byAskPriority(a: ExchangeOrder, b: ExchangeOrder): number {
  const p = a.limitPrice?.cmp(b.limitPrice ?? ZERO) ?? 0;
  return p !== 0 ? p : a.seq - b.seq;
}

/**
 * The book of one market: synthetic liquidity (other traders, replaced wholesale by the market
 * generator or a test driver) and our own resting orders in price-time priority.
 */
export class MarketBook {
  /** Other traders' bids, best (highest) first. */
  bids: LiquidityLevel[] = [];
  /** Other traders' asks, best (lowest) first. */
  asks: LiquidityLevel[] = [];
  /** Our resting bids, best price first, then earliest. */
  readonly restingBids: ExchangeOrder[] = [];
  /** Our resting asks, best price first, then earliest. */
  readonly restingAsks: ExchangeOrder[] = [];
  /** Time of the last change, reported as the orderbook `timestamp`. */
  updatedAt = 0;

  constructor(readonly market: Market) {}

  /** Replaces the synthetic liquidity; levels are re-sorted and empty ones dropped. */
  setLiquidity(bids: readonly LiquidityLevel[], asks: readonly LiquidityLevel[]): void {
    this.bids = bids.filter((l) => l.size.gt(0)).sort((a, b) => b.price.cmp(a.price));
    this.asks = asks.filter((l) => l.size.gt(0)).sort((a, b) => a.price.cmp(b.price));
  }

  /** Best synthetic quote on one side. */
  best(side: OrderSide): Decimal | undefined {
    return (side === 'bid' ? this.bids[0] : this.asks[0])?.price;
  }

  /** Drops exhausted levels after a sweep. */
  prune(): void {
    if (this.bids.some((l) => l.size.lte(0))) this.bids = this.bids.filter((l) => l.size.gt(0));
    if (this.asks.some((l) => l.size.lte(0))) this.asks = this.asks.filter((l) => l.size.gt(0));
  }

  /** Sum of sizes over the top `levels` synthetic levels of a side (market-sell depth check). */
  depthVolume(side: OrderSide, levels = BOOK_DEPTH): Decimal {
    let total = ZERO;
    const book = side === 'bid' ? this.bids : this.asks;
    for (let i = 0; i < Math.min(levels, book.length); i++) total = total.plus(book[i]?.size ?? ZERO);
    return total;
  }

  /** KRW value over the top `levels` synthetic levels of a side (market-buy depth check). */
  depthValue(side: OrderSide, levels = BOOK_DEPTH): Decimal {
    let total = ZERO;
    const book = side === 'bid' ? this.bids : this.asks;
    for (let i = 0; i < Math.min(levels, book.length); i++) {
      const l = book[i];
      if (l !== undefined) total = total.plus(l.price.times(l.size));
    }
    return total;
  }

  /** Adds one of our orders to the resting queue of its side. */
  addResting(o: ExchangeOrder): void {
    const queue = o.side === 'bid' ? this.restingBids : this.restingAsks;
    queue.push(o);
    queue.sort(o.side === 'bid' ? byBidPriority : byAskPriority);
  }

  /** Removes one of our orders from its queue (filled or cancelled). */
  removeResting(o: ExchangeOrder): void {
    const queue = o.side === 'bid' ? this.restingBids : this.restingAsks;
    const i = queue.indexOf(o);
    if (i >= 0) queue.splice(i, 1);
  }

  /** Best visible price of a side, counting our own resting orders. */
  bestVisible(side: OrderSide): Decimal | undefined {
    const synthetic = this.best(side);
    const own = (side === 'bid' ? this.restingBids[0] : this.restingAsks[0])?.limitPrice;
    if (synthetic === undefined) return own;
    if (own === undefined) return synthetic;
    return side === 'bid' ? (own.gt(synthetic) ? own : synthetic) : own.lt(synthetic) ? own : synthetic;
  }

  /** The public view of one side: synthetic and our resting volume merged per price, best first. */
  visible(side: OrderSide, depth = BOOK_DEPTH): VisibleLevel[] {
    const merged = new Map<string, [Decimal, Decimal]>();
    const add = (p: Decimal, s: Decimal) => {
      const key = p.toFixed();
      const cur = merged.get(key);
      if (cur === undefined) merged.set(key, [p, s]);
      else cur[1] = cur[1].plus(s);
    };
    for (const l of side === 'bid' ? this.bids : this.asks) add(l.price, l.size);
    for (const o of side === 'bid' ? this.restingBids : this.restingAsks)
      if (o.limitPrice !== undefined && o.remainingVolume !== undefined) add(o.limitPrice, o.remainingVolume);
    const levels = [...merged.values()].sort((a, b) => (side === 'bid' ? b[0].cmp(a[0]) : a[0].cmp(b[0])));
    return levels.slice(0, depth);
  }
}
