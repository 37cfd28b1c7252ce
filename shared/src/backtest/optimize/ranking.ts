import type { StrategyParamOverrides } from '../engine/strategy-registry';
import type { BacktestMetrics } from '../result/backtest-result';
import { type OptimizeMetric, scoreOf } from './objective';
import type { Trial } from './trial-sampler';

/** In-sample or out-of-sample. */
export type Segment = 'in' | 'out';

/** The metrics of one (trial, fold, segment) backtest. */
export interface Evaluation {
  readonly trial: number;
  readonly fold: number;
  readonly segment: Segment;
  readonly metrics: BacktestMetrics;
}

/** One trial's scores per fold, in-sample and out-of-sample side by side. */
export interface TrialSummary {
  readonly trial: number;
  readonly params: StrategyParamOverrides;
  /** Score per fold, fold order. */
  readonly inSample: readonly number[];
  readonly outOfSample: readonly number[];
  readonly inSampleMean: number;
  /** The ranking key. */
  readonly outOfSampleMean: number;
  /** Closed trades summed over the out-of-sample windows. */
  readonly outOfSampleTrades: number;
  /** Out-of-sample returns compounded over the folds, in percent. */
  readonly outOfSampleReturnPct: number;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Lays evaluations out per trial and fold; a missing evaluation is a bug upstream, so it throws. */
export function summarizeTrials(
  trials: readonly Trial[],
  folds: number,
  evaluations: readonly Evaluation[],
  metric: OptimizeMetric,
): TrialSummary[] {
  const byKey = new Map<string, BacktestMetrics>();
  for (const e of evaluations) byKey.set(`${e.trial}|${e.fold}|${e.segment}`, e.metrics);
  const get = (trial: number, fold: number, segment: Segment): BacktestMetrics => {
    const m = byKey.get(`${trial}|${fold}|${segment}`);
    if (m === undefined) throw new Error(`missing ${segment}-sample result for trial ${trial}, fold ${fold}`);
    return m;
  };
  return trials.map((t) => {
    const ins: number[] = [];
    const outs: number[] = [];
    let trades = 0;
    let growth = 1;
    for (let f = 0; f < folds; f++) {
      ins.push(scoreOf(get(t.index, f, 'in'), metric));
      const out = get(t.index, f, 'out');
      outs.push(scoreOf(out, metric));
      trades += out.trades;
      growth *= 1 + out.totalReturnPct / 100;
    }
    return {
      trial: t.index,
      params: t.params,
      inSample: ins,
      outOfSample: outs,
      inSampleMean: mean(ins),
      outOfSampleMean: mean(outs),
      outOfSampleTrades: trades,
      outOfSampleReturnPct: (growth - 1) * 100,
    };
  });
}

/**
 * Best first by mean out-of-sample score only; in-sample scores are shown but never used, because
 * a parameter set that shines in-sample and fails out of sample is overfit, which is exactly what
 * walk-forward testing exists to expose. Trials with fewer than `minTrades` closed out-of-sample
 * trades rank after all others (a set that never closes a trade proves nothing, however good its
 * unrealised score). Ties go to the lower trial index (the configured parameters win a tie).
 */
export function rankByOutOfSample(summaries: readonly TrialSummary[], minTrades = 0): TrialSummary[] {
  const enough = (s: TrialSummary) => (s.outOfSampleTrades >= minTrades ? 0 : 1);
  return [...summaries].sort(
    (a, b) => enough(a) - enough(b) || b.outOfSampleMean - a.outOfSampleMean || a.trial - b.trial,
  );
}

/** What classic walk-forward would have done in one fold: pick the in-sample best, then trade it. */
export interface FoldPick {
  readonly fold: number;
  readonly trial: number;
  readonly inSample: number;
  readonly outOfSample: number;
}

/**
 * Per fold, the trial with the best in-sample score and its out-of-sample score. Their mean is an
 * honest estimate of live performance: unlike the overall ranking, no out-of-sample data was used
 * to choose. A large gap between the two columns means the optimisation is fitting noise.
 */
export function walkForwardPicks(summaries: readonly TrialSummary[], folds: number): FoldPick[] {
  const picks: FoldPick[] = [];
  for (let f = 0; f < folds; f++) {
    let best: TrialSummary | undefined;
    for (const s of summaries) {
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
