import { assertPeriod, notFiniteError } from './ring-buffer';
import { keepShapeAlive } from './shape-anchor';

const MEAN = 0;
const M2 = 1;

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
  private readonly window: Float64Array;
  /** [mean, M2]: floats in a typed array, a fixed object shape (shape-anchor.ts). */
  private readonly moments = new Float64Array(2);
  private head = 0;
  private filled = 0;

  constructor(readonly period: number) {
    assertPeriod(period, 'rolling window');
    this.window = new Float64Array(period);
  }

  /** True once the window is full. */
  get ready(): boolean {
    return this.filled === this.period;
  }

  /** Values in the window so far. */
  get count(): number {
    return this.filled;
  }

  /** Newest value pushed; NaN when empty. */
  get last(): number {
    if (this.filled === 0) return Number.NaN;
    return this.window[this.head === 0 ? this.period - 1 : this.head - 1] as number;
  }

  /** Mean of the window; NaN during warm-up. */
  get value(): number {
    return this.filled === this.period ? (this.moments[MEAN] as number) : Number.NaN;
  }

  /** Mean of the window; NaN during warm-up. */
  get average(): number {
    return this.value;
  }

  /** Population variance (divide by n), as TA-Lib's STDDEV/BBANDS; NaN during warm-up. */
  get variance(): number {
    return this.filled === this.period ? (this.moments[M2] as number) / this.period : Number.NaN;
  }

  /** Sample variance (divide by n − 1); NaN during warm-up or when period is 1. */
  get sampleVariance(): number {
    return this.filled === this.period && this.period > 1
      ? (this.moments[M2] as number) / (this.period - 1)
      : Number.NaN;
  }

  /** Population standard deviation; NaN during warm-up. */
  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** Sample standard deviation; NaN during warm-up or when period is 1. */
  get sampleStd(): number {
    return Math.sqrt(this.sampleVariance);
  }

  /** Adds one value and returns the window mean (NaN during warm-up). O(1) amortised, allocation-free. */
  update(x: number): number {
    if (!Number.isFinite(x)) throw notFiniteError(x, 'rolling input');
    const w = this.window;
    const p = w.length;
    const head = this.head;
    const evicted = w[head] as number;
    w[head] = x;
    this.head = head + 1 === p ? 0 : head + 1;
    const mo = this.moments;
    if (this.filled < p) {
      const n = ++this.filled;
      if (n === p && head + 1 === p) this.resync();
      else {
        const mean = mo[MEAN] as number;
        const d = x - mean;
        const next = mean + d / n;
        mo[MEAN] = next;
        mo[M2] = (mo[M2] as number) + d * (x - next);
      }
      return n === p ? (mo[MEAN] as number) : Number.NaN;
    }
    if (head + 1 === p) this.resync();
    else {
      const oldMean = mo[MEAN] as number;
      const mean = oldMean + (x - evicted) / p;
      const m2 = (mo[M2] as number) + (x - evicted) * (x - mean + evicted - oldMean);
      mo[MEAN] = mean;
      mo[M2] = m2;
      if (m2 < p * (NEAR_FLAT_RATIO * mean) ** 2) this.resync();
    }
    return mo[MEAN] as number;
  }

  /** Forgets all history. */
  reset(): void {
    this.window.fill(0);
    this.moments.fill(0);
    this.head = 0;
    this.filled = 0;
  }

  /** Corrected two-pass mean and M2 of the values in the window (oldest first). */
  private resync(): void {
    const w = this.window;
    const p = w.length;
    const n = this.filled;
    const start = n === p ? this.head : 0;
    let s = 0;
    for (let i = 0, j = start; i < n; i++, j = j + 1 === p ? 0 : j + 1) s += w[j] as number;
    const mean = s / n;
    let m2 = 0;
    let c = 0;
    for (let i = 0, j = start; i < n; i++, j = j + 1 === p ? 0 : j + 1) {
      const d = (w[j] as number) - mean;
      m2 += d * d;
      c += d;
    }
    // Corrected two-pass: subtracts the residual sum left by rounding in the mean.
    this.moments[MEAN] = mean + c / n;
    this.moments[M2] = Math.max(0, m2 - (c * c) / n);
  }
}

keepShapeAlive(new RollingStats(2));

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
