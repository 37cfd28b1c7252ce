import { emptyDoubles, emptyRefs } from '../../domain/shapes/typed-empty-arrays';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { KST_OFFSET_MS } from '../../domain/time/kst-calendar';
import { type EquitySample, MAX_EQUITY_SAMPLES } from '../result/backtest-result';

/**
 * Days since the epoch on the KST calendar: two instants share a KST date (`kstDateKey`) exactly
 * when they share this number (KST is UTC+9 all year), and it costs a division, not a date.
 */
export function kstDayNumber(at: number): number {
  return Math.floor((at + KST_OFFSET_MS) / MS.day);
}

/**
 * Streaming statistics of one equity curve (the account's or one strategy's): running peak and
 * maximum drawdown, and KST daily returns (each day's last equity over the previous day's, the first
 * day over the starting equity). O(days) memory, never O(bars), so a year of 1-minute bars is cheap.
 */
export class CurveTracker {
  // Every double field is first defined as NaN (a heap number), then set in the constructor: a
  // field defined as undefined (a declared field) holds a new heap number per double stored, and
  // one defined as a small integer (0, a whole-won capital) changes the object's hidden class when
  // the first fraction arrives, deoptimising the inlined step bookkeeping.
  private peak = Number.NaN;
  private maxDd = Number.NaN;
  // NaN before the first update.
  private day = Number.NaN;
  private dayClose = Number.NaN;
  private prevClose = Number.NaN;
  private readonly returns: number[] = emptyDoubles();
  private last = Number.NaN;

  constructor(readonly start: number) {
    this.peak = start;
    this.maxDd = 0;
    this.dayClose = start;
    this.prevClose = start;
    this.last = start;
  }

  /** Feeds the equity at `at`; returns the drawdown from the running peak as a fraction. */
  update(at: EpochMs, equity: number): number {
    const key = kstDayNumber(at);
    if (!Number.isNaN(this.day) && key !== this.day) {
      this.returns.push(this.dayClose / this.prevClose - 1);
      this.prevClose = this.dayClose;
    }
    this.day = key;
    this.dayClose = equity;
    this.last = equity;
    // Selects with unconditional stores, not `if`s: a store first made after this method was
    // optimised (a window whose equity never rose in a worker's first run) deoptimised it, and the
    // optimizer's step loop it is inlined into, in the next run.
    const prior = this.peak;
    // biome-ignore lint/complexity/useMathMinMax: the `if`'s exact result (Math.max differs on NaN and −0)
    const peak = equity > prior ? equity : prior;
    this.peak = peak;
    const dd = peak > 0 ? (peak - equity) / peak : 0;
    const maxDd = this.maxDd;
    // biome-ignore lint/complexity/useMathMinMax: the `if`'s exact result (Math.max differs on NaN and −0)
    this.maxDd = dd > maxDd ? dd : maxDd;
    return dd;
  }

