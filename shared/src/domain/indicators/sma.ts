import { assertFinite, assertPeriod, RingBuffer } from './ring-buffer';

/**
 * Simple moving average over the last `period` values (TA-Lib SMA: first value after `period`
 * inputs, i.e. at index period − 1). The running sum is Neumaier-compensated and recomputed from
 * the window each time the ring wraps, so rounding drift cannot accumulate over a 24/7 run.
 */
export class Sma {
  private readonly window: RingBuffer;
  private sum = 0;
  private comp = 0;

  constructor(readonly period: number) {
    assertPeriod(period, 'SMA period');
    this.window = new RingBuffer(period);
  }

  /** True once `period` values have been seen. */
  get ready(): boolean {
    return this.window.full;
  }

  /** Current average; NaN during warm-up. */
  get value(): number {
    return this.window.full ? (this.sum + this.comp) / this.period : Number.NaN;
  }

  /** Adds one value and returns the new average (NaN during warm-up). O(1) amortised. */
  update(x: number): number {
    assertFinite(x, 'SMA input');
    const evicted = this.window.push(x);
    if (this.window.wrapped) this.resync();
    else {
      this.add(x);
      if (!Number.isNaN(evicted)) this.add(-evicted);
    }
    return this.value;
  }

  /** Forgets all history. */
  reset(): void {
    this.window.clear();
    this.sum = 0;
    this.comp = 0;
  }

  private add(x: number): void {
    const t = this.sum + x;
    this.comp += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  private resync(): void {
    this.sum = 0;
    this.comp = 0;
    for (let i = 0; i < this.window.length; i++) this.add(this.window.get(i));
  }
}

/** Batch SMA aligned with the input: NaN for the first period − 1 slots. Built on {@link Sma}. */
export function smaBatch(values: ArrayLike<number>, period: number): Float64Array {
  const ind = new Sma(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = ind.update(values[i] as number);
  return out;
}
