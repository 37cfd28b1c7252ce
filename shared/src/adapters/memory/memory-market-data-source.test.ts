import { flatCandle } from '../../../testing/flat-candle';
import type { Candle, Ticker } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { ManualClock } from './manual-clock';
import { MemoryMarketDataSource } from './memory-market-data-source';

const BTC = 'KRW-BTC' as Market;
const T0 = Date.UTC(2026, 10, 25, 0, 0, 0);

function candle(minute: number, close: number): Candle {
  return flatCandle(BTC, T0 + minute * MS.minute, close);
}

function newSource() {
  const clock = new ManualClock(T0 + MS.hour);
  return { clock, source: new MemoryMarketDataSource({ markets: [BTC], clock }) };
}

describe('MemoryMarketDataSource beyond the port', () => {
  it('keeps loaded candles sorted, replaces a candle with the same start, and serves ranges by `to`', async () => {
    const { source } = newSource();
    source.loadCandles([candle(2, 102), candle(0, 100), candle(1, 101)]);
    source.loadCandles([candle(1, 111)]);
    const all = await source.getCandles({ market: BTC, timeframe: '1m', count: 200 });
    expect(all.map((c) => c.close)).toEqual([100, 111, 102]);
    const page = await source.getCandles({
      market: BTC,
      timeframe: '1m',
      count: 1,
      to: (T0 + 2 * MS.minute) as EpochMs,
    });
    expect(page.map((c) => c.close)).toEqual([111]);
    expect(await source.getCandles({ market: BTC, timeframe: '5m', count: 5 })).toEqual([]);
  });

  it('serves 200 of 500 loaded candles per call, the latest first page then older pages', async () => {
    const { source } = newSource();
    source.loadCandles(Array.from({ length: 500 }, (_, i) => candle(i, 1000 + i)));
    const latest = await source.getCandles({ market: BTC, timeframe: '1m', count: 200 });
    expect([latest[0]?.close, latest[199]?.close]).toEqual([1300, 1499]);
    const older = await source.getCandles({
      market: BTC,
      timeframe: '1m',
      count: 200,
      to: latest[0]?.openTime as EpochMs,
    });
    expect([older[0]?.close, older[199]?.close]).toEqual([1100, 1299]);
  });

  it('refuses trades out of time order instead of silently corrupting candles', () => {
    const { source } = newSource();
    const trade = { market: BTC, price: 1, volume: 1, takerSide: 'bid' as const, sequentialId: '1' };
    source.recordTrade({ ...trade, timestamp: (T0 + 5000) as EpochMs });
    expect(() => source.recordTrade({ ...trade, timestamp: (T0 + 4000) as EpochMs })).toThrow(/time order/);
  });

  it('prefers a pinned ticker and uses the previous day close for a derived one', async () => {
    const { source, clock } = newSource();
    const trade = { market: BTC, volume: 1, takerSide: 'ask' as const };
    source.recordTrade({ ...trade, price: 90, timestamp: (T0 - MS.hour) as EpochMs, sequentialId: '1' });
    source.recordTrade({ ...trade, price: 95, timestamp: (T0 + MS.minute) as EpochMs, sequentialId: '2' });
    const [derived] = await source.getTickers([BTC]);
    expect([derived?.prevClosingPrice, derived?.openingPrice, derived?.tradePrice]).toEqual([90, 95, 95]);
    expect(derived?.timestamp).toBe(clock.now());
    const pinned: Ticker = { ...(derived as Ticker), tradePrice: 123 };
    source.setTicker(pinned);
    expect(await source.getTickers([BTC])).toEqual([pinned]);
  });

  it('shows at most 30 levels per side like Upbit', async () => {
    const { source } = newSource();
    const levels = Array.from({ length: 40 }, (_, i) => ({ price: 100 + i, size: 1 }));
    source.setOrderbook({ market: BTC, timestamp: T0 as EpochMs, asks: levels, bids: levels });
    const [book] = await source.getOrderbooks([BTC]);
    expect([book?.asks.length, book?.bids.length]).toEqual([30, 30]);
  });
});
