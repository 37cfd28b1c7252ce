import { isTradingError } from '../src/domain/errors/trading-error';
import type { Candle } from '../src/domain/market/market-data';
import type { Market } from '../src/domain/market/market-id';
import type { OrderSide } from '../src/domain/orders/order-types';
import { type EpochMs, MS } from '../src/domain/time/epoch';
import type { MarketDataSource } from '../src/ports/market-data-source';
import type { ContractBook } from './trading-venue-contract';

/**
 * How the suite sets up market data: by printing trades and books, the way a market makes them, so the
 * same suite runs against the in-memory source and against UpbitMarketDataSource on the fake exchange
 * (driven by a manual clock). Each factory call is a fresh market with no trades that lists KRW-BTC and
 * KRW-ETH and not KRW-DOGE.
 */
export interface MarketDataHarness {
  readonly source: MarketDataSource;
  /** The source's current time. */
  now(): EpochMs;
  /** Lets `ms` of the source's time pass. */
  pass(ms: number): Promise<void> | void;
  /** Prints another trader's trade at the current time. */
  printTrade(market: Market, price: string, volume: string, takerSide: OrderSide): Promise<void> | void;
  /** Replaces the order book of a market. */
  setBook(market: Market, book: ContractBook): Promise<void> | void;
  /** Releases what the factory started. */
  dispose?(): Promise<void> | void;
}

/** Builds a fresh harness for each test. */
export type MarketDataHarnessFactory = () => Promise<MarketDataHarness> | MarketDataHarness;

const BTC = 'KRW-BTC' as Market;
const ETH = 'KRW-ETH' as Market;
const UNLISTED = 'KRW-DOGE' as Market;

/** The tape every candle test reads: minute 0 has three trades, minute 1 one, minute 2 none, minute 3 one. */
const TAPE = [
  { offset: 1_000, price: '100000000', volume: '0.1', side: 'bid' },
  { offset: 11_000, price: '100500000', volume: '0.2', side: 'ask' },
  { offset: 21_000, price: '99800000', volume: '0.1', side: 'bid' },
  { offset: 65_000, price: '100200000', volume: '0.3', side: 'ask' },
  { offset: 185_000, price: '101000000', volume: '0.05', side: 'bid' },
] as const;

function expectNear(actual: number | undefined, expected: number): void {
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );
}

function ohlc(c: Candle | undefined): number[] {
  return c === undefined ? [] : [c.open, c.high, c.low, c.close];
}

/**
 * The behaviour every MarketDataSource must have: lists oldest first, candles only where trades
 * happened and aligned on UTC buckets like Upbit's, Upbit's exclusive `to`, page limits, whole books
 * and tickers in the order asked, and `rejected` for markets that are not listed.
 */
