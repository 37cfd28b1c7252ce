import { DAYS_PER_YEAR, sharpeRatio } from '../../domain/risk/performance-metrics';
import { toIsoUtc } from '../../domain/time/epoch';
import type { BacktestMetrics } from '../result/backtest-result';
import { sharpeWarning } from '../result/sharpe-confidence';
import { deflatedSharpe, sharpeSample } from './deflated-sharpe';
import type { Window } from './walk-forward';

/**
 * How one configuration did on one stretch of data, with its Sharpe's significance. Every Sharpe
 * the optimizer prints comes with its deflated Sharpe ratio (DSR) and the N it was deflated for:
 * N = every configuration tried where the number was the best of many (a selection), N = 1 where
 * nothing was chosen on this data (out of sample, holdout), in which case DSR = PSR(0).
 */
export interface SegmentReport {
  readonly from: string;
  readonly to: string;
  /** The optimised metric's value. */
  readonly score: number;
  readonly returnPct: number;
  readonly maxDrawdownPct: number;
  readonly trades: number;
  /** Annualised Sharpe of the daily (KST) returns; null when undefined (fewer than 2, no variance). */
  readonly sharpe: number | null;
  /** Probability that the true Sharpe beats the best of `deflatedFor` worthless trials; null without a Sharpe. */
  readonly deflatedSharpe: number | null;
  /** N used for the DSR. */
  readonly deflatedFor: number;
  /** Daily returns behind the Sharpe (T). */
  readonly days: number;
  readonly warning?: string;
}

function round(x: number, digits = 6): number {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** A segment's report from its metrics and daily returns. */
export function segmentReport(
  window: Window,
  score: number,
  metrics: Pick<BacktestMetrics, 'totalReturnPct' | 'maxDrawdownPct' | 'trades'>,
  dailyReturns: readonly number[],
  deflatedFor: number,
  varianceOfSharpes = 0,
): SegmentReport {
  const sample = sharpeSample(dailyReturns);
  const sharpe = sharpeRatio(dailyReturns, DAYS_PER_YEAR);
  const warning = sharpeWarning(dailyReturns.length);
  return {
    from: toIsoUtc(window.from),
    to: toIsoUtc(window.to),
    score: round(score),
    returnPct: round(metrics.totalReturnPct),
    maxDrawdownPct: round(metrics.maxDrawdownPct),
    trades: metrics.trades,
    sharpe: sharpe === undefined || !Number.isFinite(sharpe) ? null : round(sharpe),
    deflatedSharpe:
      sample === undefined ? null : round(deflatedSharpe(sample, deflatedFor, varianceOfSharpes), 4),
    deflatedFor,
    days: dailyReturns.length,
    ...(warning === undefined ? {} : { warning }),
  };
}

/**
 * The walk-forward curve: the fold picks' out-of-sample windows back to back (they tile the data
 * before the holdout), returns compounded; a KST day split between two windows counts once, its
 * two partial returns compounded; drawdown on daily closes.
 */
export function chainedReport(
  window: Window,
  score: number,
  parts: readonly {
    readonly metrics: BacktestMetrics;
    readonly dailyReturns: readonly number[];
    readonly days: readonly string[];
  }[],
): SegmentReport {
  let growth = 1;
  let trades = 0;
  const byDay = new Map<string, number>();
  for (const p of parts) {
    growth *= 1 + p.metrics.totalReturnPct / 100;
    trades += p.metrics.trades;
    p.dailyReturns.forEach((r, i) => {
      const day = p.days[i] ?? `#${byDay.size}`;
      byDay.set(day, ((byDay.get(day) ?? 0) + 1) * (1 + r) - 1);
    });
  }
  const returns = [...byDay.values()];
  let equity = 1;
  let peak = 1;
  let maxDd = 0;
  for (const r of returns) {
    equity *= 1 + r;
    peak = Math.max(peak, equity);
    maxDd = Math.max(maxDd, (peak - equity) / peak);
  }
  return segmentReport(
    window,
    score,
    { totalReturnPct: (growth - 1) * 100, maxDrawdownPct: maxDd * 100, trades },
    returns,
    1,
  );
}
