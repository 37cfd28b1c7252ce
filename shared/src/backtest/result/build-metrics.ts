import {
  type ClosedTrade,
  DAYS_PER_YEAR,
  dailyGoalAttainment,
  sharpeRatio,
  sortinoRatio,
  tradeMetrics,
} from '../../domain/risk/performance-metrics';
import { MS } from '../../domain/time/epoch';
import type { BacktestMetrics } from './backtest-result';
import { sharpeWarning } from './sharpe-confidence';

/** What the engine measured for one curve (account or strategy), the input of {@link buildMetrics}. */
export interface MetricsInput {
  readonly startEquity: number;
  readonly finalEquity: number;
  readonly maxDrawdown: number;
  readonly dailyReturns: readonly number[];
  readonly closedTrades: readonly ClosedTrade[];
  readonly fills: number;
  readonly feesKrw: number;
  /** Length of the simulated period in ms (for trades per day). */
  readonly spanMs: number;
  readonly dailyGoal: number;
}

// Six decimals: far below anything a reader compares, and short, stable JSON.
function round(x: number, digits = 6): number {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

function finiteOrNull(x: number | undefined): number | null {
  return x === undefined || !Number.isFinite(x) ? null : round(x);
}

/**
 * The headline metrics from the engine's measurements, with the shared definitions of
 * domain/risk/performance-metrics (daily KST returns, 365-day annualisation, risk-free rate 0).
 * Undefined ratios become `null` (see {@link BacktestMetrics}); a Sharpe from fewer than 30 daily
 * returns carries `sharpeWarning`.
 */
export function buildMetrics(m: MetricsInput): BacktestMetrics {
  const trades = tradeMetrics(m.closedTrades);
  const days = m.spanMs / MS.day;
  const goal = dailyGoalAttainment(m.dailyReturns, m.dailyGoal);
  const warning = sharpeWarning(m.dailyReturns.length);
  return {
    totalReturnPct: m.startEquity > 0 ? round((m.finalEquity / m.startEquity - 1) * 100) : 0,
    sharpe: finiteOrNull(sharpeRatio(m.dailyReturns, DAYS_PER_YEAR)),
    sortino: finiteOrNull(sortinoRatio(m.dailyReturns, DAYS_PER_YEAR)),
    maxDrawdownPct: round(m.maxDrawdown * 100),
    winRate: round(trades.winRate * 100),
    avgPnlKrw: round(trades.averagePnl, 4),
    profitFactor: finiteOrNull(trades.profitFactor),
    trades: trades.trades,
    tradesPerDay: days > 0 ? round(trades.trades / days) : 0,
    fills: m.fills,
    feesKrw: round(m.feesKrw, 4),
    finalEquityKrw: round(m.finalEquity, 4),
    dailyGoalHitRatePct: round(goal.rate * 100),
    returnDays: m.dailyReturns.length,
    ...(warning === undefined ? {} : { sharpeWarning: warning }),
  };
}
