import { assertPeriod } from './ring-buffer';
import { TrueRange } from './true-range';

/**
 * Average true range with Wilder smoothing as TA-Lib computes it: the first value (bar index
 * `period`) is the simple mean of the first `period` true ranges (bars 1..period), then
 * atr = (atr·(period − 1) + tr)/period. Used for volatility-scaled stops and spreads.
 */
export class Atr {
  private readonly tr = new TrueRange();
  private count = 0;
  private seedSum = 0;
  private current = Number.NaN;

  constructor(readonly period: number) {
    assertPeriod(period, 'ATR period');
  }

  /** True from bar index `period` on (TA-Lib begIndex = period). */
  get ready(): boolean {
    return this.count >= this.period;
  }

  /** Current ATR; NaN during warm-up. */
  get value(): number {
    return this.ready ? this.current : Number.NaN;
  }

  /** Latest true range (NaN on the first bar). */
  get trueRange(): number {
    return this.tr.value;
  }

  /** Adds one bar and returns the ATR (NaN during warm-up). O(1). */
  update(high: number, low: number, close: number): number {
    const tr = this.tr.update(high, low, close);
    if (Number.isNaN(tr)) return this.value;
    if (this.count < this.period) {
      this.seedSum += tr;
      this.count++;
      if (this.count === this.period) this.current = this.seedSum / this.period;
      return this.value;
    }
    this.current = (this.current * (this.period - 1) + tr) / this.period;
    return this.current;
  }

  /** Forgets all history. */
  reset(): void {
    this.tr.reset();
    this.count = 0;
    this.seedSum = 0;
    this.current = Number.NaN;
  }
}

/** Batch ATR aligned with the input (NaN for the first `period` slots). Built on {@link Atr}. */
export function atrBatch(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period: number,
): Float64Array {
  const ind = new Atr(period);
  const out = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++)
    out[i] = ind.update(high[i] as number, low[i] as number, close[i] as number);
  return out;
}