  /** Daily returns including the current (possibly partial) day. */
  dailyReturns(): number[] {
    return Number.isNaN(this.day) ? [] : [...this.returns, this.dayClose / this.prevClose - 1];
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
  private samples: T[] = emptyRefs();
  private stride = 1;
  private seen = 0;
  private latest: T | undefined = undefined;

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

/**
 * The equity-curve sampler of every result (≤ {@link MAX_EQUITY_SAMPLES} points): the same points
 * as a {@link CurveSampler} of {@link EquitySample}s, but fed numbers and kept in three columns of
 * doubles, so no step builds an object: the points are made when read. A kept sample object lived
 * for the run, so V8 switched its allocation site (inlined into the step bookkeeping) to old-space
 * allocation after a few collections, and that switch threw the optimised StepCurves.record away
 * once per run (a recompile of the run's largest bookkeeping function).
 */
export class EquitySampler {
  // Halved in place, never replaced: a field that is reassigned stops being a constant for V8, and
  // the optimised step bookkeeping that inlined offerNext is thrown away the first time it happens.
  private readonly times: Float64Array;
  private readonly equities: Float64Array;
  private readonly drawdowns: Float64Array;
  /** Samples kept, at the front of the columns. */
  private kept = 0;
  private stride = 1;
  private seen = 0;
  /** Whether the last kept sample is the latest one fed. */
  private latestKept = false;
  // NaN (a double field, as CurveTracker's) until the first point; read only after one.
  private latestTime = Number.NaN;
  private latestEquity = Number.NaN;
  private latestDrawdown = Number.NaN;

  constructor(private readonly limit = MAX_EQUITY_SAMPLES) {
    if (!(Number.isInteger(limit) && limit >= 2))
      throw new RangeError(`sample limit must be an integer ≥ 2, got ${limit}`);
    this.times = new Float64Array(limit);
    this.equities = new Float64Array(limit);
    this.drawdowns = new Float64Array(limit);
  }

  /**
   * The point {@link offerNext} offers: time, equity and drawdown %, written in place by a caller
   * that offers one per step (doubles passed as arguments are boxed, a heap number each per step).
   */
  readonly next = new Float64Array(3);

  /** Offers one point. */
  add(time: number, equity: number, drawdownPct: number): void {
    const n = this.next;
    n[0] = time;
    n[1] = equity;
    n[2] = drawdownPct;
    this.offerNext();
  }

  /** Offers the point written to {@link next}. */
  offerNext(): void {
    const n = this.next;
    const time = n[0] as number;
    const equity = n[1] as number;
    const drawdownPct = n[2] as number;
    this.latestKept = false;
    if (this.seen % this.stride === 0) {
      const k = this.kept;
      this.times[k] = time;
      this.equities[k] = equity;
      this.drawdowns[k] = drawdownPct;
      this.kept = k + 1;
      this.latestKept = true;
      if (k + 1 >= this.limit) {
        this.latestKept = k % 2 === 0;
        // Every other point, the first kept (as `filter((_, i) => i % 2 === 0)`), in place.
        let kept = 0;
        for (let i = 0; i <= k; i += 2) {
          this.times[kept] = this.times[i] as number;
          this.equities[kept] = this.equities[i] as number;
          this.drawdowns[kept] = this.drawdowns[i] as number;
          kept++;
        }
        this.kept = kept;
        this.stride *= 2;
      }
    }
    this.seen += 1;
    this.latestTime = time;
    this.latestEquity = equity;
    this.latestDrawdown = drawdownPct;
  }

  /** The kept points, ending with the latest one, never more than the limit. */
  points(): EquitySample[] {
    const out: EquitySample[] = [];
    for (let i = 0; i < this.kept; i++)
      out.push({
        time: this.times[i] as number,
        equity: this.equities[i] as number,
        drawdownPct: this.drawdowns[i] as number,
      });
    if (this.seen === 0 || this.latestKept) return out;
    out.push({ time: this.latestTime, equity: this.latestEquity, drawdownPct: this.latestDrawdown });
    return out.length > this.limit ? out.slice(out.length - this.limit) : out;
  }
}

// Halvings before a run, so offerNext's halving branch has type feedback before the run's step
// bookkeeping (StepCurves.record, which inlines offerNext) is optimised: a branch first taken in
// optimised code throws that code away and V8 compiles the whole of record again (≈ 10–40 ms of CPU
// once per run, when the 5,000th sample arrives). V8 records feedback only once a function has run
// a few times, so the throwaway sampler takes 64 points (six halvings); doubles, as a run's are.
// The same for CurveTracker.update's new-day branch (inlined into the step bookkeeping for every
// strategy's curve): a run's first KST day ends up to a day of bars in, often after that code was
// optimised without feedback for the branch, and `all` then threw away and compiled StepCurves.record
// again. The throwaway curve is fed 64 updates, a new KST day every 8th, with rises and falls.

/** The throwaway sampler and curve of {@link warmCurveFeedback}. */
export interface CurveWarmUp {
  readonly sampler: EquitySampler;
  readonly curve: CurveTracker;
}

/**
 * Runs the warm-up above on a new throwaway sampler and curve and returns them, for the caller to
 * hold while its run lasts (StepCurves does, at every run's start). Made once at load (as below)
 * the halving branch's feedback did not hold: in the in-process benchmark (a short run, then the
 * year), the momentum year still threw StepCurves.record away at its first halving.
 */
export function warmCurveFeedback(): CurveWarmUp {
  const sampler = new EquitySampler(2);
  for (let i = 0; i < 64; i++) sampler.add(i + 0.5, i + 0.5, 0.5);
  const curve = new CurveTracker(1.5);
  for (let i = 0; i < 64; i++)
    curve.update(((i >> 3) * MS.day + i + 0.5) as EpochMs, 1.5 + ((i * 7) % 5) - 2.25);
  return { sampler, curve };
}

/** The load-time warm-up (a process's first run meets code already warmed), held for its life. */
export const LOAD_WARM_UP: CurveWarmUp = warmCurveFeedback();
