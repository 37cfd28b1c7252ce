import { BLOCK_SLOTS, BlockExtremes } from './block-extremes';
import { BoundedWindowSum } from './bounded-window-sum';
import { assertFinite, assertPeriod } from './ring-buffer';
import {
  ABOVE,
  ABOVE_BEYOND,
  AT_OR_ABOVE,
  BELOW_WITHIN,
  binOf,
  firstBin,
  grid,
  setGrid,
  spreadAcross,
} from './volume-profile-grid';
import { ProfileHistogram, windowTotal } from './volume-profile-histogram';

// The partial histogram of nearestNodeWithin, shared by every profile: lookups never interleave,
// and as a module value it stays out of the state a snapshot stores (see state-codec).
let band = new Float64Array(0);

/**
 * Volume profile over the last `window` bars: traded volume bucketed by price into `bins` equal
 * bins spanning the window's [lowest low, highest high]. Each bar's volume is spread uniformly
 * over its own high–low range (a 1-minute bar trades across its range, not at one price).
 *
 * Cost: `update` is O(1). Because the bin grid moves with the window's range, the full histogram
 * (volume-profile-histogram.ts) is rebuilt lazily, at most once per update and only when a reading
 * needs it; {@link nearestNodeWithin} spreads only the bars that reach its band. No allocation.
 *
 * Outputs: point of control (POC, the busiest bin's centre), the value area (the contiguous bins
 * around the POC holding `valueAreaFraction` of volume, 70% by convention) and high-volume nodes
 * (local maxima above the mean bin volume) used as support/resistance levels.
 */
export class VolumeProfile {
  /**
   * The window's bars as three rings pushed together, so one write slot and one count serve all three
   * (see OLDEST_FIRST below).
   */
  private readonly highs: Float64Array;
  private readonly lows: Float64Array;
  private readonly vols: Float64Array;
  /** Slot of the next write; the oldest bar's slot once the window is full. */
  private head = 0;
  /** Bars held (≤ window). */
  private count = 0;
  /** The full histogram (every bin, POC, value area), rebuilt only when a reading needs it. */
  private readonly full: ProfileHistogram;
  /** Per-block extremes of the window: the grid and the band's bars without a scan of every bar. */
  private readonly blocks: BlockExtremes;
  /** The window's volume as a running sum with an error bound: most lookups need no exact total. */
  private readonly volumeSum = new BoundedWindowSum();
  /** The window changed since `full` was built. */
  private dirty = true;

  constructor(
    readonly window: number,
    readonly bins: number,
    readonly valueAreaFraction = 0.7,
  ) {
    assertPeriod(window, 'volume profile window');
    assertPeriod(bins, 'volume profile bins');
    if (!(valueAreaFraction > 0 && valueAreaFraction <= 1))
      throw new RangeError(`value area fraction must be in (0, 1], got ${valueAreaFraction}`);
    this.highs = new Float64Array(window);
    this.lows = new Float64Array(window);
    this.vols = new Float64Array(window);
    this.full = new ProfileHistogram(bins, valueAreaFraction);
    this.blocks = new BlockExtremes(window);
  }

  /** True once the window is full and has traded volume. */
  get ready(): boolean {
    if (this.count !== this.window) return false;
    this.compute();
    return this.full.total > 0;
  }

  /** Adds one bar. O(1); the histogram is rebuilt on the next query. */
  update(high: number, low: number, volume: number): void {
    // A valid bar (all finite, high ≥ low, volume ≥ 0) in one test: NaN fails every comparison, and
    // with low ≤ high both bounds are finite once low > −∞ and high < +∞. The checks that name what
    // is wrong run only for an invalid bar. Compact because mean reversion's step inlines this
    // method: the three checks with their messages used much of V8's inlining budget for that step.
    if (
      !(
        low > Number.NEGATIVE_INFINITY &&
        high < Number.POSITIVE_INFINITY &&
        low <= high &&
        volume >= 0 &&
        volume < Number.POSITIVE_INFINITY
      )
    )
      throwInvalidBar(high, low, volume);
    const cap = this.window;
    const slot = this.head;
    const full = this.count === cap;
    const evicted = full ? (this.vols[slot] as number) : Number.NaN;
    this.highs[slot] = high;
    this.lows[slot] = low;
    this.vols[slot] = volume;
    const next = slot + 1 === cap ? 0 : slot + 1;
    this.head = next;
    if (!full) this.count++;
    // Wrapped (the slot just written was the last one of a full window): re-summed exactly.
    if (next === 0 && this.count === cap) this.volumeSum.resum(this.vols);
    else this.volumeSum.slide(volume, evicted);
    this.blocks.pushed();
    this.dirty = true;
  }

