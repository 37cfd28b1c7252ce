import { assertFinite, assertPeriod } from './ring-buffer';

/**
 * RSI with Wilder smoothing as TA-Lib computes it: average gain and loss start as the simple means
 * of the first `period` changes (first value at bar index `period`), then
 * avg = (avg·(period − 1) + change)/period. Unlike TA-Lib, which returns 0 when nothing moved, a
 * window with no gains and no losses reads 50 (neutral): a flat market must not look "oversold".
 */
export class Rsi {
  private prev = Number.NaN;
  private changes = 0;
  private avgGain = 0;
  private avgLoss = 0;
  private current = Number.NaN;

  constructor(readonly period: number) {
    assertPeriod(period, 'RSI period');
  }

  /** True from bar index `period` on (TA-Lib begIndex = period). */
  get ready(): boolean {
    return this.changes >= this.period;
  }

  /** Current RSI in [0, 100]; NaN during warm-up. */
  get value(): number {
    return this.current;
  }

  /** Adds one close and returns the RSI (NaN during warm-up). O(1). */
  update(x: number): number {
    assertFinite(x, 'RSI input');
    if (Number.isNaN(this.prev)) {
      this.prev = x;
      return this.current;
    }
    const change = x - this.prev;
    this.prev = x;
    const n = this.period;
    if (this.changes < n) {
      if (change < 0) this.avgLoss -= change;
      else this.avgGain += change;
      this.changes++;
      if (this.changes < n) return this.current;
      this.avgLoss /= n;
      this.avgGain /= n;
    } else {
      this.avgLoss *= n - 1;
      this.avgGain *= n - 1;
      if (change < 0) this.avgLoss -= change;
      else this.avgGain += change;
      this.avgLoss /= n;
      this.avgGain /= n;
    }
    const total = this.avgGain + this.avgLoss;
    this.current = total > 0 ? 100 * (this.avgGain / total) : 50;
    return this.current;
  }

  /** Forgets all history. */
  reset(): void {
    this.prev = Number.NaN;
    this.changes = 0;
    this.avgGain = 0;
    this.avgLoss = 0;
    this.current = Number.NaN;
  }
}

/** Batch RSI aligned with the input (NaN for the first `period` slots). Built on {@link Rsi}. */
export function rsiBatch(values: ArrayLike<number>, period: number): Float64Array {
  const ind = new Rsi(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = ind.update(values[i] as number);
  return out;
}
