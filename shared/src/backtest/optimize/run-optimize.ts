import { timeframeMs } from '../../domain/market/timeframe';
import type { StrategyParamsByName } from '../../domain/strategies/strategy-params';
import { type EpochMs, toIsoUtc } from '../../domain/time/epoch';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { resolveStrategyParams } from '../engine/strategy-registry';
import { sharpeSample, varianceOf } from './deflated-sharpe';
import { type OptimizeMetric, scoreOf } from './objective';
import {
  type CandleDataSpec,
  mergeParams,
  type OptimizeTask,
  type RunSettings,
  type TaskResult,
} from './optimize-task';
import {
  type Evaluation,
  type FoldPick,
  rankBySelection,
  summarizeTrials,
  type TrialSummary,
  walkForwardPicks,
} from './ranking';
import { chainedReport, type SegmentReport, segmentReport } from './segment-report';
import { buildTasks, holdoutStart, task, taskBars } from './task-plan';
import { openTaskPool, type TaskPool } from './task-pool';
import { sampleTrials, type Trial } from './trial-sampler';
import { buildFolds, type Fold, type Window } from './walk-forward';

/** Default share of the data kept as the final holdout. */
export const DEFAULT_HOLDOUT_SHARE = 0.2;

/** Everything one optimisation needs. */
export interface OptimizeInput {
  readonly metric: OptimizeMetric;
  readonly folds: number;
  readonly trials: number;
  /** Data window; the holdout is cut from its end, the folds from the rest. */
  readonly from: EpochMs;
  readonly to: EpochMs;
  readonly data: CandleDataSpec;
  /** Strategies, capital, fees, slippage and seed; the seed also drives the trial draws. */
  readonly settings: RunSettings;
  /** In-sample length as a multiple of the out-of-sample length (default 3). */
  readonly inSampleRatio?: number;
  /**
   * Share of the window, at its end, that no choice ever sees (default 0.2; 0 turns the holdout
   * off, and then nothing reported is out of sample for the final pick).
   */
  readonly holdout?: number;
  /**
   * Bars each run starts before its window to warm the strategies up (default 0); clipped at the
   * data start. Scores cover the window only.
   */
  readonly warmupBars?: number;
  /** Trials with fewer closed in-sample trades are chosen last (default 0). */
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
  /** 1 = best on the selection window (the final pick). */
  readonly rank: number;
}

/**
 * The optimisation's outcome; contains no wall-clock data, so the same data, options and seed give
 * byte-identical JSON whatever the number of workers. The protocol (docs/backtesting.md): in each
 * fold the best in-sample configuration is picked and judged on the fold's out-of-sample window
 * (chained: `walkForward`); the final pick is the best configuration on all data before the
 * holdout (`best`), judged once on the holdout (`holdout`), and only it is written to `--out`.
 */
export interface OptimizeResult {
  readonly strategies: readonly StrategyName[];
  readonly metric: OptimizeMetric;
  readonly minTrades: number;
  readonly warmupBars: number;
  readonly markets: readonly string[];
  readonly timeframe: string;
  readonly seed: number;
  /** Configurations tried (the defaults included): the N of every deflated Sharpe of a selection. */
  readonly trials: number;
  /** Share of the data held out, 0 when off. */
  readonly holdoutShare: number;
  /** All data before the holdout: where folds are cut and the final pick is made. */
  readonly selectionWindow: { readonly from: string; readonly to: string };
  readonly folds: readonly FoldWindows[];
  /** Every trial, best on the selection window first. */
  readonly ranking: readonly RankedTrial[];
  /** The final pick: full parameters (defaults overlaid with its overrides) and its in-sample record. */
  readonly best: {
    readonly trial: number;
    readonly params: Partial<StrategyParamsByName>;
    /** On the selection window: a selection among `trials`, so deflated for N = trials. */
    readonly selection: SegmentReport;
  };
  /** The defaults (trial 0), for comparison. */
  readonly baseline: RankedTrial;
  /** Per fold the in-sample best and how it did out of sample; `chained` is the walk-forward result. */
  readonly walkForward: {
    readonly picks: readonly FoldPick[];
    readonly inSampleMean: number;
    readonly outOfSampleMean: number;
    readonly chained: SegmentReport;
  };
  /** The final pick on data no choice saw; null when the holdout is off. */
  readonly holdout: SegmentReport | null;
}

function foldWindows(f: Fold): FoldWindows {
  return {
    index: f.index,
    inSample: { from: toIsoUtc(f.inSample.from), to: toIsoUtc(f.inSample.to) },
    outOfSample: { from: toIsoUtc(f.outOfSample.from), to: toIsoUtc(f.outOfSample.to) },
  };
}

