import { grid, isNodeOf, spreadInto, windowGrid } from './volume-profile-grid';

/**
 * The full histogram of a `VolumeProfile` window (volume-profile.ts): every bin, the point of
 * control and the value area, rebuilt from the window's bars when a reading needs them (a
 * dashboard, a test, a strategy's `reading`). Apart from the window bookkeeping and the banded
 * lookup a strategy runs per signal, because it is the slow, complete answer those are checked
 * against: O(window × bins) per rebuild into a preallocated array, no allocation.
 */
export class ProfileHistogram {
  /** Volume per bin (0 = lowest prices) of the latest build. */
  readonly hist: Float64Array;
  /** Lower edge of bin 0 and the bin width of the latest build's grid. */
  lo = Number.NaN;
  width = Number.NaN;
  /** The window's non-zero volumes summed oldest first. */
  total = 0;
  pocBin = -1;
  vaLowBin = -1;
  vaHighBin = -1;

  constructor(
    readonly bins: number,
    readonly valueAreaFraction: number,
  ) {
    this.hist = new Float64Array(bins);
  }

  /**
   * Rebuilds from the window's `n` bars, read in place oldest first from slot `oldest` (wrapping at
   * `n`): the order of the floating sums is part of the result.
   */
  build(lows: Float64Array, highs: Float64Array, vols: Float64Array, n: number, oldest: number): void {
    this.hist.fill(0);
    this.total = 0;
    this.pocBin = -1;
    if (n === 0) return;
    windowGrid(lows, highs, n, this.bins);
    this.lo = grid.lo;
    this.width = grid.width;
    this.total = windowTotal(vols, n, oldest);
    for (let k = 0, j = oldest; k < n; k++, j = j + 1 === n ? 0 : j + 1) {
      const volume = vols[j] as number;
      if (volume === 0) continue;
      spreadInto(
        this.hist,
        lows[j] as number,
        highs[j] as number,
        volume,
        this.lo,
        this.width,
        this.bins,
        0,
        this.bins - 1,
      );
    }
    this.findValueArea();
  }

  /** Centre price of bin i under the latest build's grid. */
  binCenter(i: number): number {
    return this.lo + (i + 0.5) * this.width;
  }

  /** Centre of the highest node strictly below `price`, scanning down from the top bin; NaN when none. */
  nearestSupport(price: number): number {
    for (let i = this.bins - 1; i >= 0; i--) {
      const c = this.binCenter(i);
      if (c < price && isNodeOf(this.hist, i, this.total, this.bins)) return c;
    }
    return Number.NaN;
  }

  /** Centre of the lowest node strictly above `price`, scanning up from bin 0; NaN when none. */
  nearestResistance(price: number): number {
    for (let i = 0; i < this.bins; i++) {
      const c = this.binCenter(i);
      if (c > price && isNodeOf(this.hist, i, this.total, this.bins)) return c;
    }
    return Number.NaN;
  }

  /** The busiest bin, then the value area grown from it towards the busier neighbour each step. */
  private findValueArea(): void {
    const hist = this.hist;
    let poc = 0;
    for (let i = 1; i < this.bins; i++) if ((hist[i] as number) > (hist[poc] as number)) poc = i;
    this.pocBin = poc;
    let lowBin = poc;
    let highBin = poc;
    let inside = hist[poc] as number;
    const target = this.valueAreaFraction * this.total;
    while (inside < target && (lowBin > 0 || highBin < this.bins - 1)) {
      const below = lowBin > 0 ? (hist[lowBin - 1] as number) : -1;
      const above = highBin < this.bins - 1 ? (hist[highBin + 1] as number) : -1;
      if (above >= below) inside += hist[++highBin] as number;
      else inside += hist[--lowBin] as number;
    }
    this.vaLowBin = lowBin;
    this.vaHighBin = highBin;
  }
}

/**
 * The window's non-zero volumes summed oldest first from slot `oldest` (wrapping at `n`): the
 * exact total a node is measured against, the same sums in the same order wherever it is needed.
 */
export function windowTotal(vols: Float64Array, n: number, oldest: number): number {
  let total = 0;
  for (let k = 0, j = oldest; k < n; k++, j = j + 1 === n ? 0 : j + 1) {
    const v = vols[j] as number;
    if (v !== 0) total += v;
  }
  return total;
}
