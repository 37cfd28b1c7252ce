import { RollingStats } from './rolling-stats';
import { keepShapeAlive } from './shape-anchor';

/**
 * Bollinger Bands as TA-Lib's BBANDS with an SMA middle: middle = SMA(period), bands = middle ±
 * k·σ with the POPULATION standard deviation (divide by n). σ comes from {@link RollingStats}
 * (sliding Welford), so the bands stay accurate on ~1e7 KRW prices.
 */
export class BollingerBands {
  private readonly stats: RollingStats;
  private last = Number.NaN;

  constructor(
    readonly period: number,
    readonly stdDevUp = 2,
    readonly stdDevDown = stdDevUp,
  ) {
    if (!(stdDevUp >= 0 && stdDevDown >= 0))
      throw new RangeError(`Bollinger multipliers must be ≥ 0, got ${stdDevUp}/${stdDevDown}`);
    this.stats = new RollingStats(period);
  }

  /** True once `period` values have been seen (TA-Lib begIndex = period − 1). */
  get ready(): boolean {
    return this.stats.ready;
  }

  /** Middle band (the SMA); NaN during warm-up. */
  get middle(): number {
    return this.stats.value;
  }

  /** Upper band; NaN during warm-up. */
  get upper(): number {
    return this.stats.value + this.stdDevUp * this.stats.std;
  }

  /** Lower band; NaN during warm-up. */
  get lower(): number {
    return this.stats.value - this.stdDevDown * this.stats.std;
  }

  /** Population standard deviation of the window; NaN during warm-up. */
  get std(): number {
    return this.stats.std;
  }

  /** Band width (upper − lower) / middle, a volatility regime gauge; NaN during warm-up. */
  get bandwidth(): number {
    return (this.upper - this.lower) / this.middle;
  }

  /**
   * %B of the newest value: 0 at the lower band, 1 at the upper; 0.5 when the bands have collapsed
   * (flat window), so a constant series never reads as a band touch.
   */
  get percentB(): number {
    const width = this.upper - this.lower;
    if (!this.ready) return Number.NaN;
    if (!(width > 0)) return 0.5;
    return (this.last - this.lower) / width;
  }

  /** Adds one value; returns the middle band (NaN during warm-up). O(1) amortised. */
  update(x: number): number {
    // RollingStats.update returns its `value` after the update (the mean, NaN during warm-up): no
    // second call, whose double V8 boxes when the getter is not inlined.
    const middle = this.stats.update(x);
    this.last = x;
    return middle;
  }

  /** Forgets all history. */
  reset(): void {
    this.stats.reset();
    this.last = Number.NaN;
  }
}

// Non-integer multipliers, so the anchor's shape covers every instance's (shape-anchor.ts).
keepShapeAlive(new BollingerBands(2, 1.5, 2.5));

/** Batch Bollinger Bands aligned with the input (NaN during warm-up). Built on {@link BollingerBands}. */
export function bollingerBatch(
  values: ArrayLike<number>,
  period: number,
  stdDevUp = 2,
  stdDevDown = stdDevUp,
): { upper: Float64Array; middle: Float64Array; lower: Float64Array } {
  const ind = new BollingerBands(period, stdDevUp, stdDevDown);
  const n = values.length;
  const out = { upper: new Float64Array(n), middle: new Float64Array(n), lower: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    out.middle[i] = ind.update(values[i] as number);
    out.upper[i] = ind.upper;
    out.lower[i] = ind.lower;
  }
  return out;
}
