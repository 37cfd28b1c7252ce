import { assertPeriod, RingBuffer } from './ring-buffer';
import { keepShapeAlive } from './shape-anchor';
import { Wma } from './wma';

/**
 * Momentum of a WMA: the percent change of WMA(period) over the last `lookback` bars,
 * 100·(wma_t − wma_{t−lookback})/wma_{t−lookback}. Smoothing before differencing keeps a single
 * noisy print from reading as momentum, and the WMA's front-weighting keeps the lag short, which is
 * what a scalper needs. Ready at bar period − 1 + lookback.
 */
export class WmaMomentum {
  private readonly wma: Wma;
  private readonly history: RingBuffer;
  private current = Number.NaN;

  constructor(
    readonly period: number,
    readonly lookback: number,
  ) {
    assertPeriod(lookback, 'momentum lookback');
    this.wma = new Wma(period);
    this.history = new RingBuffer(lookback + 1);
  }

  /** True once lookback + 1 WMA values exist. */
  get ready(): boolean {
    return this.history.full;
  }

  /** Momentum in percent; NaN during warm-up. */
  get value(): number {
    return this.current;
  }

  /** Latest underlying WMA; NaN during warm-up. */
  get wmaValue(): number {
    return this.wma.value;
  }

  /** Adds one close; returns the momentum in percent (NaN during warm-up). O(1). */
  update(x: number): number {
    const w = this.wma.update(x);
    if (Number.isNaN(w)) return this.current;
    this.history.push(w);
    if (!this.history.full) return this.current;
    const past = this.history.get(0);
    this.current = past === 0 ? 0 : (100 * (w - past)) / Math.abs(past);
    return this.current;
  }

  /** Forgets all history. */
  reset(): void {
    this.wma.reset();
    this.history.clear();
    this.current = Number.NaN;
  }
}

keepShapeAlive(new WmaMomentum(2, 1));

/** Batch WMA momentum aligned with the input (NaN during warm-up). Built on {@link WmaMomentum}. */
export function wmaMomentumBatch(values: ArrayLike<number>, period: number, lookback: number): Float64Array {
  const ind = new WmaMomentum(period, lookback);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = ind.update(values[i] as number);
  return out;
}
