import { assertFinite, assertPeriod, notFiniteError, outputArray } from './ring-buffer';
import { keepShapeAlive } from './shape-anchor';

const PREV = 0;
const AVG_GAIN = 1;
const AVG_LOSS = 2;
const CURRENT = 3;

/**
 * RSI with Wilder smoothing as TA-Lib computes it: average gain and loss start as the simple means
 * of the first `period` changes (first value at bar index `period`), then
 * avg = (avg·(period − 1) + change)/period. Unlike TA-Lib, which returns 0 when nothing moved, a
 * window with no gains and no losses reads 50 (neutral): a flat market must not look "oversold".
 */
export class Rsi {
  /** [previous close, average gain, average loss, current RSI] (a fixed object shape, see shape-anchor.ts). */
  private readonly st = new Float64Array([Number.NaN, 0, 0, Number.NaN]);
  /** Closes seen so far, capped at period + 1 (changes = closes − 1). */
  private closes = 0;

  constructor(readonly period: number) {
    assertPeriod(period, 'RSI period');
  }

  /** True from bar index `period` on (TA-Lib begIndex = period). */
  get ready(): boolean {
    return this.closes > this.period;
  }

  /** Current RSI in [0, 100]; NaN during warm-up. */
  get value(): number {
    return this.st[CURRENT] as number;
  }

  /** Adds one close and returns the RSI (NaN during warm-up). O(1), allocation-free. */
  update(x: number): number {
    if (!Number.isFinite(x)) throw notFiniteError(x, 'RSI input');
    const st = this.st;
    const n = this.period;
    const change = x - (st[PREV] as number);
    st[PREV] = x;
    const seen = this.closes;
    if (seen > n) {
      // Wilder: avg·(n − 1) plus this bar's gain (or loss), over n.
      let gain = (st[AVG_GAIN] as number) * (n - 1);
      let loss = (st[AVG_LOSS] as number) * (n - 1);
      if (change < 0) loss -= change;
      else gain += change;
      gain /= n;
      loss /= n;
      st[AVG_GAIN] = gain;
      st[AVG_LOSS] = loss;
      const rsi = rsiOf(gain, loss);
      st[CURRENT] = rsi;
      return rsi;
    }
    return this.warmUp(change, seen);
  }

  /**
   * {@link update} during warm-up (the first period + 1 closes), its close already stored: sums the
   * changes, then seeds the averages as their simple means. A method of its own so `update` stays
   * small enough for V8 to inline into mean reversion's step.
   */
  private warmUp(change: number, seen: number): number {
    const st = this.st;
    const n = this.period;
    this.closes = seen + 1;
    if (seen === 0) return Number.NaN;
    if (change < 0) st[AVG_LOSS] = (st[AVG_LOSS] as number) - change;
    else st[AVG_GAIN] = (st[AVG_GAIN] as number) + change;
    if (seen < n) return Number.NaN;
    const gain = (st[AVG_GAIN] as number) / n;
    const loss = (st[AVG_LOSS] as number) / n;
    st[AVG_GAIN] = gain;
    st[AVG_LOSS] = loss;
    const rsi = rsiOf(gain, loss);
    st[CURRENT] = rsi;
    return rsi;
  }

  /**
   * Feeds every close in order, exactly as that many {@link update} calls would (bit for bit), and
   * writes each returned RSI to `out[i]`; returns `out`. For warm-up from stored history and for
   * batches (state in locals: several times faster than `update` calls). On a non-finite value the
   * values before it are applied, then it throws.
   */
  updateMany(values: ArrayLike<number>, out?: Float64Array): Float64Array {
    const count = values.length;
    const res = outputArray(count, out);
    let i = 0;
    // The warm-up (period + 1 closes) goes through update(); only the steady state needs speed.
    for (; i < count && this.closes <= this.period; i++) res[i] = this.update(values[i] as number);
    const st = this.st;
    const n = this.period;
    const m = n - 1;
    let prev = st[PREV] as number;
    let gain = st[AVG_GAIN] as number;
    let loss = st[AVG_LOSS] as number;
    let rsi = st[CURRENT] as number;
    for (; i < count; i++) {
      const x = values[i] as number;
      if (!Number.isFinite(x)) break;
      const change = x - prev;
      prev = x;
      gain *= m;
      loss *= m;
      if (change < 0) loss -= change;
      else gain += change;
      gain /= n;
      loss /= n;
      rsi = rsiOf(gain, loss);
      res[i] = rsi;
    }
    st[PREV] = prev;
    st[AVG_GAIN] = gain;
    st[AVG_LOSS] = loss;
    st[CURRENT] = rsi;
    if (i < count) assertFinite(values[i] as number, 'RSI input');
    return res;
  }

  /** Forgets all history. */
  reset(): void {
    this.st.set([Number.NaN, 0, 0, Number.NaN]);
    this.closes = 0;
  }
}

/** 100·G/(G + L), and 50 (neutral) when nothing moved. */
function rsiOf(gain: number, loss: number): number {
  const total = gain + loss;
  return total > 0 ? 100 * (gain / total) : 50;
}

keepShapeAlive(new Rsi(2));

/** Batch RSI aligned with the input (NaN for the first `period` slots). Built on {@link Rsi}. */
export function rsiBatch(values: ArrayLike<number>, period: number): Float64Array {
  return new Rsi(period).updateMany(values);
}
