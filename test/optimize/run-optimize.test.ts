import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bestParamsYaml } from '../../shared/src/backtest/optimize/best-params-yaml';
import { dataExtent } from '../../shared/src/backtest/optimize/data-extent';
import type { CandleDataSpec, RunSettings } from '../../shared/src/backtest/optimize/optimize-task';
import { type OptimizeResult, runOptimize } from '../../shared/src/backtest/optimize/run-optimize';
import { buildTasks, holdoutStart } from '../../shared/src/backtest/optimize/task-plan';
import { OptimizeTaskError } from '../../shared/src/backtest/optimize/task-pool';
import { sampleTrials } from '../../shared/src/backtest/optimize/trial-sampler';
import { strategiesSchema } from '../../shared/src/config/strategy-config-schema';
import type { Market } from '../../shared/src/domain/market/market-id';
import type { EpochMs } from '../../shared/src/domain/time/epoch';

// 480 real Binance BTC/USDT 1-minute candles read as KRW-BTC (see test/fixtures/README.md).
const DATA = 'test/fixtures/backtest/KRW-BTC_binance-btcusdt_1m_2021-02-21_8h.csv';
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
  options: { progress?: (done: number, total: number) => void; data?: CandleDataSpec } = {},
): Promise<OptimizeResult> {
  const extent = dataExtent(DATA, MARKETS, '1m');
  return runOptimize({
    metric: 'return',
    folds: 2,
    trials: 3,
    inSampleRatio: 2,
    from: extent.from,
    to: extent.to,
    data: options.data ?? data,
    settings,
    workers,
    ...(options.progress === undefined ? {} : { onProgress: options.progress }),
  });
}

describe('runOptimize: folds in sample, a holdout no choice sees', () => {
  let inProcess: OptimizeResult;
  const progress: Array<[number, number]> = [];

  beforeAll(async () => {
    inProcess = await optimize(0, { progress: (d, t) => progress.push([d, t]) });
  });

  it('cuts the last 20 % off as the holdout and the folds from the rest', () => {
    expect(inProcess.holdoutShare).toBe(0.2);
    expect(inProcess.selectionWindow).toEqual({
      from: '2021-02-21T00:00:00.000Z',
      to: '2021-02-21T06:24:00.000Z',
    });
    expect(inProcess.holdout?.from).toBe('2021-02-21T06:24:00.000Z');
    expect(inProcess.holdout?.to).toBe('2021-02-21T08:00:00.000Z');
    expect(inProcess.folds).toEqual([
      {
        index: 0,
        inSample: { from: '2021-02-21T00:00:00.000Z', to: '2021-02-21T03:12:00.000Z' },
        outOfSample: { from: '2021-02-21T03:12:00.000Z', to: '2021-02-21T04:48:00.000Z' },
      },
      {
        index: 1,
        inSample: { from: '2021-02-21T01:36:00.000Z', to: '2021-02-21T04:48:00.000Z' },
        outOfSample: { from: '2021-02-21T04:48:00.000Z', to: '2021-02-21T06:24:00.000Z' },
      },
    ]);
    // Progress counts bars: 3 trials × (2 folds × (192 + 96) + 384 selection) + 96 holdout.
    expect(progress.at(-1)).toEqual([3 * (2 * 288 + 384) + 96, 3 * (2 * 288 + 384) + 96]);
  });

  it('picks the best in-sample configuration and reports every number with its significance', () => {
    expect(inProcess.trials).toBe(3);
    const selection = inProcess.ranking.map((r) => r.selection);
    expect([...selection].sort((a, b) => b - a)).toEqual(selection);
    expect(inProcess.best.trial).toBe(inProcess.ranking[0]?.trial);
    expect(inProcess.best.selection.score).toBeCloseTo(inProcess.ranking[0]?.selection ?? Number.NaN, 6);
    expect(inProcess.best.selection.deflatedFor).toBe(3);
    expect(inProcess.walkForward.chained.deflatedFor).toBe(1);
    expect(inProcess.holdout?.deflatedFor).toBe(1);
    // Each fold's pick is its in-sample best.
    for (const pick of inProcess.walkForward.picks) {
      const best = Math.max(
        ...inProcess.ranking.map((r) => r.inSample[pick.fold] ?? Number.NEGATIVE_INFINITY),
      );
      expect(pick.inSample).toBe(best);
    }
    // Eight hours is far too short for a Sharpe: every report says so.
    expect(inProcess.holdout?.warning).toMatch(/daily returns? \(< 30\)/);
    expect(inProcess.baseline.trial).toBe(0);
  });

  it.each([1, 2, 3])(
    'is deterministic: same seed, same JSON in process and on %i worker thread(s)',
    async (workers) => {
      const threaded = await optimize(workers);
      expect(JSON.stringify(threaded)).toBe(JSON.stringify(inProcess));
    },
  );

  it('makes the same choice whatever the holdout holds, and only judges it there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-holdout-'));
    try {
      const [header, ...rows] = readFileSync(DATA, 'utf8').trim().split('\n');
      const cut = Date.parse('2021-02-21T06:24:00Z');
      const changed = rows.map((row) => {
        const [t, ...v] = row.split(',');
        if (Number(t) < cut) return row;
        const [o, h, l, c, vol] = v.map(Number) as [number, number, number, number, number];
        return [t, o * 1.3, h * 1.35, l * 1.25, c * 1.3, vol].join(',');
      });
      const path = join(dir, 'KRW-BTC.csv');
      writeFileSync(path, [header, ...changed].join('\n'));
      const other = await optimize(0, { data: { ...data, dataPath: path } });
      expect(other.best).toEqual(inProcess.best);
      expect(other.ranking).toEqual(inProcess.ranking);
      expect(other.walkForward).toEqual(inProcess.walkForward);
      expect(other.holdout).not.toEqual(inProcess.holdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes the final pick as a config snippet the config schema accepts', () => {
    const text = bestParamsYaml(inProcess);
    expect(text.startsWith('# Best parameters from npm run optimize')).toBe(true);
    expect(text).toContain('without seeing the holdout');
    const snippet = parse(text) as { strategies: Record<string, unknown> };
    expect(Object.keys(snippet.strategies)).toEqual(['market_making']);
    const entry = strategiesSchema.shape.market_making.parse(snippet.strategies.market_making);
    expect(entry.enabled).toBe(true);
    expect(entry.params.timeframe).toBe('1m');
    expect(entry.params).toEqual(inProcess.best.params.market_making);
  });
});

