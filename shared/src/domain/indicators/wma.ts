import { assertPeriod, notFiniteError, outputArray } from './ring-buffer';
import { keepShapeAlive } from './shape-anchor';

const PLAIN = 0;
const WEIGHTED = 1;

/**
 * Linearly weighted moving average (TA-Lib WMA): weights 1..period, newest heaviest, divided by
 * period·(period+1)/2. O(1) per update via the classic pair of running sums
 * (weighted += period·x − plainSum; plainSum += x − evicted); both are recomputed from the window
 * whenever the ring wraps, so drift is bounded to one window's worth of rounding.
 */
export class Wma {
  private readonly window: Float64Array;
  private readonly divisor: number;
  /** [plain sum, weighted sum]: floats in a typed array, a fixed object shape (shape-anchor.ts). */
  private readonly sums = new Float64Array(2);
  private head = 0;
  private count = 0;

  constructor(readonly period: number) {
    assertPeriod(period, 'WMA period');
    this.window = new Float64Array(period);
    this.divisor = (period * (period + 1)) / 2;
  }

  /** True once `period` values have been seen. */
  get ready(): boolean {
    return this.count === this.period;
  }

  /** Current WMA; NaN during warm-up. */
  get value(): number {
    return this.count === this.period ? (this.sums[WEIGHTED] as number) / this.divisor : Number.NaN;
  }

  /** Adds one value and returns the WMA (NaN during warm-up). O(1) amortised, allocation-free. */
  update(x: number): number {
    if (!Number.isFinite(x)) throw notFiniteError(x, 'WMA input');
    const w = this.window;
    const p = w.length;
    const head = this.head;
    const evicted = w[head] as number;
    w[head] = x;
    this.head = head + 1 === p ? 0 : head + 1;
    if (this.count < p) {
      // Warm-up: the sums are first formed from the whole window when it fills.
      if (++this.count === p) this.resync();
    } else if (head + 1 === p) this.resync();
    else {
      const sums = this.sums;
      const plain = sums[PLAIN] as number;
      sums[WEIGHTED] = (sums[WEIGHTED] as number) + (p * x - plain);
      sums[PLAIN] = plain + (x - evicted);
    }
    return this.value;
  }

  /**
   * Feeds every value in order, exactly as that many {@link update} calls would, writing each
   * returned WMA to `out[i]`; returns `out`. On a non-finite value the values before it are
   * applied, then it throws.
   */
  updateMany(values: ArrayLike<number>, out?: Float64Array): Float64Array {
    const res = outputArray(values.length, out);
    for (let i = 0; i < values.length; i++) res[i] = this.update(values[i] as number);
    return res;
  }

  /** Forgets all history. */
  reset(): void {
    this.window.fill(0);
    this.sums.fill(0);
    this.head = 0;
    this.count = 0;
  }

  /** Recomputes both sums from the window, oldest first (the slot after the newest, `head`). */
  private resync(): void {
    const w = this.window;
    const p = w.length;
    let plain = 0;
    let weighted = 0;
    for (let i = 0, j = this.head; i < p; i++, j = j + 1 === p ? 0 : j + 1) {
      const v = w[j] as number;
      plain += v;
      weighted += (i + 1) * v;
    }
    this.sums[PLAIN] = plain;
    this.sums[WEIGHTED] = weighted;
  }
}

keepShapeAlive(new Wma(2));

/** Batch WMA aligned with the input: NaN for the first period − 1 slots. Built on {@link Wma}. */
export function wmaBatch(values: ArrayLike<number>, period: number): Float64Array {
  return new Wma(period).updateMany(values);
}
