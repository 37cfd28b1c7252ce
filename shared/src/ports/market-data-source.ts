import type { Candle, OrderbookSnapshot, Ticker, Trade } from '../domain/market/market-data';
import type { Market } from '../domain/market/market-id';
import type { Timeframe } from '../domain/market/timeframe';
import type { EpochMs } from '../domain/time/epoch';

/** Query for a page of candles. */
export interface CandleQuery {
  readonly market: Market;
  readonly timeframe: Timeframe;
  /** Candles strictly before this instant (Upbit's exclusive `to`); omitted = latest. */
  readonly to?: EpochMs;
  /** How many, 1–200 per call as on Upbit. */
  readonly count: number;
}

/**
 * Request/response market data (Upbit Quotation REST, the fake exchange, or recorded data).
 * Every list comes back oldest first, whatever the source's own order, so callers can feed it to
 * indicators directly. Failures are `TradingError`s classified retryable/rejected/fatal.
 */
export interface MarketDataSource {
  getCandles(query: CandleQuery): Promise<Candle[]>;
  /** Most recent trades, oldest first. */
  getRecentTrades(market: Market, count: number): Promise<Trade[]>;
  getOrderbooks(markets: readonly Market[]): Promise<OrderbookSnapshot[]>;
  getTickers(markets: readonly Market[]): Promise<Ticker[]>;
}
