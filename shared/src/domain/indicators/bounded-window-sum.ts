/**
 * Share of the peak that bounds how far {@link BoundedWindowSum.sum} can be from any in-order sum
 * of the window. The true distance is below ~10³·2⁻⁵³ of the peak (≤ 2·capacity adds and evicts
 * since the last re-sum, each off by half an ulp of a value ≤ the peak, plus ≤ capacity·2⁻⁵³ of
 * the re-sum and of the caller's own sum): 2⁻³² leaves a margin of about a thousand.
 */
export const WINDOW_SUM_SLACK = 2 ** -32;

/**
 * A running sum of a sliding window of non-negative values (add the new one, subtract the evicted
 * one), with a bound on its error: `sum ± slack` holds every rounding of the window's sum, in
 * particular the exact in-order sum a caller would compute. A caller whose decision does not
 * change anywhere in that interval decides without the O(window) sum; otherwise it sums the window
 * itself. Re-summed once per `capacity` updates (when the ring wraps), so the error cannot grow.
 */
export class BoundedWindowSum {
  // Both fields are first defined as NaN (a double field), then zeroed in the constructor: defined
  // as 0 (a small integer) they changed the class's hidden class at the first fraction, and every
  // later run's sum (VolumeProfile's volumeSum) then had another map than the one the first run's
  // optimised code depended on, which threw that code away in each optimizer worker's second task.
  /** The running sum (approximate: see {@link slack}). */
  sum = Number.NaN;
  /** Largest value the running sum held since the last re-sum: the scale of its rounding error. */
  private peak = Number.NaN;

  constructor() {
    this.sum = 0;
    this.peak = 0;
  }

  /** Half-width of an interval around {@link sum} holding the window's sum in any order. */
  get slack(): number {
    return this.peak * WINDOW_SUM_SLACK;
  }

  /**
   * Adds `value` and subtracts `evicted` (NaN while the window was filling). `wrapped`: the ring
   * just wrote its last slot, so `storage` holds exactly the window: re-sum it.
   */
  update(value: number, evicted: number, wrapped: boolean, storage: Float64Array): void {
    if (wrapped) this.resum(storage);
    else this.slide(value, evicted);
  }

  /**
   * {@link update} of a ring that did not wrap: adds `value`, subtracts `evicted` (NaN while the
   * window was filling). Its own small method so a per-bar caller's compiler inlines it (a call
   * boxes both numbers).
   */
  slide(value: number, evicted: number): void {
    const added = this.sum + value;
    if (added > this.peak) this.peak = added;
    this.sum = Number.isNaN(evicted) ? added : added - evicted;
  }

  /** {@link update} of a ring that just wrote its last slot: `storage` is the window, summed exactly. */
  resum(storage: Float64Array): void {
    let s = 0;
    for (let j = 0; j < storage.length; j++) s += storage[j] as number;
    this.sum = s;
    this.peak = s;
  }

  /** Forgets the window (the ring was cleared). */
  reset(): void {
    this.sum = 0;
    this.peak = 0;
  }
}
