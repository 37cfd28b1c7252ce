import { type EpochMs, MS } from '../time/epoch';
import { kstDateKey } from '../time/kst-calendar';

/**
 * Performance metrics shared by the backtest report, the daily report and the dashboard, in float64
 * (reporting, never accounting). Conventions, chosen for markets that trade 24/7/365:
 * - Sharpe = mean(r) / stdev(r) × √(periods per year), risk-free rate 0, sample stdev (n − 1).
 *   Daily returns (KST days) use 365 periods; per-bar returns use 365 × 86,400,000 / bar ms
 *   (1-minute bars: 525,600). No 252-day equity convention: crypto never closes.
 * - Sortino = mean(r) / downside deviation × √(periods per year), target 0, downside deviation
 *   = √(Σ min(r, 0)² / n) over all n periods.
 * - Max drawdown = largest (peak − trough) / peak on the equity curve, peak before trough.
 */

/** Days in a crypto year, for annualising daily returns. */
export const DAYS_PER_YEAR = 365;

/** Periods per year for returns sampled every `periodMs` (24/7 markets). */
export function periodsPerYear(periodMs: number): number {
  if (!(periodMs > 0)) throw new RangeError(`period must be positive, got ${periodMs}`);
  return (DAYS_PER_YEAR * MS.day) / periodMs;
}

/** One closed round trip, net of fees. */
export interface ClosedTrade {
  readonly netPnl: number;
  readonly closedAt: EpochMs;
}

/** Trade-level statistics. */
export interface TradeMetrics {
  readonly trades: number;
  readonly totalPnl: number;
  readonly winRate: number;
  readonly averagePnl: number;
  readonly averageWin: number;
  readonly averageLoss: number;
  /** Gross profit / gross loss; Infinity with profits and no losses, undefined with neither. */
  readonly profitFactor: number | undefined;
}

/** PnL, win rate, average P/L and profit factor of closed trades. */
export function tradeMetrics(trades: readonly ClosedTrade[]): TradeMetrics {
  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  for (const t of trades) {
    if (t.netPnl > 0) {
      wins += 1;
      grossProfit += t.netPnl;
    } else if (t.netPnl < 0) {
      losses += 1;
      grossLoss -= t.netPnl;
    }
  }
  const n = trades.length;
  const total = grossProfit - grossLoss;
  return {
    trades: n,
    totalPnl: total,
    winRate: n === 0 ? 0 : wins / n,
    averagePnl: n === 0 ? 0 : total / n,
    averageWin: wins === 0 ? 0 : grossProfit / wins,
    averageLoss: losses === 0 ? 0 : -grossLoss / losses,
    profitFactor:
      grossLoss > 0 ? grossProfit / grossLoss : grossProfit > 0 ? Number.POSITIVE_INFINITY : undefined,
  };
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Annualised Sharpe ratio (see module conventions); undefined with < 2 returns or zero variance. */
export function sharpeRatio(returns: readonly number[], periodsInYear: number): number | undefined {
  if (returns.length < 2) return undefined;
  const m = mean(returns);
  let sq = 0;
  for (const r of returns) sq += (r - m) ** 2;
  const sd = Math.sqrt(sq / (returns.length - 1));
  if (sd === 0) return undefined;
  return (m / sd) * Math.sqrt(periodsInYear);
}

/**
 * Annualised Sortino ratio (see module conventions); undefined with fewer than two returns (one day
 * says nothing about dispersion, same rule as Sharpe) or without losses.
 */
export function sortinoRatio(returns: readonly number[], periodsInYear: number): number | undefined {
  if (returns.length < 2) return undefined;
  let down = 0;
  for (const r of returns) if (r < 0) down += r * r;
  const dd = Math.sqrt(down / returns.length);
  if (dd === 0) return undefined;
  return (mean(returns) / dd) * Math.sqrt(periodsInYear);
}

/** Largest peak-to-trough fall of an equity curve, as a fraction of the peak and in KRW. */
export interface Drawdown {
  readonly fraction: number;
  readonly amount: number;
  readonly peakIndex: number;
  readonly troughIndex: number;
}

/** Maximum drawdown; zero for a curve that never falls. */
export function maxDrawdown(equity: readonly number[]): Drawdown {
  let best: Drawdown = { fraction: 0, amount: 0, peakIndex: 0, troughIndex: 0 };
  let peak = Number.NEGATIVE_INFINITY;
  let peakIndex = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i] as number;
    if (e > peak) {
      peak = e;
      peakIndex = i;
      continue;
    }
    const fraction = peak > 0 ? (peak - e) / peak : 0;
    if (fraction > best.fraction) best = { fraction, amount: peak - e, peakIndex, troughIndex: i };
  }
  return best;
}

/** One sample of account equity. */
export interface EquityPoint {
  readonly at: EpochMs;
  readonly equity: number;
}

/**
 * Daily returns on KST days from an equity curve sorted by time: each day's last equity over the
 * previous day's last (the first day over its own first sample).
 */
export function dailyReturnsKst(
  points: readonly EquityPoint[],
): { readonly day: string; readonly ret: number }[] {
  const out: { day: string; ret: number }[] = [];
  const first = points[0];
  if (first === undefined) return out;
  let prevClose = first.equity;
  let day = kstDateKey(first.at);
  let close = first.equity;
  for (const p of points) {
    const key = kstDateKey(p.at);
    if (key !== day) {
      out.push({ day, ret: close / prevClose - 1 });
      prevClose = close;
      day = key;
    }
    close = p.equity;
  }
  out.push({ day, ret: close / prevClose - 1 });
  return out;
}

/** Share of days reaching the daily return goal (2 % by default, the product's headline target). */
export function dailyGoalAttainment(
  dailyReturns: readonly number[],
  goal = 0.02,
): { readonly days: number; readonly hit: number; readonly rate: number } {
  let hit = 0;
  for (const r of dailyReturns) if (r >= goal) hit += 1;
  return { days: dailyReturns.length, hit, rate: dailyReturns.length === 0 ? 0 : hit / dailyReturns.length };
}

/** Closed trades per day over [from, to). */
export function tradeFrequency(trades: readonly ClosedTrade[], from: EpochMs, to: EpochMs): number {
  if (!(to > from)) throw new RangeError('trade frequency needs to > from');
  let n = 0;
  for (const t of trades) if (t.closedAt >= from && t.closedAt < to) n += 1;
  return n / ((to - from) / MS.day);
}