export function describeMarketDataSourceContract(name: string, make: MarketDataHarnessFactory): void {
  describe(`MarketDataSource contract: ${name}`, () => {
    let h: MarketDataHarness;
    let hour: number;
    beforeEach(async () => {
      h = await make();
      // Start on an hour boundary so every timeframe up to 1d holds the whole tape in one bucket.
      await h.pass(MS.hour - (h.now() % MS.hour));
      hour = h.now();
      for (const t of TAPE) {
        await h.pass(hour + t.offset - h.now());
        await h.printTrade(BTC, t.price, t.volume, t.side);
      }
      await h.pass(hour + 4 * MS.minute + 30_000 - h.now());
    });
    afterEach(async () => {
      await h.dispose?.();
    });

    it('builds minute candles from trades, oldest first, and never invents one for a silent minute', async () => {
      const candles = await h.source.getCandles({ market: BTC, timeframe: '1m', count: 10 });
      expect(candles.map((c) => c.openTime - hour)).toEqual([0, MS.minute, 3 * MS.minute]);
      expect(candles.map(ohlc)).toEqual([
        [100_000_000, 100_500_000, 99_800_000, 99_800_000],
        [100_200_000, 100_200_000, 100_200_000, 100_200_000],
        [101_000_000, 101_000_000, 101_000_000, 101_000_000],
      ]);
      expect(candles.every((c) => c.market === BTC && c.timeframe === '1m')).toBe(true);
      expectNear(candles[0]?.volume, 0.4);
      expectNear(candles[0]?.quoteVolume, 10_000_000 + 20_100_000 + 9_980_000);
    });

    it('pages candles by count (the latest ones) and by an exclusive `to`', async () => {
      const latest = await h.source.getCandles({ market: BTC, timeframe: '1m', count: 2 });
      expect(latest.map((c) => c.openTime - hour)).toEqual([MS.minute, 3 * MS.minute]);
      const before = await h.source.getCandles({
        market: BTC,
        timeframe: '1m',
        count: 10,
        to: (hour + 3 * MS.minute) as EpochMs,
      });
      expect(before.map((c) => c.openTime - hour)).toEqual([0, MS.minute]);
      const one = await h.source.getCandles({
        market: BTC,
        timeframe: '1m',
        count: 1,
        to: (hour + MS.minute) as EpochMs,
      });
      expect(one.map((c) => c.openTime - hour)).toEqual([0]);
      expect(
        await h.source.getCandles({ market: BTC, timeframe: '1m', count: 5, to: hour as EpochMs }),
      ).toEqual([]);
    });

    it.each(['5m', '60m', '1d'] as const)(
      'aggregates %s candles on UTC-aligned buckets',
      async (timeframe) => {
        const [candle, ...rest] = await h.source.getCandles({ market: BTC, timeframe, count: 5 });
        expect(rest).toEqual([]);
        const length = { '5m': 5 * MS.minute, '60m': MS.hour, '1d': MS.day }[timeframe];
        expect(candle?.openTime).toBe(Math.floor(hour / length) * length);
        expect(ohlc(candle)).toEqual([100_000_000, 101_000_000, 99_800_000, 101_000_000]);
        expectNear(candle?.volume, 0.75);
      },
    );

    it('returns the most recent trades, oldest first', async () => {
      const last3 = await h.source.getRecentTrades(BTC, 3);
      expect(last3.map((t) => [t.price, t.takerSide, t.timestamp - hour])).toEqual([
        [99_800_000, 'bid', 21_000],
        [100_200_000, 'ask', 65_000],
        [101_000_000, 'bid', 185_000],
      ]);
      const all = await h.source.getRecentTrades(BTC, 100);
      expect(all.map((t) => t.volume)).toEqual([0.1, 0.2, 0.1, 0.3, 0.05]);
      expect(new Set(all.map((t) => t.sequentialId)).size).toBe(5);
      expect(all.every((t) => t.market === BTC)).toBe(true);
    });

    it('serves whole books in the order asked, asks ascending and bids descending', async () => {
      await h.setBook(BTC, {
        bids: [
          ['100900000', '0.5'],
          ['100800000', '1.25'],
        ],
        asks: [
          ['101100000', '0.3'],
          ['101200000', '2'],
        ],
      });
      await h.setBook(ETH, { bids: [['4999000', '3']], asks: [['5001000', '4']] });
      const books = await h.source.getOrderbooks([ETH, BTC]);
      expect(books.map((b) => b.market)).toEqual([ETH, BTC]);
      const btc = books[1];
      expect(btc?.asks.map((l) => [l.price, l.size])).toEqual([
        [101_100_000, 0.3],
        [101_200_000, 2],
      ]);
      expect(btc?.bids.map((l) => [l.price, l.size])).toEqual([
        [100_900_000, 0.5],
        [100_800_000, 1.25],
      ]);
      expect(books[0]?.asks.map((l) => l.price)).toEqual([5_001_000]);
    });

    it('derives the ticker from the trades of the UTC day', async () => {
      const [ticker, ...rest] = await h.source.getTickers([BTC]);
      expect(rest).toEqual([]);
      expect(ticker?.market).toBe(BTC);
      expect([ticker?.tradePrice, ticker?.openingPrice, ticker?.highPrice, ticker?.lowPrice]).toEqual([
        101_000_000, 100_000_000, 101_000_000, 99_800_000,
      ]);
      expectNear(ticker?.accTradeVolume24h, 0.75);
      expectNear(ticker?.accTradePrice24h, 10_000_000 + 20_100_000 + 9_980_000 + 30_060_000 + 5_050_000);
    });

    it('has nothing for a listed market without trades', async () => {
      expect(await h.source.getCandles({ market: ETH, timeframe: '1m', count: 5 })).toEqual([]);
      expect(await h.source.getRecentTrades(ETH, 5)).toEqual([]);
      expect(await h.source.getTickers([ETH])).toEqual([]);
    });

    it('rejects markets that are not listed', async () => {
      const kinds = await Promise.all(
        [
          h.source.getCandles({ market: UNLISTED, timeframe: '1m', count: 1 }),
          h.source.getRecentTrades(UNLISTED, 1),
          h.source.getTickers([BTC, UNLISTED]),
          h.source.getOrderbooks([UNLISTED]),
        ].map((p) =>
          p.then(
            () => 'answered',
            (e: unknown) => (isTradingError(e) ? e.kind : String(e)),
          ),
        ),
      );
      expect(kinds).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    });

    it("refuses counts outside Upbit's page limits", async () => {
      await expect(h.source.getCandles({ market: BTC, timeframe: '1m', count: 0 })).rejects.toThrow(
        RangeError,
      );
      await expect(h.source.getCandles({ market: BTC, timeframe: '1m', count: 201 })).rejects.toThrow(
        RangeError,
      );
      await expect(h.source.getRecentTrades(BTC, 0)).rejects.toThrow(RangeError);
    });
  });
}