  /** Price at the centre of the busiest bin; NaN until ready. */
  get pointOfControl(): number {
    return this.ready ? this.full.binCenter(this.full.pocBin) : Number.NaN;
  }

  /** Lower edge of the value area; NaN until ready. */
  get valueAreaLow(): number {
    const full = this.full;
    return this.ready ? full.lo + full.vaLowBin * full.width : Number.NaN;
  }

  /** Upper edge of the value area; NaN until ready. */
  get valueAreaHigh(): number {
    const full = this.full;
    return this.ready ? full.lo + (full.vaHighBin + 1) * full.width : Number.NaN;
  }

  /** Total volume in the window. */
  get totalVolume(): number {
    this.compute();
    return this.full.total;
  }

  /** Volume in bin i (0 = lowest prices). */
  binVolume(i: number): number {
    this.compute();
    if (!(i >= 0 && i < this.bins)) throw new RangeError(`bin ${i} out of range [0, ${this.bins})`);
    return this.full.hist[i] as number;
  }

  /** Centre price of bin i under the current grid. */
  binCenter(i: number): number {
    this.compute();
    return this.full.binCenter(i);
  }

  /**
   * Nearest high-volume node strictly below `price` (where resting interest tends to absorb
   * selling); NaN when none or not ready.
   */
  nearestSupport(price: number): number {
    return this.ready ? this.full.nearestSupport(price) : Number.NaN;
  }

  /** Nearest high-volume node strictly above `price`; NaN when none or not ready. */
  nearestResistance(price: number): number {
    return this.ready ? this.full.nearestResistance(price) : Number.NaN;
  }

