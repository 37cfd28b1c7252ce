import type { StrategyParamOverrides } from '../engine/strategy-registry';
import type { BacktestMetrics } from '../result/backtest-result';
import { deflatedSharpe, sharpeSample, varianceOf } from './deflated-sharpe';
import { type OptimizeMetric, scoreOf } from './objective';
import type { TaskResult } from './optimize-task';
import type { Trial } from './trial-sampler';

/**
 * Which window a backtest scored: a fold's in-sample or out-of-sample window, the selection window
 * (all data before the holdout, where the final pick is made), or the holdout (the final pick only).
 */
export type Segment = 'in' | 'out' | 'select' | 'holdout';

/** The result of one (trial, fold, segment) backtest; fold is -1 for the selection window. */
export interface Evaluation {
  readonly trial: number;
  readonly fold: number;
  readonly segment: Segment;
  readonly result: TaskResult;
}

/** One trial's scores: per fold in and out of sample, and on the selection window. */
export interface TrialSummary {
  readonly trial: number;
  readonly params: StrategyParamOverrides;
  /** Score per fold, fold order. */
  readonly inSample: readonly number[];
  /** Closed trades per fold in sample (a pick needs `minTrades` of them). */
  readonly inSampleTrades: readonly number[];
  readonly outOfSample: readonly number[];
  readonly inSampleMean: number;
  /** Diagnostic only: never used to choose anything. */
  readonly outOfSampleMean: number;
  /** Closed trades summed over the out-of-sample windows. */
  readonly outOfSampleTrades: number;
  /** Out-of-sample returns compounded over the folds, in percent. */
  readonly outOfSampleReturnPct: number;
  /** Score on the selection window: the key of the final pick. */
  readonly selection: number;
  readonly selectionTrades: number;
  /** Annualised Sharpe on the selection window's daily returns. */
  readonly selectionSharpe: number | null;
  /**
   * Deflated Sharpe of that Sharpe with N = every configuration tried: the probability that it is
   * above what the luckiest of N worthless configurations would show (see deflated-sharpe).
   */
  readonly selectionDsr: number | null;
  /** Daily returns behind the selection Sharpe. */
  readonly selectionDays: number;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Lays evaluations out per trial, fold and segment and computes each trial's selection-window DSR
 * against the cross-section of all trials. A missing evaluation is a bug upstream, so it throws.
 */
export function summarizeTrials(
  trials: readonly Trial[],
  folds: number,
  evaluations: readonly Evaluation[],
  metric: OptimizeMetric,
): TrialSummary[] {
  const byKey = new Map<string, TaskResult>();
  for (const e of evaluations) byKey.set(`${e.trial}|${e.fold}|${e.segment}`, e.result);
  const get = (trial: number, fold: number, segment: Segment): TaskResult => {
    const r = byKey.get(`${trial}|${fold}|${segment}`);
    if (r === undefined)
      throw new Error(
        `missing ${segment === 'select' ? 'selection-window' : `${segment}-sample`} result for trial ${trial}${fold < 0 ? '' : `, fold ${fold}`}`,
      );
    return r;
  };
  const samples = trials.map((t) => sharpeSample(get(t.index, -1, 'select').dailyReturns));
  const variance = varianceOf(samples.flatMap((s) => (s === undefined ? [] : [s.sharpe])));
  return trials.map((t, i) => {
    const ins: number[] = [];
    const insTrades: number[] = [];
    const outs: number[] = [];
    let trades = 0;
    let growth = 1;
    for (let f = 0; f < folds; f++) {
      const inside: BacktestMetrics = get(t.index, f, 'in').metrics;
      ins.push(scoreOf(inside, metric));
      insTrades.push(inside.trades);
      const out = get(t.index, f, 'out').metrics;
      outs.push(scoreOf(out, metric));
      trades += out.trades;
      growth *= 1 + out.totalReturnPct / 100;
    }
    const select = get(t.index, -1, 'select');
    const sample = samples[i];
    return {
      trial: t.index,
      params: t.params,
      inSample: ins,
      inSampleTrades: insTrades,
      outOfSample: outs,
      inSampleMean: mean(ins),
      outOfSampleMean: mean(outs),
      outOfSampleTrades: trades,
      outOfSampleReturnPct: (growth - 1) * 100,
      selection: scoreOf(select.metrics, metric),
      selectionTrades: select.metrics.trades,
      selectionSharpe: select.metrics.sharpe,
      selectionDsr: sample === undefined ? null : deflatedSharpe(sample, trials.length, variance),
      selectionDays: select.dailyReturns.length,
    };
  });
}

/**
 * The final ranking: best score on the selection window first — in-sample data only, the holdout
 * never enters. Trials with fewer than `minTrades` closed trades there rank after all others (a set
 * that never closes a trade proves nothing). Ties go to the lower trial index (the configured
 * parameters win a tie). Out-of-sample columns are shown beside it but never used.
 */
export function rankBySelection(summaries: readonly TrialSummary[], minTrades = 0): TrialSummary[] {
  const enough = (s: TrialSummary) => (s.selectionTrades >= minTrades ? 0 : 1);
  return [...summaries].sort(
    (a, b) => enough(a) - enough(b) || b.selection - a.selection || a.trial - b.trial,
  );
}

/** Walk-forward in one fold: the in-sample best, and how it then did out of sample. */
export interface FoldPick {
  readonly fold: number;
  readonly trial: number;
  readonly inSample: number;
  readonly outOfSample: number;
}

/**
 * Per fold, the trial with the best in-sample score (among those with at least `minTrades` closed
 * in-sample trades, when any has) and its out-of-sample score. Chained, their out-of-sample results
 * are the walk-forward estimate of live performance: no out-of-sample data was used to choose. A
 * large gap between the two columns means the optimisation is fitting noise.
 */
export function walkForwardPicks(
  summaries: readonly TrialSummary[],
  folds: number,
  minTrades = 0,
): FoldPick[] {
  const picks: FoldPick[] = [];
  for (let f = 0; f < folds; f++) {
    const eligible = summaries.filter((s) => (s.inSampleTrades[f] ?? 0) >= minTrades);
    let best: TrialSummary | undefined;
    for (const s of eligible.length > 0 ? eligible : summaries) {
      const score = s.inSample[f] ?? Number.NEGATIVE_INFINITY;
      const bestScore = best?.inSample[f] ?? Number.NEGATIVE_INFINITY;
      if (best === undefined || score > bestScore || (score === bestScore && s.trial < best.trial)) best = s;
    }
    if (best !== undefined)
      picks.push({
        fold: f,
        trial: best.trial,
        inSample: best.inSample[f] ?? 0,
        outOfSample: best.outOfSample[f] ?? 0,
      });
  }
  return picks;
}
