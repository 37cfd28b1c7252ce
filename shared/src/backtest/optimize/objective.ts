import type { BacktestMetrics } from '../result/backtest-result';

/** The metrics `--metric` can optimise. */
export const OptimizeMetric = {
  sharpe: 'sharpe',
  sortino: 'sortino',
  return: 'return',
  calmar: 'calmar',
  profitFactor: 'profit_factor',
} as const;
/** One of {@link OptimizeMetric}. */
export type OptimizeMetric = (typeof OptimizeMetric)[keyof typeof OptimizeMetric];

/** All metric names, for `--help` and validation. */
export const OPTIMIZE_METRICS = Object.values(OptimizeMetric) as readonly OptimizeMetric[];

/** Parses `--metric`; the error lists the valid names. */
export function parseOptimizeMetric(text: string): OptimizeMetric {
  if ((OPTIMIZE_METRICS as readonly string[]).includes(text)) return text as OptimizeMetric;
  throw new RangeError(`unknown --metric "${text}": use one of ${OPTIMIZE_METRICS.join(', ')}`);
}

/** Drawdown floor for Calmar, in percent, so a window without a drawdown does not divide by zero. */
const CALMAR_MIN_DRAWDOWN_PCT = 0.01;

/**
 * The score of one run. Undefined ratios (no trades, no variance) score the neutral value — 0, or
 * 1 for profit factor — so a parameter set that never trades can never look better than one that
 * trades at break-even. A profit factor with trades but no loss is capped at 10 for the same
 * reason: one lucky winning trade should not beat a long record. Calmar here is the window's total
 * return over its maximum drawdown (not annualised: every trial sees the same windows).
 */
export function scoreOf(m: BacktestMetrics, metric: OptimizeMetric): number {
  switch (metric) {
    case 'sharpe':
      return m.sharpe ?? 0;
    case 'sortino':
      return m.sortino ?? 0;
    case 'return':
      return m.totalReturnPct;
    case 'calmar':
      return m.totalReturnPct / Math.max(m.maxDrawdownPct, CALMAR_MIN_DRAWDOWN_PCT);
    case 'profit_factor':
      if (m.profitFactor !== null) return Math.min(m.profitFactor, 10);
      return m.trades > 0 && m.winRate >= 100 ? 10 : 1;
  }
}
