import type { OrderSide } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import type { Market } from './market-id';
import type { Timeframe } from './timeframe';

/**
 * One OHLCV candle. Prices are float64: candles feed indicators, never the order path (orders are
 * priced with `Price` after rounding to the tick grid). `openTime` is the bucket start (Upbit's
 * `candle_date_time_utc`), not Upbit's `timestamp`, which is the time of the last trade.
 */
export interface Candle {
  readonly market: Market;
  readonly timeframe: Timeframe;
  readonly openTime: EpochMs;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Base-currency volume (`candle_acc_trade_volume`). */
  readonly volume: number;
  /** KRW value traded (`candle_acc_trade_price`). */
  readonly quoteVolume: number;
}

/** One public trade. `takerSide` is Upbit's `ask_bid`: `bid` when a buyer lifted the ask. */
export interface Trade {
  readonly market: Market;
  readonly timestamp: EpochMs;
  readonly price: number;
  readonly volume: number;
  readonly takerSide: OrderSide;
  readonly sequentialId: string;
}

/** One price level of an order book. */
export interface BookLevel {
  readonly price: number;
  readonly size: number;
}

/** A full order-book snapshot (Upbit always sends whole books, never deltas). Asks ascend, bids descend. */
export interface OrderbookSnapshot {
  readonly market: Market;
  readonly timestamp: EpochMs;
  readonly asks: readonly BookLevel[];
  readonly bids: readonly BookLevel[];
}

/** Latest ticker facts used for valuation and fat-finger checks. */
export interface Ticker {
  readonly market: Market;
  readonly timestamp: EpochMs;
  readonly tradePrice: number;
  readonly openingPrice: number;
  readonly highPrice: number;
  readonly lowPrice: number;
  readonly prevClosingPrice: number;
  readonly accTradeVolume24h: number;
  readonly accTradePrice24h: number;
}