function average(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function resultsOf(tasks: readonly OptimizeTask[], results: ReadonlyMap<number, TaskResult>): Evaluation[] {
  return tasks.map((t) => {
    const result = results.get(t.id);
    if (result === undefined) throw new Error(`no result for task ${t.id}`);
    return { trial: t.trial, fold: t.fold, segment: t.segment, result };
  });
}

/**
 * Walk-forward random search with a final holdout (see {@link OptimizeResult}): draws the trials
 * from the seed, cuts the holdout off the end and rolling folds from the rest, backtests every
 * trial on every fold window and on the whole selection window (in parallel worker threads),
 * picks by in-sample scores only, then runs the final pick once on the holdout.
 */
export async function runOptimize(input: OptimizeInput): Promise<OptimizeResult> {
  const { settings, data } = input;
  const barMs = timeframeMs(data.timeframe);
  const holdoutShare = input.holdout ?? DEFAULT_HOLDOUT_SHARE;
  const cut = holdoutStart(input.from, input.to, holdoutShare, barMs);
  const selectionWindow: Window = { from: input.from, to: cut };
  const folds = buildFolds({
    from: input.from,
    to: cut,
    folds: input.folds,
    barMs,
    ...(input.inSampleRatio === undefined ? {} : { inSampleRatio: input.inSampleRatio }),
  });
  const warmupMs = (input.warmupBars ?? 0) * barMs;
  const trials = sampleTrials(settings.strategies, input.trials, settings.seed);
  const tasks = buildTasks(trials, folds, warmupMs, input.from, selectionWindow);
  const holdoutWindow: Window = { from: cut, to: input.to };
  const holdoutBars =
    holdoutShare > 0
      ? taskBars(task(0, trials[0] as Trial, -1, 'holdout', holdoutWindow, warmupMs, input.from), barMs)
      : 0;
  const phaseOneBars = tasks.reduce((sum, t) => sum + taskBars(t, barMs), 0);
  // One pool for both phases: the holdout then runs in a worker that is already warm.
  const pool = openTaskPool(
    { data, settings, ...(input.workers === undefined ? {} : { workers: input.workers }) },
    tasks.length,
  );
  try {
    const results = await pool.run(tasks, (done) => input.onProgress?.(done, phaseOneBars + holdoutBars));
    return await finish(input, { trials, folds, tasks, results, selectionWindow, holdoutWindow }, pool, {
      phaseOneBars,
      holdoutBars,
    });
  } finally {
    await pool.close();
  }
}

/** What phase one leaves for ranking and the holdout. */
interface PhaseOne {
  readonly trials: readonly Trial[];
  readonly folds: readonly Fold[];
  readonly tasks: readonly OptimizeTask[];
  readonly results: ReadonlyMap<number, TaskResult>;
  readonly selectionWindow: Window;
  readonly holdoutWindow: Window;
}

/** Ranks phase one's results, judges the final pick on the holdout (on the same pool) and assembles the result. */
async function finish(
  input: OptimizeInput,
  phase: PhaseOne,
  pool: TaskPool,
  bars: { readonly phaseOneBars: number; readonly holdoutBars: number },
): Promise<OptimizeResult> {
  const { metric, settings, data } = input;
  const { trials, folds, tasks, results, selectionWindow, holdoutWindow } = phase;
  const { phaseOneBars, holdoutBars } = bars;
  const holdoutShare = input.holdout ?? DEFAULT_HOLDOUT_SHARE;
  const minTrades = input.minTrades ?? 0;
  const warmupMs = (input.warmupBars ?? 0) * timeframeMs(data.timeframe);
  const summaries = summarizeTrials(trials, folds.length, resultsOf(tasks, results), metric);
  const ranking = rankBySelection(summaries, minTrades).map((s, i) => ({ ...s, rank: i + 1 }));
  const top = ranking[0] as RankedTrial;
  const resolved = resolveStrategyParams(mergeParams(settings.baseParams, top.params), data.timeframe);
  const bestParams: Partial<Record<StrategyName, unknown>> = {};
  for (const name of settings.strategies) bestParams[name] = resolved[name];

  const byTask = (trial: number, fold: number, segment: OptimizeTask['segment']) => {
    const t = tasks.find(
      (x) => x.trial === trial && x.fold === fold && x.segment === segment,
    ) as OptimizeTask;
    return results.get(t.id) as TaskResult;
  };
  const selected = byTask(top.trial, -1, 'select');
  const variance = varianceOf(
    trials.flatMap((t) => {
      const s = sharpeSample(byTask(t.index, -1, 'select').dailyReturns);
      return s === undefined ? [] : [s.sharpe];
    }),
  );
  const picks = walkForwardPicks(summaries, folds.length, minTrades);
  const chainWindow: Window = {
    from: (folds[0] as Fold).outOfSample.from,
    to: (folds[folds.length - 1] as Fold).outOfSample.to,
  };
  const chained = chainedReport(
    chainWindow,
    average(picks.map((p) => p.outOfSample)),
    picks.map((p) => byTask(p.trial, p.fold, 'out')),
  );

  let holdout: SegmentReport | null = null;
  if (holdoutShare > 0) {
    const final = task(
      tasks.length,
      { index: top.trial, params: top.params },
      -1,
      'holdout',
      holdoutWindow,
      warmupMs,
      input.from,
    );
    const out = await pool.run([final], (done) =>
      input.onProgress?.(phaseOneBars + done, phaseOneBars + holdoutBars),
    );
    const r = out.get(final.id) as TaskResult;
    holdout = segmentReport(holdoutWindow, scoreOf(r.metrics, metric), r.metrics, r.dailyReturns, 1);
  }
  return {
    strategies: settings.strategies,
    metric,
    minTrades,
    warmupBars: input.warmupBars ?? 0,
    markets: [...data.markets].sort(),
    timeframe: data.timeframe,
    seed: settings.seed,
    trials: trials.length,
    holdoutShare,
    selectionWindow: { from: toIsoUtc(selectionWindow.from), to: toIsoUtc(selectionWindow.to) },
    folds: folds.map(foldWindows),
    ranking,
    best: {
      trial: top.trial,
      params: bestParams as Partial<StrategyParamsByName>,
      selection: segmentReport(
        selectionWindow,
        top.selection,
        selected.metrics,
        selected.dailyReturns,
        trials.length,
        variance,
      ),
    },
    baseline: ranking.find((r) => r.trial === 0) as RankedTrial,
    walkForward: {
      picks,
      inSampleMean: average(picks.map((p) => p.inSample)),
      outOfSampleMean: average(picks.map((p) => p.outOfSample)),
      chained,
    },
    holdout,
  };
}
