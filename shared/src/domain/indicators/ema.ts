import { assertFinite, assertPeriod, notFiniteError, outputArray } from './ring-buffer';
import { keepShapeAlive } from './shape-anchor';

const SEED_SUM = 0;
// Index of the current EMA in Ema.st (macd.ts keeps a copy of it, see there).
const CURRENT = 1;

/**
 * Exponential moving average with TA-Lib's default seeding: the first value is the SMA of the first
 * `period` inputs (index period − 1), then `ema += k·(x − ema)` with k = 2/(period + 1). Seeding by
 * the SMA (rather than by the first price) is what makes warm-up length and values match TA-Lib.
 */
export class Ema {
  /** Smoothing factor 2/(period + 1). */
  readonly k: number;
  /**
   * [seed sum, current EMA] (floats in a typed array: a fixed object shape, see shape-anchor.ts).
   * Not private: MACD's steady state advances its three averages here in place (see Macd.update);
   * nothing else writes it.
   */
  readonly st = new Float64Array(2);
  private count = 0;

  constructor(readonly period: number) {
    assertPeriod(period, 'EMA period');
    this.k = 2 / (period + 1);
  }

  /** True once `period` values have been seen. */
  get ready(): boolean {
    return this.count >= this.period;
  }

  /** Current EMA; NaN during warm-up. */
  get value(): number {
    return this.count >= this.period ? (this.st[CURRENT] as number) : Number.NaN;
  }

  /** Adds one value and returns the EMA (NaN during warm-up). O(1), allocation-free. */
  update(x: number): number {
    if (!Number.isFinite(x)) throw notFiniteError(x, 'EMA input');
    const st = this.st;
    const p = this.period;
    if (this.count >= p) {
      const e = st[CURRENT] as number;
      const next = (x - e) * this.k + e;
      st[CURRENT] = next;
      return next;
    }
    const sum = (st[SEED_SUM] as number) + x;
    st[SEED_SUM] = sum;
    if (++this.count < p) return Number.NaN;
    st[CURRENT] = sum / p;
    return sum / p;
  }

  /**
   * Feeds every value in order, exactly as that many {@link update} calls would (bit for bit), and
   * writes each returned EMA to `out[i]`; returns `out`. For warm-up from stored history and for
   * batches (state in locals: several times faster than `update` calls). On a non-finite value the
   * values before it are applied, then it throws.
   */
  updateMany(values: ArrayLike<number>, out?: Float64Array): Float64Array {
    const n = values.length;
    const res = outputArray(n, out);
    const p = this.period;
    const k = this.k;
    let i = 0;
    let bad = false;
    if (this.count < p) {
      let sum = this.st[SEED_SUM] as number;
      let count = this.count;
      for (; i < n && count < p; i++) {
        const x = values[i] as number;
        if (!Number.isFinite(x)) {
          bad = true;
          break;
        }
        sum += x;
        count++;
        res[i] = Number.NaN;
      }
      this.st[SEED_SUM] = sum;
      this.count = count;
      if (count === p && !bad) {
        this.st[CURRENT] = sum / p;
        res[i - 1] = sum / p;
      }
    }
    let e = this.st[CURRENT] as number;
    if (!bad)
      for (; i < n; i++) {
        const x = values[i] as number;
        if (!Number.isFinite(x)) break;
        e = (x - e) * k + e;
        res[i] = e;
      }
    this.st[CURRENT] = e;
    if (i < n) assertFinite(values[i] as number, 'EMA input');
    return res;
  }

  /**
   * Starts the average from a value computed elsewhere (MACD seeds its fast EMA from the SMA of the
   * bars that end where the slow EMA starts, as TA-Lib does). Later updates continue from it.
   */
  seed(value: number): void {
    assertFinite(value, 'EMA seed');
    this.count = this.period;
    this.st[CURRENT] = value;
  }

  /** Forgets all history. */
  reset(): void {
    this.count = 0;
    this.st.fill(0);
  }
}

keepShapeAlive(new Ema(2));

/** Batch EMA aligned with the input: NaN for the first period − 1 slots. Built on {@link Ema}. */
export function emaBatch(values: ArrayLike<number>, period: number): Float64Array {
  return new Ema(period).updateMany(values);
}
