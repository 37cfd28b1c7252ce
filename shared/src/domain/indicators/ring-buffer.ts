/**
 * Fixed-capacity FIFO of float64 values on a preallocated `Float64Array`. Every rolling indicator
 * keeps its window here so an update never allocates; `push` hands back the evicted value so the
 * caller can subtract it from its running sums in O(1).
 */
export class RingBuffer {
  private readonly data: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    assertPeriod(capacity, 'ring buffer capacity');
    this.data = new Float64Array(capacity);
  }

  /** Values currently held (≤ capacity). */
  get length(): number {
    return this.count;
  }

  /** True once `capacity` values have been pushed; from then on every push evicts the oldest. */
  get full(): boolean {
    return this.count === this.capacity;
  }

  /**
   * True when the slot just written was the last physical slot, i.e. the buffer has wrapped. Rolling
   * sums use it to resynchronise exactly once per `capacity` updates (amortised O(1)).
   */
  get wrapped(): boolean {
    return this.head === 0 && this.count === this.capacity;
  }

  /** Appends a value; returns the evicted oldest value, or NaN while the buffer was not yet full. */
  push(value: number): number {
    const evicted = this.count === this.capacity ? (this.data[this.head] as number) : Number.NaN;
    this.data[this.head] = value;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    if (this.count < this.capacity) this.count++;
    return evicted;
  }

  /** The i-th value counted from the oldest (0 = oldest). Throws outside [0, length). */
  get(i: number): number {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`ring index ${i} out of range [0, ${this.count})`);
    const start = this.count === this.capacity ? this.head : 0;
    const j = start + i;
    return this.data[j >= this.capacity ? j - this.capacity : j] as number;
  }

  /**
   * The backing array, for a hot loop that reads the window in place instead of copying it (read
   * only, by contract): the values run oldest first from {@link oldestSlot}, wrapping at capacity.
   */
  get storage(): Float64Array {
    return this.data;
  }

  /** Slot of the oldest value in {@link storage}. */
  get oldestSlot(): number {
    return this.count === this.capacity ? this.head : 0;
  }

  /** The i-th value counted back from the newest (0 = newest). */
  fromEnd(i: number): number {
    return this.get(this.count - 1 - i);
  }

  /** The newest value; NaN when empty. */
  get last(): number {
    // The slot before head (read directly: this getter runs several times per bar and pair).
    if (this.count === 0) return Number.NaN;
    return this.data[this.head === 0 ? this.capacity - 1 : this.head - 1] as number;
  }

  /** Forgets every value (capacity and storage are kept). */
  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}

/**
 * Refuses a window length that is not a positive safe integer. Called by every indicator
 * constructor so a bad config value fails at start-up, not as NaNs in a live signal.
 */
export function assertPeriod(period: number, what: string): void {
  if (!Number.isSafeInteger(period) || period < 1)
    throw new RangeError(`${what} must be a positive integer, got ${period}`);
}

/**
 * Refuses NaN/±Infinity inputs: one non-finite value would poison a running sum forever, so the
 * feed must see a clear error at the bad bar instead.
 */
export function assertFinite(value: number, what: string): void {
  if (!Number.isFinite(value)) throw notFiniteError(value, what);
}

/**
 * The error {@link assertFinite} throws. Hot `update` methods test `Number.isFinite` inline and
 * call this only on failure: under tsx and Jest every imported function is reached through a
 * module getter, a real call whenever V8 runs out of inlining budget (MACD's update did), which
 * cost more than the arithmetic.
 */
export function notFiniteError(value: number, what: string): RangeError {
  return new RangeError(`${what} must be a finite number, got ${value}`);
}

/**
 * The output array of a bulk update (`updateMany`): `out` when given and long enough, else a new
 * one of `length`. A short `out` is refused: writing past it would silently drop results.
 */
export function outputArray(length: number, out: Float64Array | undefined): Float64Array {
  if (out === undefined) return new Float64Array(length);
  if (out.length < length)
    throw new RangeError(`output array holds ${out.length} values, ${length} are needed`);
  return out;
}

/** The common length of column inputs; refuses columns of different lengths. */
export function sameLength(...columns: readonly ArrayLike<number>[]): number {
  const n = columns[0]?.length ?? 0;
  for (const c of columns)
    if (c.length !== n) throw new RangeError(`input columns have different lengths (${n} vs ${c.length})`);
  return n;
}

/**
 * Rolling sums of non-negative magnitudes re-sum exactly once what is left falls below this share
 * of the largest value added since the last re-sum. Every add/evict leaves up to ~largest·2⁻⁵³ of
 * residue, so a ratio read from the sums keeps a relative error near window·2⁻⁵³·1e3 (≈1e-11 for
 * 50 values) instead of blowing up after a large value leaves a window of tiny ones.
 */
export const RESYNC_RATIO = 1e-3;
