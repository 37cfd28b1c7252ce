import type { Market } from '../market/market-id';
import type { Decimal } from '../money/decimal';
import type { Krw, Price, Volume } from '../money/quantities';
import type { OrderSide, OrderState, OrdType, SmpType, TimeInForce } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';

/** One fill of one of our orders, as Upbit lists it under `trades[]` (plus the fee and maker flag). */
export interface ExchangeTrade {
  readonly uuid: string;
  readonly market: Market;
  readonly price: Price;
  readonly volume: Volume;
  /** price × volume. */
  readonly funds: Krw;
  readonly fee: Krw;
  /** `up` when a buyer took liquidity, `down` when a seller did (Upbit's `trend`). */
  readonly trend: 'up' | 'down';
  /** This order's side. */
  readonly side: OrderSide;
  readonly isMaker: boolean;
  /** Microseconds since the epoch: Upbit prints trade times with microseconds. */
  readonly createdAtUs: number;
}

/**
 * An order inside the engine. Mutable on purpose (the engine updates it in place on every fill, which
 * keeps the hot path allocation-light); callers only ever see {@link snapshotOrder} copies.
 * Field meanings follow Upbit's order object (PROTOCOL.md §5.3).
 */
export interface ExchangeOrder {
  readonly uuid: string;
  readonly identifier: string | undefined;
  readonly market: Market;
  readonly side: OrderSide;
  readonly ordType: OrdType;
  state: OrderState;
  /** Unit price (limit), KRW budget (price / best bid), undefined (market sell / best ask). */
  readonly price: Price | undefined;
  readonly volume: Volume | undefined;
  remainingVolume: Volume | undefined;
  executedVolume: Volume;
  executedFunds: Krw;
  readonly reservedFee: Krw;
  remainingFee: Krw;
  paidFee: Krw;
  locked: Decimal;
  preventedVolume: Volume;
  preventedLocked: Decimal;
  readonly timeInForce: TimeInForce | undefined;
  readonly smpType: SmpType;
  /** Price the order may trade at: the limit, or the best quote at submission for `best` orders. */
  readonly limitPrice: Price | undefined;
  /** KRW still to spend for budget orders (`price`, `best` bids). */
  budgetLeft: Krw | undefined;
  readonly trades: ExchangeTrade[];
  readonly createdAt: EpochMs;
  /** Arrival sequence number: the "time" of price-time priority. */
  readonly seq: number;
}

/** A frozen copy of an order at one instant (decimals are immutable, so sharing them is safe). */
export type OrderSnapshot = Readonly<Omit<ExchangeOrder, 'trades'>> & {
  readonly trades: readonly ExchangeTrade[];
};

/** Copies an order so later fills cannot change what a caller already holds. */
export function snapshotOrder(o: ExchangeOrder): OrderSnapshot {
  return { ...o, trades: o.trades.slice() };
}

/** True while the order can still trade (Upbit `wait`). */
export function isOpen(o: { readonly state: OrderState }): boolean {
  return o.state === 'wait' || o.state === 'watch';
}
