import { assertFinite, assertPeriod } from './ring-buffer';

/**
 * Exponential moving average with TA-Lib's default seeding: the first value is the SMA of the first
 * `period` inputs (index period − 1), then `ema += k·(x − ema)` with k = 2/(period + 1). Seeding by
 * the SMA (rather than by the first price) is what makes warm-up length and values match TA-Lib.
 */
export class Ema {
  /** Smoothing factor 2/(period + 1). */
  readonly k: number;
  private count = 0;
  private seedSum = 0;
  private current = Number.NaN;

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
    return this.ready ? this.current : Number.NaN;
  }

  /** Adds one value and returns the EMA (NaN during warm-up). O(1). */
  update(x: number): number {
    assertFinite(x, 'EMA input');
    if (this.count < this.period) {
      this.seedSum += x;
      this.count++;
      if (this.count === this.period) this.current = this.seedSum / this.period;
      return this.value;
    }
    this.current = (x - this.current) * this.k + this.current;
    return this.current;
  }

  /**
   * Starts the average from a value computed elsewhere (MACD seeds its fast EMA from the SMA of the
   * bars that end where the slow EMA starts, as TA-Lib does). Later updates continue from it.
   */
  seed(value: number): void {
    assertFinite(value, 'EMA seed');
    this.count = this.period;
    this.current = value;
  }

  /** Forgets all history. */
  reset(): void {
    this.count = 0;
    this.seedSum = 0;
    this.current = Number.NaN;
  }
}

/** Batch EMA aligned with the input: NaN for the first period − 1 slots. Built on {@link Ema}. */
export function emaBatch(values: ArrayLike<number>, period: number): Float64Array {
  const ind = new Ema(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = ind.update(values[i] as number);
  return out;
}
