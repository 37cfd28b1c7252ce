import { assertPeriod, outputArray, sameLength } from './ring-buffer';
import { keepShapeAlive } from './shape-anchor';
import { TrueRange } from './true-range';

const SEED_SUM = 0;
const CURRENT = 1;

/**
 * Average true range with Wilder smoothing as TA-Lib computes it: the first value (bar index
 * `period`) is the simple mean of the first `period` true ranges (bars 1..period), then
 * atr = (atr·(period − 1) + tr)/period. Used for volatility-scaled stops and spreads.
 */
export class Atr {
  private readonly tr = new TrueRange();
  /** [seed sum, ATR]: floats in a typed array, a fixed object shape (shape-anchor.ts). */
  private readonly st = new Float64Array(2);
  /** True ranges seen, capped at period. */
  private count = 0;

  constructor(readonly period: number) {
    assertPeriod(period, 'ATR period');
  }

  /** True from bar index `period` on (TA-Lib begIndex = period). */
  get ready(): boolean {
    return this.count >= this.period;
  }

  /** Current ATR; NaN during warm-up. */
  get value(): number {
    return this.count >= this.period ? (this.st[CURRENT] as number) : Number.NaN;
  }

  /** Latest true range (NaN on the first bar). */
  get trueRange(): number {
    return this.tr.value;
  }

  /** Adds one bar and returns the ATR (NaN during warm-up). O(1), allocation-free. */
  update(high: number, low: number, close: number): number {
    const tr = this.tr.update(high, low, close);
    const st = this.st;
    const p = this.period;
    if (this.count >= p) {
      const atr = ((st[CURRENT] as number) * (p - 1) + tr) / p;
      st[CURRENT] = atr;
      return atr;
    }
    if (Number.isNaN(tr)) return Number.NaN;
    const sum = (st[SEED_SUM] as number) + tr;
    st[SEED_SUM] = sum;
    if (++this.count < p) return Number.NaN;
    st[CURRENT] = sum / p;
    return sum / p;
  }

  /**
   * Feeds every bar in order, exactly as that many {@link update} calls would (bit for bit), and
   * writes each returned ATR to `out[i]`; returns `out`. For warm-up from stored history and for
   * batches (the ATR in a local). On a bad bar the bars before it are applied, then it throws.
   */
  updateMany(
    high: ArrayLike<number>,
    low: ArrayLike<number>,
    close: ArrayLike<number>,
    out?: Float64Array,
  ): Float64Array {
    const n = sameLength(high, low, close);
    const res = outputArray(n, out);
    let i = 0;
    for (; i < n && this.count < this.period; i++)
      res[i] = this.update(high[i] as number, low[i] as number, close[i] as number);
    if (i === n) return res;
    const tr = this.tr;
    const p = this.period;
    const m = p - 1;
    let atr = this.st[CURRENT] as number;
    try {
      for (; i < n; i++) {
        atr = (atr * m + tr.update(high[i] as number, low[i] as number, close[i] as number)) / p;
        res[i] = atr;
      }
    } finally {
      // A bad bar throws from tr.update before it changes anything: keep the bars before it.
      this.st[CURRENT] = atr;
    }
    return res;
  }

  /** Forgets all history. */
  reset(): void {
    this.tr.reset();
    this.st.fill(0);
    this.count = 0;
  }
}

keepShapeAlive(new Atr(2));

/** Batch ATR aligned with the input (NaN for the first `period` slots). Built on {@link Atr}. */
export function atrBatch(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period: number,
): Float64Array {
  return new Atr(period).updateMany(high, low, close);
}
