import { join } from 'node:path';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import {
  type FakeExchange,
  type FakeExchangeOptions,
  startFakeExchange,
} from '../../shared/src/fake-exchange/fake-exchange';
import { T0 } from './support/fixed-market';
import { simHttp } from './support/sim-http';

const UPBIT_JSON = join(__dirname, '..', 'fixtures', 'data', 'upbit_krw-btc_1m_2020-02-20.json');
const ETH_CSV = join(__dirname, '..', 'fixtures', 'fake-exchange', 'KRW-ETH.csv');

const running: FakeExchange[] = [];
afterEach(async () => {
  for (const f of running.splice(0)) await f.close();
});

async function autoMarket(
  options: FakeExchangeOptions,
  start = T0,
): Promise<{ fake: FakeExchange; clock: ManualClock }> {
  const clock = new ManualClock(start);
  const fake = await startFakeExchange({ clock, autoMarket: true, ...options });
  running.push(fake);
  return { fake, clock };
}

async function snapshot(fake: FakeExchange): Promise<unknown> {
  const api = simHttp(fake);
  const q = (path: string, query: [string, string][]) =>
    api.get(path, query, { unsigned: true }).then((r) => r.body);
  return {
    trades: await q('/trades/ticks', [
      ['market', 'KRW-BTC'],
      ['count', '200'],
    ]),
    book: await q('/orderbook', [['markets', 'KRW-BTC,KRW-XRP']]),
    candles: await q('/candles/seconds', [
      ['market', 'KRW-ETH'],
      ['count', '200'],
    ]),
    ticker: await q('/ticker', [['markets', 'KRW-BTC,KRW-ETH,KRW-XRP,KRW-ADA,KRW-SOL']]),
  };
}

describe('synthetic market (random walk)', () => {
  it('is deterministic under the seed: same seed, same tape, book, candles and ticker', async () => {
    const a = await autoMarket({ seed: 42 });
    const b = await autoMarket({ seed: 42 });
    const c = await autoMarket({ seed: 43 });
    for (const m of [a, b, c]) await m.clock.advance(30_000);
    const sa = await snapshot(a.fake);
    expect(await snapshot(b.fake)).toEqual(sa);
    expect(await snapshot(c.fake)).not.toEqual(sa);
  });

  it('lists the default markets at realistic prices with a book whose touch is the last trade', async () => {
    const { fake, clock } = await autoMarket({ seed: 7 });
    await clock.advance(10_000);
    expect(fake.markets).toEqual(['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-ADA', 'KRW-SOL']);
    const api = simHttp(fake);
    const tickers = (await api.get('/ticker/all', [], { unsigned: true })).body as {
      market: string;
      trade_price: number;
    }[];
    const price = Object.fromEntries(tickers.map((t) => [t.market, t.trade_price]));
    expect(price['KRW-BTC']).toBeGreaterThan(100_000_000);
    expect(price['KRW-XRP']).toBeLessThan(10_000);
    const [book] = (await api.get('/orderbook', [['markets', 'KRW-BTC']], { unsigned: true })).body;
    expect(book.orderbook_units).toHaveLength(30);
    const top = book.orderbook_units[0];
    expect(top.ask_price).toBeGreaterThan(top.bid_price);
    expect([top.ask_price, top.bid_price]).toContain(price['KRW-BTC']);
  });

  it('a market buy fills against the synthetic book at the best ask', async () => {
    const { fake, clock } = await autoMarket({ seed: 3 });
    await clock.advance(5_000);
    const api = simHttp(fake);
    const placed = await api.post('/orders', {
      market: 'KRW-ETH',
      side: 'bid',
      price: '100000',
      ord_type: 'price',
    });
    expect(placed.status).toBe(201);
    const o = (await api.get('/order', [['uuid', placed.body.uuid]])).body;
    // done when the budget divides exactly at the ask (5,000,000 here), cancel with KRW dust otherwise
    expect(['done', 'cancel']).toContain(o.state);
    expect(Number(o.executed_volume)).toBeGreaterThan(0.015);
    expect(o.trades[0]).toMatchObject({ trend: 'up', side: 'bid' });
  });

  it('speed N moves sim time N times faster than the clock', async () => {
    const { fake, clock } = await autoMarket({ seed: 1, speed: 60 });
    const t0 = fake.controls.now();
    await clock.advance(1_000);
    expect(fake.controls.now() - t0).toBe(60_000);
  });
});

describe('synthetic market (candle replay)', () => {
  it('replays Upbit candle JSON: the fake rebuilds the same 1-minute OHLC from its own tape', async () => {
    const data = (await import(UPBIT_JSON)).default as {
      candle_date_time_utc: string;
      opening_price: number;
      high_price: number;
      low_price: number;
      trade_price: number;
      candle_acc_trade_volume: number;
    }[];
    const { fake, clock } = await autoMarket({ dataPath: UPBIT_JSON, markets: ['KRW-BTC'], speed: 60 }, 0);
    expect(fake.markets).toEqual(['KRW-BTC']);
    await clock.advance(6 * 1_000);
    const candles = (
      await simHttp(fake).get(
        '/candles/minutes/1',
        [
          ['market', 'KRW-BTC'],
          ['count', '10'],
        ],
        { unsigned: true },
      )
    ).body as typeof data;
    const byTime = new Map(data.map((d) => [d.candle_date_time_utc, d]));
    // Older candles are the seeded history before the data starts (tested in market-history.test.ts).
    const first = data[0]?.candle_date_time_utc ?? '';
    const complete = candles
      .slice(1)
      .reverse()
      .filter((c) => c.candle_date_time_utc >= first);
    expect(complete.length).toBeGreaterThanOrEqual(4);
    expect(complete[0]?.candle_date_time_utc).toBe(data[0]?.candle_date_time_utc);
    for (const c of complete) {
      const want = byTime.get(c.candle_date_time_utc);
      expect(want).toBeDefined();
      expect([c.opening_price, c.high_price, c.low_price, c.trade_price]).toEqual([
        want?.opening_price,
        want?.high_price,
        want?.low_price,
        want?.trade_price,
      ]);
      expect(c.candle_acc_trade_volume).toBeCloseTo(want?.candle_acc_trade_volume ?? -1, 5);
    }
  });

  it('replays CSV (ms timestamps) and refuses a file it cannot read with a clear error', async () => {
    const { fake, clock } = await autoMarket({ dataPath: ETH_CSV, speed: 60 }, 0);
    expect(fake.markets).toEqual(['KRW-ETH']);
    await clock.advance(3_000);
    const [ticker] = (await simHttp(fake).get('/ticker', [['markets', 'KRW-ETH']], { unsigned: true })).body;
    expect(ticker.opening_price).toBe(3_000_000);
    await expect(startFakeExchange({ dataPath: join(__dirname, 'no-such-dir') })).rejects.toThrow(
      /no such file or directory/,
    );
  });
});
