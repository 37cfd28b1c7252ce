import type { Candle } from '../domain/market/market-data';
import type { Market } from '../domain/market/market-id';
import type { Timeframe } from '../domain/market/timeframe';
import type { EpochMs } from '../domain/time/epoch';

/**
 * Order-flow features of one market for one minute, computed from trades and books by the
 * collector and read by the analysis function. Named float64 values (OFI, trade imbalance, spread,
 * depth imbalance, …): they feed models, never the order path, and the set grows with the models,
 * so the store keeps whatever names it is given.
 */
export interface MicrostructureFeatures {
  readonly market: Market;
  /** Start of the minute (epoch ms, a multiple of 60 000). */
  readonly minute: EpochMs;
  readonly values: Readonly<Record<string, number>>;
}

/**
 * Market data the cloud functions share through the state table: closed candles per market and
 * timeframe, and microstructure features per minute. Writes are idempotent (a candle is keyed by
 * market, timeframe and open time; writing it again replaces it with the same or a corrected bar),
 * so a collector that retries or overlaps its previous run never duplicates bars. Old data expires
 * (TTL per timeframe, infra/README.md); readers must not rely on expiry for correctness.
 */
export interface MarketDataStore {
  /** Stores closed candles (any markets and timeframes mixed); only closed bars may be passed. */
  putCandles(candles: readonly Candle[]): Promise<void>;
  /** The latest `limit` candles of a market and timeframe, oldest first (what indicators consume). */
  latestCandles(market: Market, timeframe: Timeframe, limit: number): Promise<Candle[]>;
  /** Candles with `from <= openTime < to`, oldest first. */
  candlesBetween(
    market: Market,
    timeframe: Timeframe,
    range: { readonly from: EpochMs; readonly to: EpochMs },
  ): Promise<Candle[]>;
  /** Stores (or replaces) the features of one market and minute. */
  putFeatures(features: MicrostructureFeatures): Promise<void>;
  getFeatures(market: Market, minute: EpochMs): Promise<MicrostructureFeatures | undefined>;
  /** The latest `limit` minutes of features of a market, oldest first. */
  latestFeatures(market: Market, limit: number): Promise<MicrostructureFeatures[]>;
}

const CANDLE_NUMBERS = ['open', 'high', 'low', 'close', 'volume', 'quoteVolume'] as const;

/**
 * Refuses a candle with a non-finite number: NaN or Infinity cannot be stored faithfully and would
 * poison every indicator that reads the bar later. Every store calls it before writing.
 */
export function checkCandle(c: Candle): void {
  for (const f of CANDLE_NUMBERS)
    if (!Number.isFinite(c[f]))
      throw new RangeError(`candle ${c.market} ${c.timeframe}@${c.openTime}: ${f} is not a finite number`);
}

/** Refuses features with a non-finite value, for the same reason as {@link checkCandle}. */
export function checkFeatures(f: MicrostructureFeatures): void {
  for (const [name, value] of Object.entries(f.values))
    if (!Number.isFinite(value))
      throw new RangeError(`features ${f.market}@${f.minute}: ${name} is not a finite number`);
}
