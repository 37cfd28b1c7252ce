import type { Candle } from '../src/domain/market/market-data';
import type { Market } from '../src/domain/market/market-id';
import type { Timeframe } from '../src/domain/market/timeframe';
import type { EpochMs } from '../src/domain/time/epoch';
import type { MarketDataStore, MicrostructureFeatures } from '../src/ports/market-data-store';
import { BTC, T0 } from './state-builders';

/** Builds a fresh, empty store for each test. */
export type MarketDataStoreFactory = () => Promise<MarketDataStore> | MarketDataStore;

const ETH = 'KRW-ETH' as Market;
const MINUTE = 60_000;

/** A 1m BTC bar `i` minutes after T0 with distinct, awkward float64 values. */
export function aCandle(i: number, overrides: Partial<Candle> = {}): Candle {
  return {
    market: BTC,
    timeframe: '1m',
    openTime: (T0 + i * MINUTE) as EpochMs,
    open: 151_234_000 + i,
    high: 151_300_000.5 + i,
    low: 151_100_000 + i,
    close: 151_250_000 + i,
    volume: 0.1 + 0.2 + i,
    quoteVolume: 45_678_901.234567 * (i + 1),
    ...overrides,
  };
}

function features(minute: number, values: Record<string, number>, market = BTC): MicrostructureFeatures {
  return { market, minute: (T0 + minute * MINUTE) as EpochMs, values };
}

const opens = (candles: readonly Candle[]): number[] => candles.map((c) => (c.openTime - T0) / MINUTE);

/**
 * The behaviour every {@link MarketDataStore} must have, run against the memory fake and the
 * DynamoDB adapter on DynamoDB Local: idempotent candle writes, latest-N oldest first per market and
 * timeframe, half-open time ranges, exact float64 round trips, and features per minute.
 */
export function describeMarketDataStoreContract(name: string, makeStore: MarketDataStoreFactory): void {
  describe(`MarketDataStore contract: ${name}`, () => {
    let store: MarketDataStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('stores a bar once however often it is written, the last write winning', async () => {
      const bars = [0, 1, 2].map((i) => aCandle(i));
      await store.putCandles(bars);
      await store.putCandles(bars);
      await store.putCandles([aCandle(2, { close: 151_999_999 }), aCandle(2, { close: 152_000_000 })]);
      const latest = await store.latestCandles(BTC, '1m', 10);
      expect(opens(latest)).toEqual([0, 1, 2]);
      expect(latest[2]?.close).toBe(152_000_000);
    });

    it('returns the latest N oldest first, per market and timeframe only', async () => {
      await store.putCandles([5, 3, 1, 4, 2, 0].map((i) => aCandle(i)));
      await store.putCandles([aCandle(9, { market: ETH }), aCandle(9, { timeframe: '5m' as Timeframe })]);
      expect(opens(await store.latestCandles(BTC, '1m', 3))).toEqual([3, 4, 5]);
      expect(opens(await store.latestCandles(BTC, '1m', 100))).toEqual([0, 1, 2, 3, 4, 5]);
      expect(await store.latestCandles(BTC, '1m', 0)).toEqual([]);
      expect(opens(await store.latestCandles(ETH, '1m', 5))).toEqual([9]);
      expect(await store.latestCandles(BTC, '15m', 5)).toEqual([]);
    });

    it('round-trips every field exactly, including awkward floats', async () => {
      // Beyond Number.MAX_SAFE_INTEGER too: turnovers of low-priced coins get that large.
      const bar = aCandle(7, { volume: 1e-8, quoteVolume: 2 ** 55 / 3, open: 0.1 + 0.2, low: 2 ** 60 });
      await store.putCandles([bar]);
      expect(await store.latestCandles(BTC, '1m', 1)).toEqual([bar]);
    });

    it('writes large batches completely (more than one DynamoDB batch)', async () => {
      await store.putCandles(Array.from({ length: 60 }, (_, i) => aCandle(i)));
      const latest = await store.latestCandles(BTC, '1m', 50);
      expect(opens(latest)).toEqual(Array.from({ length: 50 }, (_, i) => i + 10));
    });

    it('lists candles in [from, to)', async () => {
      await store.putCandles([0, 1, 2, 3].map((i) => aCandle(i)));
      const range = { from: (T0 + MINUTE) as EpochMs, to: (T0 + 3 * MINUTE) as EpochMs };
      expect(opens(await store.candlesBetween(BTC, '1m', range))).toEqual([1, 2]);
      expect(await store.candlesBetween(BTC, '1m', { from: range.to, to: range.from })).toEqual([]);
    });

    it('refuses a bar with a non-finite number and writes none of its batch', async () => {
      await expect(store.putCandles([aCandle(0), aCandle(1, { close: Number.NaN })])).rejects.toThrow(
        /close is not a finite number/,
      );
      expect(await store.latestCandles(BTC, '1m', 5)).toEqual([]);
    });

    it('stores features per market and minute, replaced on rewrite, latest N oldest first', async () => {
      await store.putFeatures(features(0, { ofi: 0.25, spreadBps: 1.5 }));
      await store.putFeatures(features(2, { ofi: -0.5 }));
      await store.putFeatures(features(1, { ofi: 0.1 }));
      await store.putFeatures(features(1, { ofi: 0.125, tradeImbalance: -1e-9 }));
      await store.putFeatures(features(5, { ofi: 9 }, ETH));
      expect(await store.getFeatures(BTC, (T0 + MINUTE) as EpochMs)).toEqual(
        features(1, { ofi: 0.125, tradeImbalance: -1e-9 }),
      );
      expect(await store.getFeatures(BTC, (T0 + 9 * MINUTE) as EpochMs)).toBeUndefined();
      const latest = await store.latestFeatures(BTC, 2);
      expect(latest.map((f) => f.values.ofi)).toEqual([0.125, -0.5]);
      expect(await store.latestFeatures(ETH, 10)).toHaveLength(1);
      await expect(store.putFeatures(features(3, { ofi: Number.POSITIVE_INFINITY }))).rejects.toThrow(
        /ofi is not a finite number/,
      );
    });
  });
}
