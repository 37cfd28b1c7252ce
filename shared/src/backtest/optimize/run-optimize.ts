import { timeframeMs } from '../../domain/market/timeframe';
import type { StrategyParamsByName } from '../../domain/strategies/strategy-params';
import { type EpochMs, toIsoUtc } from '../../domain/time/epoch';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { resolveStrategyParams } from '../engine/strategy-registry';
import type { OptimizeMetric } from './objective';
import { type CandleDataSpec, mergeParams, type OptimizeTask, type RunSettings } from './optimize-task';
import {
  type Evaluation,
  type FoldPick,
  rankByOutOfSample,
  summarizeTrials,
  type TrialSummary,
  walkForwardPicks,
} from './ranking';
import { runTaskPool } from './task-pool';
import { sampleTrials } from './trial-sampler';
import { buildFolds, type Fold } from './walk-forward';

/** Everything one optimisation needs. */
export interface OptimizeInput {
  readonly metric: OptimizeMetric;
  readonly folds: number;
  readonly trials: number;
  /** Data window; folds are cut from it. */
  readonly from: EpochMs;
  readonly to: EpochMs;
  readonly data: CandleDataSpec;
  /** Strategies, capital, fees, slippage and seed; the seed also drives the trial draws. */
  readonly settings: RunSettings;
  /** In-sample length as a multiple of the out-of-sample length (default 3). */
  readonly inSampleRatio?: number;
  /**
   * Bars each run starts before its window to warm the strategies up (default 0); clipped at the
   * data start. Scores cover the window only.
   */
  readonly warmupBars?: number;
  /** Trials with fewer closed out-of-sample trades rank last (default 0). */
  readonly minTrades?: number;
  /** Worker threads (0 = this thread). */
  readonly workers?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** A fold as printed: ISO times. */
export interface FoldWindows {
  readonly index: number;
  readonly inSample: { readonly from: string; readonly to: string };
  readonly outOfSample: { readonly from: string; readonly to: string };
}

/** One ranked row. */
export interface RankedTrial extends TrialSummary {
  /** 1 = best out of sample. */
  readonly rank: number;
}

/**
 * The optimisation's outcome; contains no wall-clock data, so the same data, options and seed give
 * byte-identical JSON whatever the number of workers.
 */
export interface OptimizeResult {
  readonly strategies: readonly StrategyName[];
  readonly metric: OptimizeMetric;
  readonly minTrades: number;
  readonly warmupBars: number;
  readonly markets: readonly string[];
  readonly timeframe: string;
  readonly seed: number;
  readonly folds: readonly FoldWindows[];
  readonly trials: number;
  /** Every trial, best out-of-sample first. */
  readonly ranking: readonly RankedTrial[];
  /** Full parameters of the best trial (defaults overlaid with its overrides) per strategy. */
  readonly best: { readonly trial: number; readonly params: Partial<StrategyParamsByName> };
  /** The defaults (trial 0), for comparison. */
  readonly baseline: RankedTrial;
  /** Classic walk-forward: per fold, the in-sample best and how it did out of sample. */
  readonly walkForward: {
    readonly picks: readonly FoldPick[];
    readonly inSampleMean: number;
    readonly outOfSampleMean: number;
  };
}

function foldWindows(f: Fold): FoldWindows {
  return {
    index: f.index,
    inSample: { from: toIsoUtc(f.inSample.from), to: toIsoUtc(f.inSample.to) },
    outOfSample: { from: toIsoUtc(f.outOfSample.from), to: toIsoUtc(f.outOfSample.to) },
  };
}

/**
 * One task per trial × fold × segment, in a fixed order so task ids are stable. Each run starts
 * `warmupMs` before its window (never before the data start `dataFrom`) so indicators are warm.
 */
export function buildTasks(
  trials: ReturnType<typeof sampleTrials>,
  folds: readonly Fold[],
  warmupMs: number,
  dataFrom: EpochMs,
): OptimizeTask[] {
  const tasks: OptimizeTask[] = [];
  for (const trial of trials)
    for (const fold of folds)
      for (const segment of ['in', 'out'] as const) {
        const window = segment === 'in' ? fold.inSample : fold.outOfSample;
        tasks.push({
          id: tasks.length,
          trial: trial.index,
          fold: fold.index,
          segment,
          window,
          warmupFrom: Math.max(dataFrom, window.from - warmupMs) as EpochMs,
          params: trial.params,
        });
      }
  return tasks;
}

function average(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Walk-forward random search: draws the trials from the seed, cuts rolling in-sample/out-of-sample
 * folds, backtests every trial on every window (in parallel worker threads), and ranks the trials
 * by their mean out-of-sample score alone.
 */
export async function runOptimize(input: OptimizeInput): Promise<OptimizeResult> {
  const { metric, settings, data } = input;
  const folds = buildFolds({
    from: input.from,
    to: input.to,
    folds: input.folds,
    barMs: timeframeMs(data.timeframe),
    ...(input.inSampleRatio === undefined ? {} : { inSampleRatio: input.inSampleRatio }),
  });
  const trials = sampleTrials(settings.strategies, input.trials, settings.seed);
  const tasks = buildTasks(trials, folds, (input.warmupBars ?? 0) * timeframeMs(data.timeframe), input.from);
  const metrics = await runTaskPool(tasks, {
    data,
    settings,
    ...(input.workers === undefined ? {} : { workers: input.workers }),
    ...(input.onProgress === undefined ? {} : { onProgress: input.onProgress }),
  });
  const evaluations: Evaluation[] = tasks.map((t) => {
    const m = metrics.get(t.id);
    if (m === undefined) throw new Error(`no result for task ${t.id}`);
    return { trial: t.trial, fold: t.fold, segment: t.segment, metrics: m };
  });
  const summaries = summarizeTrials(trials, folds.length, evaluations, metric);
  const ranking = rankByOutOfSample(summaries, input.minTrades ?? 0).map((s, i) => ({ ...s, rank: i + 1 }));
  const top = ranking[0] as RankedTrial;
  const resolved = resolveStrategyParams(mergeParams(settings.baseParams, top.params), data.timeframe);
  const bestParams: Partial<Record<StrategyName, unknown>> = {};
  for (const name of settings.strategies) bestParams[name] = resolved[name];
  const picks = walkForwardPicks(summaries, folds.length);
  return {
    strategies: settings.strategies,
    metric,
    minTrades: input.minTrades ?? 0,
    warmupBars: input.warmupBars ?? 0,
    markets: [...data.markets].sort(),
    timeframe: data.timeframe,
    seed: settings.seed,
    folds: folds.map(foldWindows),
    trials: trials.length,
    ranking,
    best: { trial: top.trial, params: bestParams as Partial<StrategyParamsByName> },
    baseline: ranking.find((r) => r.trial === 0) as RankedTrial,
    walkForward: {
      picks,
      inSampleMean: average(picks.map((p) => p.inSample)),
      outOfSampleMean: average(picks.map((p) => p.outOfSample)),
    },
  };
}
