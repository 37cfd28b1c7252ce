import { RollingStats } from './rolling-stats';
import { keepShapeAlive } from './shape-anchor';

/**
 * Relative noise floor for the standard deviation: below `DEGENERATE_STD_RATIO · max(|mean|, 1)` the
 * window is treated as constant (z = 0). A flat window must read "no deviation", never NaN/±Inf,
 * or one quiet market would emit infinite-conviction signals.
 */
export const DEGENERATE_STD_RATIO = 1e-12;

/**
 * Rolling z-score of the newest value against the window that includes it:
 * z = (x − mean) / populationStd. Shared by stat-arb (spread z) and mean-reversion filters so both
 * use one definition. A constant window gives z = 0.
 */
export class RollingZScore {
  private readonly stats: RollingStats;
  private z = Number.NaN;

  constructor(readonly period: number) {
    this.stats = new RollingStats(period);
  }

  /** True once the window is full. */
  get ready(): boolean {
    return this.stats.ready;
  }

  /** Latest z-score; NaN during warm-up. */
  get value(): number {
    return this.z;
  }

  /** Window mean; NaN during warm-up. */
  get mean(): number {
    return this.stats.value;
  }

  /** Window population standard deviation; NaN during warm-up. */
  get std(): number {
    return this.stats.std;
  }

  /** Adds one value and returns its z-score (NaN during warm-up). O(1) amortised. */
  update(x: number): number {
    this.stats.update(x);
    if (!this.stats.ready) return this.z;
    this.z = zScore(x, this.stats.value, this.stats.std);
    return this.z;
  }

  /** Forgets all history. */
  reset(): void {
    this.stats.reset();
    this.z = Number.NaN;
  }
}

keepShapeAlive(new RollingZScore(2));

/** z = (x − mean)/std with the constant-window guard of {@link DEGENERATE_STD_RATIO}. */
export function zScore(x: number, mean: number, std: number): number {
  if (!(std > DEGENERATE_STD_RATIO * Math.max(Math.abs(mean), 1))) return 0;
  return (x - mean) / std;
}

/** Batch rolling z-score aligned with the input (NaN during warm-up). Built on {@link RollingZScore}. */
export function rollingZScoreBatch(values: ArrayLike<number>, period: number): Float64Array {
  const ind = new RollingZScore(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = ind.update(values[i] as number);
  return out;
}
