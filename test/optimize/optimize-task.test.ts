import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCachedChunk } from '../../shared/src/backtest/data/candle-cache';
import {
  type CandleDataSpec,
  evaluateTask,
  type OptimizeTask,
  type RunSettings,
} from '../../shared/src/backtest/optimize/optimize-task';
import type { Market } from '../../shared/src/domain/market/market-id';
import { type EpochMs, parseIsoUtc } from '../../shared/src/domain/time/epoch';

// 480 real Binance BTC/USDT 1-minute candles read as KRW-BTC (see test/fixtures/README.md).
const DATA = 'test/fixtures/backtest/KRW-BTC_binance-btcusdt_1m_2021-02-21_8h.csv';
const MARKETS = ['KRW-BTC' as Market];
const settings: RunSettings = {
  strategies: ['market_making'],
  capitalKrw: '10000000',
  feeRate: '0.0005',
  slippageBps: 2,
  seed: 3,
};

function task(id: number, from: string, to: string): OptimizeTask {
  return {
    id,
    trial: 0,
    fold: 0,
    segment: 'in',
    window: { from: parseIsoUtc(from), to: parseIsoUtc(to) },
    warmupFrom: parseIsoUtc('2021-02-21T00:00:00Z') as EpochMs,
    params: {},
  };
}

// Workers keep each column-cached file in memory between tasks; a task must see exactly the
// candles of its window that reading the file per task gave, and a file that cannot be read whole
// must still give every window before its bad row.
describe('evaluateTask: candles read once per thread', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qts-optimize-task-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['the whole file', DATA],
    ['a file with a bad last row', 'bad'],
  ])('gives the same results through the column cache as without it: %s', async (_label, which) => {
    let path = DATA;
    if (which === 'bad') {
      path = join(dir, 'KRW-BTC_bad_1m.csv');
      writeFileSync(path, `${readFileSync(DATA, 'utf8').trim()}\nnot,a,candle,row,at,all\n`);
    }
    const plain: CandleDataSpec = { kind: 'files', dataPath: path, markets: MARKETS, timeframe: '1m' };
    const cached: CandleDataSpec = {
      ...plain,
      columnCacheDir: join(dir, `columns-${which === 'bad' ? 1 : 0}`),
    };
    const tasks = [
      task(1, '2021-02-21T02:00:00Z', '2021-02-21T05:00:00Z'),
      task(2, '2021-02-21T01:00:00Z', '2021-02-21T07:30:00Z'),
      task(3, '2021-02-21T04:00:00Z', '2021-02-21T04:30:00Z'),
      // past the data's last bar (08:00): the window ends where the file does (or, with the bad
      // row, the same error either way)
      task(4, '2021-02-21T06:00:00Z', '2021-02-22T00:00:00Z'),
    ];
    const outcome = (data: CandleDataSpec, t: OptimizeTask) =>
      evaluateTask(t, data, settings).then(
        (result) => ({ result }),
        (error: unknown) => ({ error: String(error) }),
      );
    for (const t of tasks)
      for (let repeat = 0; repeat < 2; repeat++)
        expect(await outcome(cached, t)).toEqual(await outcome(plain, t));
  });
});

// `npm run optimize` without --data: workers read the download cache's day chunks, each parsed once
// per thread. A task must see exactly the candles streaming the chunks gave (the same series read
// from one plain CSV file here), across chunk boundaries, again from the memo, and with the same
// error when a chunk it needs is not in the cache.
describe('evaluateTask: the download cache read once per thread', () => {
  const DAY = 86_400_000;
  const start = parseIsoUtc('2021-02-21T00:00:00Z');
  // The fixture's 8 hours tiled nine times: three UTC days (three cache chunks) of real bars.
  const rows = readFileSync(DATA, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  const candles = Array.from({ length: 9 * rows.length }, (_, i) => {
    const [, open, high, low, close, volume] = rows[i % rows.length] as number[];
    return {
      market: 'KRW-BTC' as Market,
      timeframe: '1m' as const,
      openTime: (start + i * 60_000) as EpochMs,
      open: open as number,
      high: high as number,
      low: low as number,
      close: close as number,
      volume: volume as number,
      quoteVolume: (close as number) * (volume as number),
    };
  });
  let dir: string;
  let plain: CandleDataSpec;
  let cached: CandleDataSpec;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qts-optimize-cache-task-'));
    const lines = ['timestamp,open,high,low,close,volume,quote_volume'];
    for (const c of candles)
      lines.push(`${c.openTime},${c.open},${c.high},${c.low},${c.close},${c.volume},${c.quoteVolume}`);
    writeFileSync(join(dir, 'KRW-BTC_series_1m.csv'), `${lines.join('\n')}\n`);
    for (let d = 0; d < 3; d++)
      writeCachedChunk(
        join(dir, 'cache'),
        'KRW-BTC' as Market,
        '1m',
        (start + d * DAY) as EpochMs,
        candles.slice(d * 1440, (d + 1) * 1440),
      );
    plain = { kind: 'files', dataPath: dir, markets: MARKETS, timeframe: '1m' };
    cached = {
      kind: 'cache',
      cacheDir: join(dir, 'cache'),
      markets: MARKETS,
      timeframe: '1m',
      now: start + 3 * DAY,
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cacheTask = (id: number, warmupFrom: string, from: string, to: string): OptimizeTask => ({
    ...task(id, from, to),
    warmupFrom: parseIsoUtc(warmupFrom) as EpochMs,
  });
  const outcome = (data: CandleDataSpec, t: OptimizeTask) =>
    evaluateTask(t, data, settings).then(
      (result) => ({ result }),
      (error: unknown) => ({ error: String(error) }),
    );

  it('gives the candles streaming the chunks gave, across chunk boundaries and from the memo', async () => {
    const tasks = [
      cacheTask(1, '2021-02-21T08:00:00Z', '2021-02-21T10:00:00Z', '2021-02-22T02:00:00Z'),
      cacheTask(2, '2021-02-22T22:00:00Z', '2021-02-22T23:00:00Z', '2021-02-23T23:30:00Z'),
      cacheTask(3, '2021-02-21T00:00:00Z', '2021-02-21T00:00:00Z', '2021-02-24T00:00:00Z'),
      cacheTask(4, '2021-02-22T03:00:00Z', '2021-02-22T04:00:00Z', '2021-02-22T05:00:00Z'),
    ];
    let fills = 0;
    for (const t of tasks)
      for (let repeat = 0; repeat < 2; repeat++) {
        const got = await outcome(cached, t);
        expect(got).toEqual(await outcome(plain, t));
        fills += 'result' in got ? got.result.metrics.fills : 0;
      }
    expect(fills).toBeGreaterThan(0);
  });

  it('fails as before when a window needs a closed chunk the main thread did not cache', async () => {
    const beyond = cacheTask(5, '2021-02-23T12:00:00Z', '2021-02-23T13:00:00Z', '2021-02-24T06:00:00Z');
    const later = { ...cached, now: start + 5 * DAY };
    await expect(evaluateTask(beyond, later, settings)).rejects.toThrow(/only read the cache/);
  });
});