describe('holdout and warm-up windows', () => {
  it('puts the holdout on a bar boundary and refuses one too short to judge', () => {
    const from = Date.parse('2021-02-21T00:00:00Z') as EpochMs;
    const to = (from + 480 * 60_000) as EpochMs;
    expect(holdoutStart(from, to, 0.2, 60_000)).toBe(from + 384 * 60_000);
    expect(holdoutStart(from, to, 0, 60_000)).toBe(to);
    expect(() => holdoutStart(from, to, 0.1, 60_000)).toThrow(/holds only 48 bars \(< 60\)/);
    expect(() => holdoutStart(from, to, 1, 60_000)).toThrow(/--holdout must be in \[0, 1\)/);
  });

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
    const selection = { from: extent.from, to: (extent.from + 10_800_000) as EpochMs };
    const tasks = buildTasks(sampleTrials(['market_making'], 2, 1), folds, 3_600_000, extent.from, selection);
    expect(tasks.map((t) => [t.segment, t.warmupFrom - extent.from])).toEqual([
      ['in', 0],
      ['out', 3_600_000],
      ['select', 0],
      ['in', 0],
      ['out', 3_600_000],
      ['select', 0],
    ]);
    const progress: number[] = [];
    const warmed = await runOptimize({
      metric: 'return',
      folds: 2,
      trials: 2,
      inSampleRatio: 2,
      holdout: 0.2,
      warmupBars: 60,
      from: extent.from,
      to: extent.to,
      data,
      settings,
      workers: 0,
      onProgress: (_, total) => progress.push(total),
    });
    // Per trial: fold 0 in-sample 192 bars (nothing earlier), its out-of-sample 96 + 60 warm-up,
    // fold 1 in-sample 192 + 60, its out-of-sample 96 + 60, selection 384: 1,140 bars; two trials,
    // then the holdout's 96 + 60.
    expect(progress[0]).toBe(2 * 1140 + 156);
    expect(warmed.warmupBars).toBe(60);
    expect(warmed.ranking).toHaveLength(2);
  });
});

describe('runOptimize failures', () => {
  it.each([0, 1])('stops with the failing task named (workers: %i)', async (workers) => {
    const attempt = runOptimize({
      metric: 'return',
      folds: 1,
      trials: 1,
      holdout: 0,
      from: Date.parse('2020-02-20T08:00:00Z') as EpochMs,
      to: Date.parse('2020-02-20T12:00:00Z') as EpochMs,
      data: { ...data, dataPath: 'test/optimize/no-such-file.json' },
      settings,
      workers,
    });
    await expect(attempt).rejects.toThrow(OptimizeTaskError);
    await expect(attempt).rejects.toThrow(/task \d+ \(trial 0, fold -?\d+\) failed: .*no such file/);
  });
});
