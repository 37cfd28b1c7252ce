import { parse } from 'yaml';
import { bestParamsYaml } from '../../shared/src/backtest/optimize/best-params-yaml';
import { dataExtent } from '../../shared/src/backtest/optimize/data-extent';
import type { CandleDataSpec, RunSettings } from '../../shared/src/backtest/optimize/optimize-task';
import {
  buildTasks,
  type OptimizeResult,
  runOptimize,
} from '../../shared/src/backtest/optimize/run-optimize';
import { OptimizeTaskError } from '../../shared/src/backtest/optimize/task-pool';
import { sampleTrials } from '../../shared/src/backtest/optimize/trial-sampler';
import { strategiesSchema } from '../../shared/src/config/strategy-config-schema';
import type { Market } from '../../shared/src/domain/market/market-id';
import type { EpochMs } from '../../shared/src/domain/time/epoch';

// 240 real Upbit KRW-BTC 1-minute candles (see test/fixtures/README.md).
const DATA = 'test/fixtures/data/upbit_krw-btc_1m_2020-02-20.json';
const MARKETS = ['KRW-BTC' as Market];
const data: CandleDataSpec = { kind: 'files', dataPath: DATA, markets: MARKETS, timeframe: '1m' };
const settings: RunSettings = {
  strategies: ['market_making'],
  capitalKrw: '10000000',
  feeRate: '0.0005',
  slippageBps: 2,
  seed: 11,
};

async function optimize(
  workers: number,
  progress?: (done: number, total: number) => void,
): Promise<OptimizeResult> {
  const extent = dataExtent(DATA, MARKETS, '1m');
  return runOptimize({
    metric: 'return',
    folds: 2,
    trials: 3,
    inSampleRatio: 2,
    from: extent.from,
    to: extent.to,
    data,
    settings,
    workers,
    ...(progress === undefined ? {} : { onProgress: progress }),
  });
}

describe('runOptimize end to end on real Upbit candles', () => {
  let inProcess: OptimizeResult;
  const progress: Array<[number, number]> = [];

  beforeAll(async () => {
    inProcess = await optimize(0, (d, t) => progress.push([d, t]));
  });

  it('backtests every trial on every fold and ranks by out-of-sample score', () => {
    expect(inProcess.folds).toEqual([
      {
        index: 0,
        inSample: { from: '2020-02-20T08:00:00.000Z', to: '2020-02-20T10:00:00.000Z' },
        outOfSample: { from: '2020-02-20T10:00:00.000Z', to: '2020-02-20T11:00:00.000Z' },
      },
      {
        index: 1,
        inSample: { from: '2020-02-20T09:00:00.000Z', to: '2020-02-20T11:00:00.000Z' },
        outOfSample: { from: '2020-02-20T11:00:00.000Z', to: '2020-02-20T12:00:00.000Z' },
      },
    ]);
    expect(inProcess.trials).toBe(3);
    expect(inProcess.ranking.map((r) => r.rank)).toEqual([1, 2, 3]);
    const oos = inProcess.ranking.map((r) => r.outOfSampleMean);
    expect([...oos].sort((a, b) => b - a)).toEqual(oos);
    for (const r of inProcess.ranking) {
      expect(r.inSample).toHaveLength(2);
      expect(r.outOfSample).toHaveLength(2);
    }
    expect(inProcess.baseline.trial).toBe(0);
    expect(inProcess.best.trial).toBe(inProcess.ranking[0]?.trial);
    expect(inProcess.walkForward.picks).toHaveLength(2);
    // The configured parameters trade on this data, so the ranking compares real out-of-sample records.
    expect(inProcess.baseline.outOfSampleTrades).toBeGreaterThan(0);
    // Progress counts bars: 3 trials × 2 folds × (120 + 60) bars.
    expect(progress.at(-1)).toEqual([1080, 1080]);
  });

  it('is deterministic: same seed, same JSON, whether run in worker threads or in process', async () => {
    const threaded = await optimize(2);
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(inProcess));
  });

  it('writes the best parameters as a config snippet the config schema accepts', () => {
    const text = bestParamsYaml(inProcess);
    expect(text.startsWith('# Best parameters from npm run optimize')).toBe(true);
    const snippet = parse(text) as { strategies: Record<string, unknown> };
    expect(Object.keys(snippet.strategies)).toEqual(['market_making']);
    const entry = strategiesSchema.shape.market_making.parse(snippet.strategies.market_making);
    expect(entry.enabled).toBe(true);
    expect(entry.params.timeframe).toBe('1m');
    expect(entry.params).toEqual(inProcess.best.params.market_making);
  });
});

describe('warm-up', () => {
  it('starts each run up to N bars before its window, never before the data, and scores the window only', async () => {
    const extent = dataExtent(DATA, MARKETS, '1m');
    const folds = [
      {
        index: 0,
        inSample: { from: extent.from, to: (extent.from + 7_200_000) as EpochMs },
        outOfSample: {
          from: (extent.from + 7_200_000) as EpochMs,
          to: (extent.from + 10_800_000) as EpochMs,
        },
      },
    ];
    const tasks = buildTasks(sampleTrials(['market_making'], 2, 1), folds, 3_600_000, extent.from);
    expect(tasks.map((t) => [t.segment, t.warmupFrom - extent.from])).toEqual([
      ['in', 0],
      ['out', 3_600_000],
      ['in', 0],
      ['out', 3_600_000],
    ]);
    const progress: number[] = [];
    const warmed = await runOptimize({
      metric: 'return',
      folds: 2,
      trials: 3,
      inSampleRatio: 2,
      warmupBars: 60,
      from: extent.from,
      to: extent.to,
      data,
      settings,
      workers: 0,
      onProgress: (_, total) => progress.push(total),
    });
    // Per trial: fold 0 in-sample 120 bars (nothing earlier), its out-of-sample 60 + 60 warm-up,
    // fold 1 in-sample 120 + 60, its out-of-sample 60 + 60: 540 bars; three trials.
    expect(progress[0]).toBe(1620);
    expect(warmed.warmupBars).toBe(60);
    expect(warmed.folds).toHaveLength(2);
    expect(warmed.ranking).toHaveLength(3);
  });
});

describe('runOptimize failures', () => {
  it.each([0, 1])('stops with the failing task named (workers: %i)', async (workers) => {
    const attempt = runOptimize({
      metric: 'return',
      folds: 1,
      trials: 1,
      from: Date.parse('2020-02-20T08:00:00Z') as EpochMs,
      to: Date.parse('2020-02-20T12:00:00Z') as EpochMs,
      data: { ...data, dataPath: 'test/optimize/no-such-file.json' },
      settings,
      workers,
    });
    await expect(attempt).rejects.toThrow(OptimizeTaskError);
    await expect(attempt).rejects.toThrow(/task 0 \(trial 0, fold 0\) failed: .*no such file/);
  });
});
