import type { EpochMs } from '../../domain/time/epoch';
import { kstDateKey } from '../../domain/time/kst-calendar';
import { type EquitySample, MAX_EQUITY_SAMPLES } from '../result/backtest-result';

/**
 * Streaming statistics of one equity curve (the account's or one strategy's): running peak and
 * maximum drawdown, and KST daily returns (each day's last equity over the previous day's, the first
 * day over the starting equity). O(days) memory, never O(bars), so a year of 1-minute bars is cheap.
 */
export class CurveTracker {
  private peak: number;
  private maxDd = 0;
  private day: string | undefined;
  private dayClose: number;
  private prevClose: number;
  private readonly returns: number[] = [];
  private last: number;

  constructor(readonly start: number) {
    this.peak = start;
    this.dayClose = start;
    this.prevClose = start;
    this.last = start;
  }

  /** Feeds the equity at `at`; returns the drawdown from the running peak as a fraction. */
  update(at: EpochMs, equity: number): number {
    const key = kstDateKey(at);
    if (this.day !== undefined && key !== this.day) {
      this.returns.push(this.dayClose / this.prevClose - 1);
      this.prevClose = this.dayClose;
    }
    this.day = key;
    this.dayClose = equity;
    this.last = equity;
    if (equity > this.peak) this.peak = equity;
    const dd = this.peak > 0 ? (this.peak - equity) / this.peak : 0;
    if (dd > this.maxDd) this.maxDd = dd;
    return dd;
  }

  /** Daily returns including the current (possibly partial) day. */
  dailyReturns(): number[] {
    return this.day === undefined ? [] : [...this.returns, this.dayClose / this.prevClose - 1];
  }

  /** Largest peak-to-trough fall so far, as a fraction of the peak. */
  get maxDrawdown(): number {
    return this.maxDd;
  }

  /** Latest equity fed. */
  get final(): number {
    return this.last;
  }
}

/**
 * Keeps at most `limit` evenly spaced points of a series of unknown length: when full it drops every
 * other point and doubles its stride. Deterministic, O(limit) memory; the last point is always kept
 * so a chart ends at the final value. Used for the equity curve and the report's price lines.
 */
export class CurveSampler<T> {
  private samples: T[] = [];
  private stride = 1;
  private seen = 0;
  private latest: T | undefined;

  constructor(private readonly limit = MAX_EQUITY_SAMPLES) {
    if (!(Number.isInteger(limit) && limit >= 2))
      throw new RangeError(`sample limit must be an integer ≥ 2, got ${limit}`);
  }

  /** Offers one point. */
  add(sample: T): void {
    if (this.seen % this.stride === 0) {
      this.samples.push(sample);
      if (this.samples.length >= this.limit) {
        this.samples = this.samples.filter((_, i) => i % 2 === 0);
        this.stride *= 2;
      }
    }
    this.seen += 1;
    this.latest = sample;
  }

  /** The kept points, ending with the latest one, never more than the limit. */
  points(): T[] {
    const last = this.samples[this.samples.length - 1];
    if (this.latest === undefined || last === this.latest) return [...this.samples];
    const out = [...this.samples, this.latest];
    return out.length > this.limit ? out.slice(out.length - this.limit) : out;
  }
}

/** The equity-curve sampler of every result (≤ {@link MAX_EQUITY_SAMPLES} points). */
export class EquitySampler extends CurveSampler<EquitySample> {}
