import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
