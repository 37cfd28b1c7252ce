import type { Market } from '../market/market-id';
import type { Decimal } from '../money/decimal';
import type { Price, Volume } from '../money/quantities';
import type { OrderSide } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import type { ExchangeTrade, OrderSnapshot } from './exchange-order';

/**
 * What the engine reports after each operation, in order. The fake exchange turns these into
 * WebSocket frames (`myOrder`, `myAsset`, `trade`, `orderbook`) and candles; the backtester's broker
 * turns them into fills. Discriminated on `type`.
 */
export type ExchangeEvent = OrderEvent | AssetEvent | PublicTradeEvent | BookEvent;

/**
 * One of our orders changed. `state` is Upbit's `myOrder` state: `trade` for a fill (then `trade` is
 * set), `prevented` when self-match prevention cut it.
 */
export interface OrderEvent {
  readonly type: 'order';
  readonly state: 'wait' | 'trade' | 'done' | 'cancel' | 'prevented';
  readonly order: OrderSnapshot;
  readonly trade?: ExchangeTrade;
  readonly at: EpochMs;
}

/** Balances changed; lists only the currencies that changed (PROTOCOL.md §7.4 myAsset). */
export interface AssetEvent {
  readonly type: 'asset';
  readonly assets: readonly {
    readonly currency: string;
    readonly balance: Decimal;
    readonly locked: Decimal;
  }[];
  readonly at: EpochMs;
}

/** A trade printed on the public tape (ours or other traders'). `takerSide` is Upbit's `ask_bid`. */
export interface PublicTradeEvent {
  readonly type: 'publicTrade';
  readonly market: Market;
  readonly price: Price;
  readonly volume: Volume;
  readonly takerSide: OrderSide;
  readonly at: EpochMs;
  /** Unique, increasing per engine (Upbit's `sequential_id` is unique, not strictly ordered). */
  readonly sequentialId: number;
}

/** The visible book of a market changed (a full snapshot should be published). */
export interface BookEvent {
  readonly type: 'book';
  readonly market: Market;
  readonly at: EpochMs;
}
