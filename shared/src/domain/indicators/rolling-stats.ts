import { assertFinite, assertPeriod, RingBuffer } from './ring-buffer';

/** σ/|mean| below which the sliding moments are recomputed exactly (see {@link RollingStats}). */
export const NEAR_FLAT_RATIO = 1e-6;

/**
 * Rolling mean, variance and standard deviation over the last `period` values.
 *
 * Numerics: Welford's update generalised to a sliding window. Replacing y by x in a full window of
 * n values moves the mean by (x − y)/n and the sum of squared deviations M2 by
 * (x − y)·(x − newMean + y − oldMean); this never forms Σx² − n·mean², which loses every digit
 * when prices are ~1e7 KRW and moves are ~1e3. M2 is clamped at 0 and both moments are recomputed
 * by a two-pass sweep every time the ring wraps (once per `period` updates, amortised O(1)), so
 * rounding error cannot accumulate over long runs.
 *
 * Near-flat windows: once σ falls below {@link NEAR_FLAT_RATIO}·|mean| the sliding M2 is mostly
 * rounding residue (its error is ~ε·mean², so σ would read ~√ε·mean instead of ~0), and the window
 * is recomputed two-pass on that update. That is O(period) per bar only while the market is flat to
 * within 1e-6 (far below any Upbit tick), which is rare and cheap.
 */
export class RollingStats {
  private readonly window: RingBuffer;
  private mean = 0;
  private m2 = 0;

  constructor(readonly period: number) {
    assertPeriod(period, 'rolling window');
    this.window = new RingBuffer(period);
  }

  /** True once the window is full. */
  get ready(): boolean {
    return this.window.full;
  }

  /** Values in the window so far. */
  get count(): number {
    return this.window.length;
  }

  /** Newest value pushed; NaN when empty. */
  get last(): number {
    return this.window.last;
  }

  /** Mean of the window; NaN during warm-up. */
  get value(): number {
    return this.ready ? this.mean : Number.NaN;
  }

  /** Mean of the window; NaN during warm-up. */
  get average(): number {
    return this.value;
  }

  /** Population variance (divide by n), as TA-Lib's STDDEV/BBANDS; NaN during warm-up. */
  get variance(): number {
    return this.ready ? this.m2 / this.period : Number.NaN;
  }

  /** Sample variance (divide by n − 1); NaN during warm-up or when period is 1. */
  get sampleVariance(): number {
    return this.ready && this.period > 1 ? this.m2 / (this.period - 1) : Number.NaN;
  }

  /** Population standard deviation; NaN during warm-up. */
  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** Sample standard deviation; NaN during warm-up or when period is 1. */
  get sampleStd(): number {
    return Math.sqrt(this.sampleVariance);
  }

  /** Adds one value and returns the window mean (NaN during warm-up). O(1) amortised. */
  update(x: number): number {
    assertFinite(x, 'rolling input');
    const wasFull = this.window.full;
    const evicted = this.window.push(x);
    if (this.window.wrapped) this.resync();
    else if (!wasFull) {
      const n = this.window.length;
      const d = x - this.mean;
      this.mean += d / n;
      this.m2 += d * (x - this.mean);
    } else {
      const oldMean = this.mean;
      this.mean += (x - evicted) / this.period;
      this.m2 += (x - evicted) * (x - this.mean + evicted - oldMean);
      if (this.m2 < this.period * (NEAR_FLAT_RATIO * this.mean) ** 2) this.resync();
    }
    return this.value;
  }

  /** Forgets all history. */
  reset(): void {
    this.window.clear();
    this.mean = 0;
    this.m2 = 0;
  }

  private resync(): void {
    const n = this.window.length;
    let s = 0;
    for (let i = 0; i < n; i++) s += this.window.get(i);
    const mean = s / n;
    let m2 = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const d = this.window.get(i) - mean;
      m2 += d * d;
      c += d;
    }
    // Corrected two-pass: subtracts the residual sum left by rounding in the mean.
    this.mean = mean + c / n;
    this.m2 = Math.max(0, m2 - (c * c) / n);
  }
}

/** Batch rolling population standard deviation aligned with the input (NaN during warm-up). */
export function rollingStdBatch(values: ArrayLike<number>, period: number): Float64Array {
  const ind = new RollingStats(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    ind.update(values[i] as number);
    out[i] = ind.std;
  }
  return out;
}
