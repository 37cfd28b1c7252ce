import { type Decimal, ZERO } from '../../domain/money/decimal';
import { type Krw, krw } from '../../domain/money/quantities';
import {
  DAYS_PER_YEAR,
  dailyGoalAttainment,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
} from '../../domain/risk/performance-metrics';
import type { EpochMs } from '../../domain/time/epoch';
import { kstDateKey, nextKstDayStart } from '../../domain/time/kst-calendar';

/**
 * Daily returns below this count make Sharpe and Sortino noise (a 7-day run printed Sharpe −36):
 * the ratios are still computed but flagged unreliable, and the summary carries a warning.
 */
export const MIN_RELIABLE_DAILY_RETURNS = 30;

/** Sharpe and Sortino of daily KST returns (365-day annualisation, risk-free 0; performance-metrics). */
export interface RatioSet {
  readonly sharpe: number | undefined;
  readonly sortino: number | undefined;
  /** How many daily returns they were computed from. */
  readonly dailyReturns: number;
  /** False below {@link MIN_RELIABLE_DAILY_RETURNS} daily returns. */
  readonly reliable: boolean;
}

/** The ratios of a daily return series, flagged by sample size. */
export function dailyRatios(returns: readonly number[]): RatioSet {
  return {
    sharpe: sharpeRatio(returns, DAYS_PER_YEAR),
    sortino: sortinoRatio(returns, DAYS_PER_YEAR),
    dailyReturns: returns.length,
    reliable: returns.length >= MIN_RELIABLE_DAILY_RETURNS,
  };
}

/** One KST day's return. */
export interface DayReturn {
  /** KST date `YYYY-MM-DD`. */
  readonly day: string;
  readonly returnPct: number;
}

/** How often the daily goal (config `dailyGoalPct`, 2 % by default) was reached, and the latest day. */
export interface GoalAttainment {
  readonly goalPct: number;
  readonly days: number;
  readonly hit: number;
  readonly hitRatePct: number;
  /** The last day of the range (today while it runs): its return and how far along the goal it is. */
  readonly lastDay:
    | {
        readonly day: string;
        readonly returnPct: number;
        readonly progressPct: number;
        readonly reached: boolean;
      }
    | undefined;
}

/** Goal attainment over daily returns (`dailyGoalAttainment` of performance-metrics). */
export function goalAttainment(days: readonly DayReturn[], goalPct: number): GoalAttainment {
  const stats = dailyGoalAttainment(
    days.map((d) => d.returnPct / 100),
    goalPct / 100,
  );
  const last = days[days.length - 1];
  return {
    goalPct,
    days: stats.days,
    hit: stats.hit,
    hitRatePct: stats.rate * 100,
    lastDay:
      last === undefined
        ? undefined
        : {
            day: last.day,
            returnPct: last.returnPct,
            progressPct: goalPct > 0 ? (last.returnPct / goalPct) * 100 : 0,
            reached: last.returnPct >= goalPct,
          },
  };
}

/** The KST dates that overlap `[from, to)`, oldest first. */
export function kstDaysOf(from: EpochMs, to: EpochMs): string[] {
  const days: string[] = [];
  for (let at = from; at < to; at = nextKstDayStart(at)) days.push(kstDateKey(at));
  return days;
}

/** Account performance from the executor's minute equity (cash + holdings at liquidation value). */
export interface EquityPerformance {
  readonly points: number;
  /** Equity at the start of the range: the last point before it, else the first inside it. */
  readonly startEquity: Krw;
  readonly endEquity: Krw;
  readonly endAt: EpochMs;
  /** Lowest and highest equity recorded in the range (the worst intraday loss for the loss limits). */
  readonly lowEquity: Krw;
  readonly highEquity: Krw;
  /** End − start, realised and unrealised together (deposits and withdrawals included: see docs). */
  readonly equityChange: Krw;
  readonly returnPct: number;
  readonly daily: readonly DayReturn[];
  readonly ratios: RatioSet;
  readonly maxDrawdownPct: number;
  readonly maxDrawdownKrw: number;
  readonly dailyGoal: GoalAttainment;
}

/** A strategy's realised PnL per KST day as a return on its allocated capital. */
export interface RealisedSeries {
  /** The capital the returns are measured on (config `capital.perStrategyKrw`). */
  readonly capital: Krw;
  readonly daily: readonly (DayReturn & { readonly pnl: Krw })[];
  readonly ratios: RatioSet;
  /** Drawdown of capital + cumulative realised PnL. */
  readonly maxDrawdownPct: number;
  readonly dailyGoal: GoalAttainment;
}

/**
 * Per-strategy curves: the equity history is kept for the whole account only, so a strategy is
 * scored on its realised PnL per KST day (of the sell fills of that day) over its allocated capital.
 * Every day of the range counts (a day without a sell returns 0), which is how an allocation that sat
 * idle really did.
 */
export function realisedSeries(
  realizedByDay: ReadonlyMap<string, Krw>,
  capital: Krw,
  from: EpochMs,
  to: EpochMs,
  goalPct: number,
): RealisedSeries {
  const base = capital.toNumber();
  let cumulative: Decimal = ZERO;
  const curve = [base];
  const daily = kstDaysOf(from, to).map((day) => {
    const pnl: Decimal = realizedByDay.get(day) ?? ZERO;
    cumulative = cumulative.plus(pnl);
    curve.push(capital.plus(cumulative).toNumber());
    return { day, pnl: krw(pnl), returnPct: base > 0 ? (pnl.toNumber() / base) * 100 : 0 };
  });
  return {
    capital,
    daily,
    ratios: dailyRatios(daily.map((d) => d.returnPct / 100)),
    maxDrawdownPct: maxDrawdown(curve).fraction * 100,
    dailyGoal: goalAttainment(daily, goalPct),
  };
}
