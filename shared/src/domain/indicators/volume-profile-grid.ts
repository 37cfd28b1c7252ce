/**
 * The bin grid and band helpers of `VolumeProfile` (volume-profile.ts): how a window maps onto
 * bins, which bins a price band covers, how a bar's volume spreads over them, and what counts as a
 * node. Module functions so the histogram loops stay monomorphic and allocation-free.
 */

/** The bin grid of the latest windowGrid / setGrid call, reused (no object per rebuild or lookup). */
export const grid = { lo: Number.NaN, width: Number.NaN };

/**
 * The bin grid of a window: `bins` equal bins over [lowest low, highest high], written into the
 * module's `grid`. A flat window still needs a non-zero grid: one tick-ish band around the price.
 * Minimum and maximum are exact, so the slots are read in storage order.
 */
export function windowGrid(lows: Float64Array, highs: Float64Array, n: number, bins: number): void {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < n; j++) {
    const l = lows[j] as number;
    const h = highs[j] as number;
    if (l < lo) lo = l;
    if (h > hi) hi = h;
  }
  setGrid(lo, hi, bins);
}

/** The grid of a window whose lowest low is `lo` and highest high `hi` (see {@link windowGrid}). */
export function setGrid(lo: number, hi: number, bins: number): void {
  const span = hi > lo ? hi - lo : Math.max(Math.abs(hi) * 1e-9, 1e-12);
  grid.lo = hi > lo ? lo : lo - span / 2;
  grid.width = span / bins;
}

// Conditions on a bin centre c for firstBin, each false then true as the bin index grows.
/** c ≥ price: past the bins strictly below the price. */
export const AT_OR_ABOVE = 0;
/** price − c ≤ distance: within the distance below the price. */
export const BELOW_WITHIN = 1;
/** c > price: the bins strictly above the price. */
export const ABOVE = 2;
/** c − price > distance: past the distance above the price. */
export const ABOVE_BEYOND = 3;

/** {@link firstBinFrom} started from the bin the condition's threshold price falls in. */
export function firstBin(
  condition: number,
  price: number,
  distance: number,
  gridLo: number,
  width: number,
  bins: number,
): number {
  const target =
    condition === BELOW_WITHIN ? price - distance : condition === ABOVE_BEYOND ? price + distance : price;
  const guess = (target - gridLo) / width - 0.5;
  return firstBinFrom(condition, price, distance, gridLo, width, bins, guess);
}

/**
 * The first bin (0…bins; bins when none) whose centre gridLo + (i + 0.5)·width meets `condition`.
 * Centres never decrease with i (each operation rounds monotonically) and every condition is
 * monotonic in the centre, so stepping from any `guess` until the condition flips is exactly the
 * scan of every bin; from a good guess, a step or two instead of `bins`. Exported for its test.
 */
export function firstBinFrom(
  condition: number,
  price: number,
  distance: number,
  gridLo: number,
  width: number,
  bins: number,
  guess: number,
): number {
  let i = guess >= 0 ? (guess <= bins ? Math.ceil(guess) : bins) : 0;
  // The neighbour's index is computed on every pass and only assigned when the step is taken: a
  // separate `i--` / `i++` would be an operation that has never run when V8 optimises this (the
  // guess is usually right), so its first step would deoptimise the compiled code.
  while (i > 0) {
    const below = i - 1;
    if (!meets(condition, price, distance, gridLo + (below + 0.5) * width)) break;
    i = below;
  }
  while (i < bins) {
    const above = i + 1;
    if (meets(condition, price, distance, gridLo + (i + 0.5) * width)) break;
    i = above;
  }
  return i;
}

/** Whether a bin centre `c` meets one of firstBin's conditions. */
function meets(condition: number, price: number, distance: number, c: number): boolean {
  if (condition === AT_OR_ABOVE) return c >= price;
  if (condition === BELOW_WITHIN) return price - c <= distance;
  if (condition === ABOVE) return c > price;
  return c - price > distance;
}

/** A high-volume node: a local maximum of the histogram holding more than the mean bin volume. */
export function isNodeOf(hist: Float64Array, i: number, total: number, bins: number): boolean {
  const v = hist[i] as number;
  if (!(v > total / bins)) return false;
  const left = i > 0 ? (hist[i - 1] as number) : -1;
  const right = i < bins - 1 ? (hist[i + 1] as number) : -1;
  return v >= left && v >= right;
}

/** Bin of a price on the grid [lo, lo + bins·width), clamped to the edge bins. */
export function binOf(price: number, lo: number, width: number, bins: number): number {
  // Plain comparisons and `| 0` (safe after clamping) instead of Math.* calls: this runs
  // window × bins times per rebuild.
  const r = (price - lo) / width;
  if (!(r >= 0)) return 0;
  // The top bin is worked out on every call, not only on the rare clamp: an operation that has
  // never run when V8 optimises this has no type feedback and deoptimises the code when reached.
  const top = bins - 1;
  return r >= bins ? top : r | 0;
}

/**
 * Spreads one bar's volume uniformly over the bins its [low, high] range covers, adding into
 * `hist` only bins in [fromBin, toBin]: each bin receives the same additions in the same order as a
 * full spread, so a partial histogram holds bit-identical values for the bins it covers.
 */
export function spreadInto(
  hist: Float64Array,
  low: number,
  high: number,
  volume: number,
  lo: number,
  width: number,
  bins: number,
  fromBin: number,
  toBin: number,
): void {
  if (volume === 0) return;
  const first = binOf(low, lo, width, bins);
  const last = binOf(high, lo, width, bins);
  if (first === last || !(high > low)) {
    if (first >= fromBin && first <= toBin) hist[first] = (hist[first] as number) + volume;
    return;
  }
  spreadAcross(hist, low, high, first, last, volume / (high - low), lo, width, fromBin, toBin);
}

/**
 * {@link spreadInto}'s spread of a bar whose range covers bins `first` < `last`, with its volume
 * per unit of price (`volume / (high − low)`) given: the same operations, for a caller that has
 * already found the bar's bins (the volume profile's banded lookup tests them itself).
 */
export function spreadAcross(
  hist: Float64Array,
  low: number,
  high: number,
  first: number,
  last: number,
  perPrice: number,
  lo: number,
  width: number,
  fromBin: number,
  toBin: number,
): void {
  const start = Math.max(first, fromBin);
  const end = Math.min(last, toBin);
  for (let b = start; b <= end; b++) {
    const edge = lo + b * width;
    const next = lo + (b + 1) * width;
    // biome-ignore lint/complexity/useMathMinMax: a comparison avoids a global lookup in this window × bins loop
    const from = low > edge ? low : edge;
    const to = b === last || high < next ? high : next;
    if (to > from) hist[b] = (hist[b] as number) + (to - from) * perPrice;
  }
}
