import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { Timeframe } from '../../domain/market/timeframe';
import type { EpochMs } from '../../domain/time/epoch';
import {
  checkCandle,
  checkFeatures,
  type MarketDataStore,
  type MicrostructureFeatures,
} from '../../ports/market-data-store';

/** Items of one partition keyed by their instant, read back in time order. */
class TimeSeries<T> {
  private readonly byTime = new Map<number, T>();

  put(at: number, item: T): void {
    this.byTime.set(at, item);
  }

  get(at: number): T | undefined {
    return this.byTime.get(at);
  }

  /** Items with `from <= at < to`, oldest first. */
  between(from: number, to: number): T[] {
    return [...this.byTime.entries()]
      .filter(([at]) => at >= from && at < to)
      .sort(([a], [b]) => a - b)
      .map(([, item]) => item);
  }

  /** The latest `limit` items, oldest first. */
  latest(limit: number): T[] {
    if (limit <= 0) return [];
    const sorted = [...this.byTime.entries()].sort(([a], [b]) => a - b);
    return sorted.slice(Math.max(0, sorted.length - limit)).map(([, item]) => item);
  }
}

/**
 * In-memory {@link MarketDataStore} with the DynamoDB adapter's semantics (one item per market,
 * timeframe and open time; replace on rewrite; time-ordered reads) for tests and local runs. It
 * never expires data: TTL is a storage cost measure, not behaviour readers may depend on.
 */
export class MemoryMarketDataStore implements MarketDataStore {
  private readonly candles = new Map<string, TimeSeries<Candle>>();
  private readonly features = new Map<string, TimeSeries<MicrostructureFeatures>>();

  async putCandles(candles: readonly Candle[]): Promise<void> {
    for (const c of candles) checkCandle(c);
    for (const c of candles) series(this.candles, `${c.market}#${c.timeframe}`).put(c.openTime, { ...c });
  }

  async latestCandles(market: Market, timeframe: Timeframe, limit: number): Promise<Candle[]> {
    return this.candles.get(`${market}#${timeframe}`)?.latest(limit) ?? [];
  }

  async candlesBetween(
    market: Market,
    timeframe: Timeframe,
    range: { readonly from: EpochMs; readonly to: EpochMs },
  ): Promise<Candle[]> {
    return this.candles.get(`${market}#${timeframe}`)?.between(range.from, range.to) ?? [];
  }

  async putFeatures(features: MicrostructureFeatures): Promise<void> {
    checkFeatures(features);
    series(this.features, features.market).put(features.minute, {
      ...features,
      values: { ...features.values },
    });
  }

  async getFeatures(market: Market, minute: EpochMs): Promise<MicrostructureFeatures | undefined> {
    return this.features.get(market)?.get(minute);
  }

  async latestFeatures(market: Market, limit: number): Promise<MicrostructureFeatures[]> {
    return this.features.get(market)?.latest(limit) ?? [];
  }
}

function series<T>(map: Map<string, TimeSeries<T>>, key: string): TimeSeries<T> {
  let s = map.get(key);
  if (s === undefined) {
    s = new TimeSeries<T>();
    map.set(key, s);
  }
  return s;
}
