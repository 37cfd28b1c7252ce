import { assertFinite, assertPeriod, RingBuffer } from './ring-buffer';

/**
 * Linearly weighted moving average (TA-Lib WMA): weights 1..period, newest heaviest, divided by
 * period·(period+1)/2. O(1) per update via the classic pair of running sums
 * (weighted += period·x − plainSum; plainSum += x − evicted); both are recomputed from the window
 * whenever the ring wraps, so drift is bounded to one window's worth of rounding.
 */
export class Wma {
  private readonly window: RingBuffer;
  private readonly divisor: number;
  private plainSum = 0;
  private weightedSum = 0;

  constructor(readonly period: number) {
    assertPeriod(period, 'WMA period');
    this.window = new RingBuffer(period);
    this.divisor = (period * (period + 1)) / 2;
  }

  /** True once `period` values have been seen. */
  get ready(): boolean {
    return this.window.full;
  }

  /** Current WMA; NaN during warm-up. */
  get value(): number {
    return this.window.full ? this.weightedSum / this.divisor : Number.NaN;
  }

  /** Adds one value and returns the WMA (NaN during warm-up). O(1) amortised. */
  update(x: number): number {
    assertFinite(x, 'WMA input');
    const wasFull = this.window.full;
    const evicted = this.window.push(x);
    if (this.window.wrapped || !wasFull) {
      if (this.window.full) this.resync();
    } else {
      this.weightedSum += this.period * x - this.plainSum;
      this.plainSum += x - evicted;
    }
    return this.value;
  }

  /** Forgets all history. */
  reset(): void {
    this.window.clear();
    this.plainSum = 0;
    this.weightedSum = 0;
  }

  private resync(): void {
    let plain = 0;
    let weighted = 0;
    for (let i = 0; i < this.period; i++) {
      const v = this.window.get(i);
      plain += v;
      weighted += (i + 1) * v;
    }
    this.plainSum = plain;
    this.weightedSum = weighted;
  }
}

/** Batch WMA aligned with the input: NaN for the first period − 1 slots. Built on {@link Wma}. */
export function wmaBatch(values: ArrayLike<number>, period: number): Float64Array {
  const ind = new Wma(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = ind.update(values[i] as number);
  return out;
}
