import { krw } from '../../domain/money/quantities';
import type { EpochMs } from '../../domain/time/epoch';
import { kstDateKey } from '../../domain/time/kst-calendar';
import type { EquityPoint } from '../../ports/equity-history-store';
import { type DayReturn, dailyRatios, type EquityPerformance, goalAttainment } from './return-series';

/**
 * {@link EquityPerformance} of `[from, to)` folded one point at a time, in time order, so a summary
 * over a year of minute equity (half a million points) holds one day of points at a time, never the
 * whole history. Points may start before `from`: the last of those is the range's reference (the
 * previous close), the earlier ones are only looked at. The figures are those of the batch
 * definitions in `performance-metrics` (`dailyReturnsKst`, `maxDrawdown`) over the curve
 * reference + points in range, computed in the same order, so they are identical to the last bit.
 */
export class EquityPerformanceFold {
  private readonly firstDay: string;
  private before: EquityPoint | undefined;
  private start: EquityPoint | undefined;
  private last: EquityPoint | undefined;
  private low: EquityPoint | undefined;
  private high: EquityPoint | undefined;
  private count = 0;
  // Daily returns on the curve (dailyReturnsKst, incrementally).
  private readonly days: { day: string; ret: number }[] = [];
  private day = '';
  private prevClose = 0;
  private close = 0;
  // Drawdown on the curve (maxDrawdown, incrementally).
  private peak = Number.NEGATIVE_INFINITY;
  private ddFraction = 0;
  private ddAmount = 0;

  constructor(
    private readonly from: EpochMs,
    private readonly to: EpochMs,
    private readonly goalPct: number,
  ) {
    this.firstDay = kstDateKey(from);
  }

  /** Adds the next point (time order); points at or after `to` are ignored. */
  add(point: EquityPoint): void {
    if (point.at >= this.to) return;
    if (point.at < this.from) {
      this.before = point;
      return;
    }
    if (this.start === undefined) {
      this.start = this.before ?? point;
      if (this.before !== undefined) this.onCurve(this.before);
    }
    this.onCurve(point);
    this.count += 1;
    this.last = point;
    if (this.low === undefined || point.equity.lt(this.low.equity)) this.low = point;
    if (this.high === undefined || point.equity.gt(this.high.equity)) this.high = point;
  }

  /** The performance so far; undefined while no point lay in the range. */
  result(): EquityPerformance | undefined {
    const { start, last, low, high } = this;
    if (start === undefined || last === undefined || low === undefined || high === undefined)
      return undefined;
    const daily: DayReturn[] = [...this.days, { day: this.day, ret: this.close / this.prevClose - 1 }]
      .filter((d) => d.day >= this.firstDay)
      .map((d) => ({ day: d.day, returnPct: d.ret * 100 }));
    return {
      points: this.count,
      startEquity: start.equity,
      endEquity: last.equity,
      endAt: last.at,
      lowEquity: low.equity,
      highEquity: high.equity,
      equityChange: krw(last.equity.minus(start.equity)),
      returnPct: start.equity.gt(0) ? last.equity.div(start.equity).minus(1).times(100).toNumber() : 0,
      daily,
      ratios: dailyRatios(daily.map((d) => d.returnPct / 100)),
      maxDrawdownPct: this.ddFraction * 100,
      maxDrawdownKrw: this.ddAmount,
      dailyGoal: goalAttainment(daily, this.goalPct),
    };
  }

  private onCurve(point: EquityPoint): void {
    const e = point.equity.toNumber();
    const key = kstDateKey(point.at);
    if (this.day === '') {
      this.day = key;
      this.prevClose = e;
    } else if (key !== this.day) {
      this.days.push({ day: this.day, ret: this.close / this.prevClose - 1 });
      this.prevClose = this.close;
      this.day = key;
    }
    this.close = e;
    if (e > this.peak) {
      this.peak = e;
      return;
    }
    const fraction = this.peak > 0 ? (this.peak - e) / this.peak : 0;
    if (fraction > this.ddFraction) {
      this.ddFraction = fraction;
      this.ddAmount = this.peak - e;
    }
  }
}

/**
 * Equity performance of `[from, to)` from points sorted by time, which may start before `from` (the
 * previous close is the first day's reference). Undefined when no point lies in the range.
 */
export function equityPerformance(
  points: readonly EquityPoint[],
  from: EpochMs,
  to: EpochMs,
  goalPct: number,
): EquityPerformance | undefined {
  const fold = new EquityPerformanceFold(from, to, goalPct);
  for (const p of points) fold.add(p);
  return fold.result();
}
