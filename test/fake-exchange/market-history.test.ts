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

interface CandleJson {
  candle_date_time_utc: string;
  opening_price: number;
  high_price: number;
  low_price: number;
  trade_price: number;
  candle_acc_trade_volume: number;
  first_day_of_period?: string;
}

const running: FakeExchange[] = [];
afterEach(async () => {
  for (const f of running.splice(0)) await f.close();
});

async function sim(options: FakeExchangeOptions = {}, start = T0) {
  const clock = new ManualClock(start);
  const fake = await startFakeExchange({
    clock,
    autoMarket: true,
    markets: ['KRW-BTC', 'KRW-XRP'],
    ...options,
  });
  running.push(fake);
  const api = simHttp(fake);
  const get = async (path: string, query: [string, string][]) => {
    const res = await api.get(path, query, { unsigned: true });
    expect(res.status).toBe(200);
    return res.body;
  };
  const candles = (path: string, market: string, count: number, to?: string): Promise<CandleJson[]> =>
    get(`/candles/${path}`, [
      ['market', market],
      ['count', String(count)],
      ...(to === undefined ? [] : ([['to', to]] as [string, string][])),
    ]);
  return { fake, clock, get, candles };
}

const at = (c: CandleJson | undefined) => Date.parse(`${c?.candle_date_time_utc ?? ''}Z`);

/** Merges candles given newest first, as a longer unit would show them. */
function merged(list: readonly CandleJson[]) {
  const oldest = [...list].reverse();
  return {
    open: oldest[0]?.opening_price,
    high: Math.max(...oldest.map((c) => c.high_price)),
    low: Math.min(...oldest.map((c) => c.low_price)),
    close: oldest[oldest.length - 1]?.trade_price,
    volume: oldest.reduce((s, c) => s + c.candle_acc_trade_volume, 0),
  };
}

describe('seeded history: a fresh sim looks like a market that has been open for a while', () => {
  it('serves 200 one-minute candles newest first right after start, continued by the live market', async () => {
    const { clock, candles } = await sim();
    const first = await candles('minutes/1', 'KRW-BTC', 200);
    expect(first).toHaveLength(200);
    for (let i = 1; i < first.length; i++) expect(at(first[i])).toBe(at(first[i - 1]) - 60_000);
    expect(at(first[0])).toBe(Math.floor(T0 / 60_000) * 60_000);
    // Two days back there are still minutes (the range starts at a UTC midnight ≥ 2 days before).
    const old = await candles('minutes/1', 'KRW-BTC', 5, new Date(T0 - 2 * 86_400_000).toISOString());
    expect(old).toHaveLength(5);
    await clock.advance(3 * 60_000 + 30_000);
    const later = await candles('minutes/1', 'KRW-BTC', 4);
    expect(at(later[0])).toBe(at(first[0]) + 3 * 60_000);
    expect(at(later[3])).toBe(at(first[0]));
  });

  it('derives every longer unit from the minutes: 5m = five 1m, a day = six 240m, weeks/months/years from days', async () => {
    const { candles } = await sim();
    const fives = await candles('minutes/5', 'KRW-BTC', 3);
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    const window = await candles('minutes/1', 'KRW-BTC', 5, iso(at(fives[1]) + 5 * 60_000));
    expect(window).toHaveLength(5);
    const m = merged(window);
    expect([
      fives[1]?.opening_price,
      fives[1]?.high_price,
      fives[1]?.low_price,
      fives[1]?.trade_price,
    ]).toEqual([m.open, m.high, m.low, m.close]);
    expect(fives[1]?.candle_acc_trade_volume).toBeCloseTo(m.volume, 6);
    const days = await candles('days', 'KRW-BTC', 200);
    expect(days).toHaveLength(200);
    const yesterday = days[1];
    const quarters = await candles('minutes/240', 'KRW-BTC', 6, iso(at(yesterday) + 86_400_000));
    const q = merged(quarters);
    expect([
      yesterday?.opening_price,
      yesterday?.high_price,
      yesterday?.low_price,
      yesterday?.trade_price,
    ]).toEqual([q.open, q.high, q.low, q.close]);
    const weeks = await candles('weeks', 'KRW-BTC', 60);
    expect(weeks.length).toBeGreaterThanOrEqual(52);
    expect(new Date(at(weeks[1])).getUTCDay()).toBe(1);
    expect(weeks[1]?.first_day_of_period).toBe(weeks[1]?.candle_date_time_utc.slice(0, 10));
    expect((await candles('months', 'KRW-BTC', 20)).length).toBeGreaterThanOrEqual(12);
    expect((await candles('years', 'KRW-BTC', 5)).length).toBeGreaterThanOrEqual(1);
  });

  it('keeps a trade tape of 500 trades with dense ids that live trades continue, at the start price', async () => {
    const { clock, get, fake } = await sim({ history: { trades: 500 } });
    const tape = (await get('/trades/ticks', [
      ['market', 'KRW-XRP'],
      ['count', '500'],
    ])) as { sequential_id: number; trade_price: number; timestamp: number }[];
    expect(tape).toHaveLength(500);
    const ids = tape.map((t) => t.sequential_id);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe((ids[i - 1] as number) - 1);
    // The newest trades are the live market's first prints, right after the seeded ones, near 3,000 KRW.
    expect(tape.filter((t) => t.timestamp >= fake.controls.now())).not.toHaveLength(0);
    for (const t of tape) expect(Math.abs(t.trade_price / 3_000 - 1)).toBeLessThan(0.02);
    await clock.advance(5_000);
    const after = (await get('/trades/ticks', [
      ['market', 'KRW-XRP'],
      ['count', '1'],
    ])) as { sequential_id: number }[];
    expect(after[0]?.sequential_id).toBeGreaterThanOrEqual(ids[0] as number);
  });

  it('joins a replay at its first open, with candles before the data and the data after', async () => {
    const data = (await import(UPBIT_JSON)).default as CandleJson[];
    const start = Date.parse(`${data[0]?.candle_date_time_utc}Z`);
    const { candles, get } = await sim({ dataPath: UPBIT_JSON, markets: ['KRW-BTC'], speed: 60 }, 0);
    const before = await candles('minutes/1', 'KRW-BTC', 200, data[0]?.candle_date_time_utc.concat('Z'));
    expect(before).toHaveLength(200);
    expect(at(before[0])).toBeLessThan(start);
    const tape = (await get('/trades/ticks', [
      ['market', 'KRW-BTC'],
      ['count', '2'],
    ])) as { trade_price: number; timestamp: number }[];
    // Newest: the replay's first print at its open; just before it: the history's last trade, same price.
    expect(tape[0]?.trade_price).toBe(data[0]?.opening_price);
    expect(tape[1]?.timestamp).toBeLessThan(start);
    expect(tape[1]?.trade_price).toBe(data[0]?.opening_price);
  });

  it('is off for a sim driven by hand (history: false is the default without autoMarket)', async () => {
    const clock = new ManualClock(T0);
    const fake = await startFakeExchange({ clock, markets: ['KRW-BTC'] });
    running.push(fake);
    const res = await simHttp(fake).get(
      '/candles/minutes/1',
      [
        ['market', 'KRW-BTC'],
        ['count', '200'],
      ],
      { unsigned: true },
    );
    expect(res.body).toEqual([]);
  });
});