  /**
   * `nearestSupport(price)` when it lies within `maxDistance` below `price` (`price - support ≤
   * maxDistance`), else NaN; {@link nearestResistance} likewise above with `side` `above`. Exactly
   * those results — the same bin grid, and the same floating sums in the same order for every bin it
   * reads — but only the bins inside the band (and their neighbours) are accumulated, so the cost is
   * O(window) instead of O(window × bins): for a strategy that only acts on a level near the price.
   */
  nearestNodeWithin(price: number, maxDistance: number, side: 'below' | 'above'): number {
    // Not `ready`: that getter rebuilds the whole histogram, which this method exists to avoid.
    if (this.count !== this.window) return Number.NaN;
    if (!this.dirty) return this.nearestNodeWithinBuilt(price, maxDistance, side);
    const n = this.count;
    const start = this.head;
    const lows = this.lows;
    const highs = this.highs;
    const vols = this.vols;
    // The grid exactly as compute() derives it, from the blocks' extremes (min and max are exact).
    const blocks = this.blocks;
    blocks.refresh(lows, highs, start);
    const blockLows = blocks.lows;
    const blockHighs = blocks.highs;
    let lowest = Number.POSITIVE_INFINITY;
    let highest = Number.NEGATIVE_INFINITY;
    for (let b = 0; b < blockLows.length; b++) {
      const l = blockLows[b] as number;
      const h = blockHighs[b] as number;
      if (l < lowest) lowest = l;
      if (h > highest) highest = h;
    }
    setGrid(lowest, highest, this.bins);
    const gridLo = grid.lo;
    const width = grid.width;
    // Bins whose centre lies in the band (scanned from the price outwards below, as nearestSupport /
    // nearestResistance do). Centres never decrease with the bin index, so each of the band's two
    // conditions holds on a run of bins that starts or ends at an edge, found from an estimate.
    const bins = this.bins;
    if (Number.isNaN(price) || Number.isNaN(maxDistance)) return Number.NaN;
    let from: number;
    let to: number;
    if (side === 'below') {
      from = firstBin(BELOW_WITHIN, price, maxDistance, gridLo, width, bins);
      to = firstBin(AT_OR_ABOVE, price, maxDistance, gridLo, width, bins) - 1;
    } else {
      from = firstBin(ABOVE, price, maxDistance, gridLo, width, bins);
      to = firstBin(ABOVE_BEYOND, price, maxDistance, gridLo, width, bins) - 1;
    }
    if (from > to) return Number.NaN;
    const bLo = from > 0 ? from - 1 : 0;
    const bHi = to < this.bins - 1 ? to + 1 : to;
    if (band.length < this.bins) band = new Float64Array(this.bins);
    band.fill(0, bLo, bHi + 1);
    // Bars entirely outside the band's bins add nothing there: skipped by price with a margin far
    // above rounding (1e-6 of a bin), so a bar the division would put in the band is never skipped;
    // a block whose extremes miss the band holds only such bars. The rest spread oldest first.
    const margin = width * 1e-6;
    const bandFrom = gridLo + bLo * width - margin;
    const bandTo = gridLo + (bHi + 1) * width + margin;
    // Oldest first: slots start..n−1, then 0..start−1, block by block.
    for (let seg = 0; seg < 2; seg++) {
      const segFrom = seg === 0 ? start : 0;
      const segTo = seg === 0 ? n : start;
      for (let j = segFrom; j < segTo; ) {
        const b = (j / BLOCK_SLOTS) | 0;
        const blockEnd = Math.min(segTo, (b + 1) * BLOCK_SLOTS);
        if ((blockHighs[b] as number) < bandFrom || (blockLows[b] as number) > bandTo) {
          j = blockEnd;
          continue;
        }
        for (; j < blockEnd; j++) {
          const h = highs[j] as number;
          const l = lows[j] as number;
          if (h < bandFrom || l > bandTo) continue;
          const v = vols[j] as number;
          if (v === 0) continue;
          // spreadInto's steps, tested here: a bar with high = low has first = last (update refuses
          // high < low), so first = last alone decides a one-bin bar.
          const first = binOf(l, gridLo, width, bins);
          const last = binOf(h, gridLo, width, bins);
          if (first === last) {
            if (first >= bLo && first <= bHi) band[first] = (band[first] as number) + v;
          } else spreadAcross(band, l, h, first, last, v / (h - l), gridLo, width, bLo, bHi);
        }
      }
    }
    // A node holds more than the mean bin volume, total / bins with compute()'s exact total. The
    // running sum brackets that total; only a bin inside the bracket needs the exact sum.
    const sum = this.volumeSum.sum;
    const slack = this.volumeSum.slack;
    let meanLow = (sum - slack) / bins;
    let meanHigh = (sum + slack) / bins;
    if (!(sum - slack > 0)) {
      const total = windowTotal(this.vols, this.count, this.oldestSlot());
      if (!(total > 0)) return Number.NaN;
      meanLow = total / bins;
      meanHigh = meanLow;
    }
    const step = side === 'below' ? -1 : 1;
    for (let i = side === 'below' ? to : from; i >= from && i <= to; i += step) {
      const v = band[i] as number;
      if (!(v > meanLow)) continue;
      if (!(v > meanHigh)) {
        meanLow = windowTotal(this.vols, this.count, this.oldestSlot()) / bins;
        meanHigh = meanLow;
        if (!(v > meanLow)) continue;
      }
      const left = i > 0 ? (band[i - 1] as number) : -1;
      const right = i < bins - 1 ? (band[i + 1] as number) : -1;
      if (v >= left && v >= right) return gridLo + (i + 0.5) * width;
    }
    return Number.NaN;
  }

  /** {@link nearestNodeWithin} from the histogram already built (no rebuild needed). */
  private nearestNodeWithinBuilt(price: number, maxDistance: number, side: 'below' | 'above'): number {
    const node = side === 'below' ? this.nearestSupport(price) : this.nearestResistance(price);
    if (Number.isNaN(node)) return node;
    return (side === 'below' ? price - node : node - price) <= maxDistance ? node : Number.NaN;
  }

  /** Forgets all history. */
  reset(): void {
    this.head = 0;
    this.count = 0;
    this.blocks.reset();
    this.volumeSum.reset();
    this.dirty = true;
  }

  /** Slot of the oldest bar: `head` once the window is full, 0 before. */
  private oldestSlot(): number {
    return this.count === this.window ? this.head : 0;
  }

  /** Rebuilds the full histogram once per change of the window (see OLDEST_FIRST). */
  private compute(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.full.build(this.lows, this.highs, this.vols, this.count, this.oldestSlot());
  }
}

/** The error for a bar {@link VolumeProfile.update} refuses, checked in the order it names them. */
function throwInvalidBar(high: number, low: number, volume: number): never {
  assertFinite(high, 'profile high');
  assertFinite(low, 'profile low');
  assertFinite(volume, 'profile volume');
  if (high < low) throw new RangeError(`bar high ${high} is below low ${low}`);
  throw new RangeError(`profile volume must be ≥ 0, got ${volume}`);
}

// OLDEST_FIRST: the three ring buffers are pushed together and read in place, oldest first: slots
// oldestSlot..n−1, then 0..oldestSlot−1 (oldestSlot is 0 until the window is full, and n is the
// capacity once it is), so one slot index serves all three.
