import { assertFinite, assertPeriod, RingBuffer } from './ring-buffer';

// The window copied oldest first for a rebuild (plain typed-array reads in the window × bins loop),
// shared by every profile: rebuilds never interleave, and as a module value it stays out of the
// state a snapshot stores (see state-codec).
let scratch = { lows: new Float64Array(0), highs: new Float64Array(0), vols: new Float64Array(0) };
// The partial histogram of nearestNodeWithin, shared likewise.
let band = new Float64Array(0);

/**
 * Volume profile over the last `window` bars: traded volume bucketed by price into `bins` equal
 * bins spanning the window's [lowest low, highest high]. Each bar's volume is spread uniformly
 * over its own high–low range (a 1-minute bar trades across its range, not at one price).
 *
 * Cost: `update` is O(1) (three ring-buffer pushes). Because the bin grid moves with the window's
 * range, the histogram is rebuilt lazily, at most once per update and only when a query needs it:
 * O(window × bins touched) into a preallocated array, with no allocation.
 *
 * Outputs: point of control (POC, the busiest bin's centre), the value area (the contiguous bins
 * around the POC holding `valueAreaFraction` of volume, 70% by convention) and high-volume nodes
 * (local maxima above the mean bin volume) used as support/resistance levels.
 */
export class VolumeProfile {
  private readonly highs: RingBuffer;
  private readonly lows: RingBuffer;
  private readonly vols: RingBuffer;
  private readonly hist: Float64Array;
  private dirty = true;
  private lo = Number.NaN;
  private width = Number.NaN;
  private total = 0;
  private pocBin = -1;
  private vaLowBin = -1;
  private vaHighBin = -1;

  constructor(
    readonly window: number,
    readonly bins: number,
    readonly valueAreaFraction = 0.7,
  ) {
    assertPeriod(window, 'volume profile window');
    assertPeriod(bins, 'volume profile bins');
    if (!(valueAreaFraction > 0 && valueAreaFraction <= 1))
      throw new RangeError(`value area fraction must be in (0, 1], got ${valueAreaFraction}`);
    this.highs = new RingBuffer(window);
    this.lows = new RingBuffer(window);
    this.vols = new RingBuffer(window);
    this.hist = new Float64Array(bins);
  }

  /** True once the window is full and has traded volume. */
  get ready(): boolean {
    if (!this.vols.full) return false;
    this.compute();
    return this.total > 0;
  }

  /** Adds one bar. O(1); the histogram is rebuilt on the next query. */
  update(high: number, low: number, volume: number): void {
    assertFinite(high, 'profile high');
    assertFinite(low, 'profile low');
    assertFinite(volume, 'profile volume');
    if (high < low) throw new RangeError(`bar high ${high} is below low ${low}`);
    if (volume < 0) throw new RangeError(`profile volume must be ≥ 0, got ${volume}`);
    this.highs.push(high);
    this.lows.push(low);
    this.vols.push(volume);
    this.dirty = true;
  }

  /** Price at the centre of the busiest bin; NaN until ready. */
  get pointOfControl(): number {
    return this.ready ? this.binCenter(this.pocBin) : Number.NaN;
  }

  /** Lower edge of the value area; NaN until ready. */
  get valueAreaLow(): number {
    return this.ready ? this.lo + this.vaLowBin * this.width : Number.NaN;
  }

  /** Upper edge of the value area; NaN until ready. */
  get valueAreaHigh(): number {
    return this.ready ? this.lo + (this.vaHighBin + 1) * this.width : Number.NaN;
  }

  /** Total volume in the window. */
  get totalVolume(): number {
    this.compute();
    return this.total;
  }

  /** Volume in bin i (0 = lowest prices). */
  binVolume(i: number): number {
    this.compute();
    if (!(i >= 0 && i < this.bins)) throw new RangeError(`bin ${i} out of range [0, ${this.bins})`);
    return this.hist[i] as number;
  }

  /** Centre price of bin i under the current grid. */
  binCenter(i: number): number {
    this.compute();
    return this.lo + (i + 0.5) * this.width;
  }

  /**
   * Nearest high-volume node strictly below `price` (where resting interest tends to absorb
   * selling); NaN when none or not ready.
   */
  nearestSupport(price: number): number {
    if (!this.ready) return Number.NaN;
    for (let i = this.bins - 1; i >= 0; i--) {
      const c = this.binCenter(i);
      if (c < price && this.isNode(i)) return c;
    }
    return Number.NaN;
  }

  /** Nearest high-volume node strictly above `price`; NaN when none or not ready. */
  nearestResistance(price: number): number {
    if (!this.ready) return Number.NaN;
    for (let i = 0; i < this.bins; i++) {
      const c = this.binCenter(i);
      if (c > price && this.isNode(i)) return c;
    }
    return Number.NaN;
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
    if (!this.vols.full) return Number.NaN;
    if (!this.dirty) return this.nearestNodeWithinBuilt(price, maxDistance, side);
    // The window is read in place, oldest first (slots start..n−1, then 0..start−1): the three
    // buffers are pushed together, so one start serves them all.
    const n = this.vols.length;
    const start = this.vols.oldestSlot;
    const lows = this.lows.storage;
    const highs = this.highs.storage;
    const vols = this.vols.storage;
    // The grid exactly as compute() derives it.
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let j = start; j < n; j++) {
      const l = lows[j] as number;
      const h = highs[j] as number;
      if (l < lo) lo = l;
      if (h > hi) hi = h;
    }
    for (let j = 0; j < start; j++) {
      const l = lows[j] as number;
      const h = highs[j] as number;
      if (l < lo) lo = l;
      if (h > hi) hi = h;
    }
    const span = hi > lo ? hi - lo : Math.max(Math.abs(hi) * 1e-9, 1e-12);
    const gridLo = hi > lo ? lo : lo - span / 2;
    const width = span / this.bins;
    // Bins whose centre lies in the band, scanned from the price outwards as nearestSupport /
    // nearestResistance do; centres are monotonic in the bin index.
    let from = -1;
    let to = -1;
    for (let i = 0; i < this.bins; i++) {
      const c = gridLo + (i + 0.5) * width;
      const inBand =
        side === 'below' ? c < price && price - c <= maxDistance : c > price && c - price <= maxDistance;
      if (!inBand) continue;
      if (from < 0) from = i;
      to = i;
    }
    if (from < 0) return Number.NaN;
    const bLo = from > 0 ? from - 1 : 0;
    const bHi = to < this.bins - 1 ? to + 1 : to;
    if (band.length < this.bins) band = new Float64Array(this.bins);
    band.fill(0, 0, this.bins);
    // Bars entirely outside the band's bins add nothing there: skipped by price with a margin far
    // above rounding (1e-6 of a bin), so a bar the division would put in the band is never skipped.
    // The total (compute()'s sum: non-zero volumes, oldest first) is accumulated in the same pass.
    const margin = width * 1e-6;
    const bandFrom = gridLo + bLo * width - margin;
    const bandTo = gridLo + (bHi + 1) * width + margin;
    let total = 0;
    // Oldest first: slots start..n−1, then 0..start−1 (start is 0 until the window is full).
    for (let j = start; j < n; j++) {
      const v = vols[j] as number;
      if (v === 0) continue;
      total += v;
      const h = highs[j] as number;
      const l = lows[j] as number;
      if (h < bandFrom || l > bandTo) continue;
      spreadInto(band, l, h, v, gridLo, width, this.bins, bLo, bHi);
    }
    for (let j = 0; j < start; j++) {
      const v = vols[j] as number;
      if (v === 0) continue;
      total += v;
      const h = highs[j] as number;
      const l = lows[j] as number;
      if (h < bandFrom || l > bandTo) continue;
      spreadInto(band, l, h, v, gridLo, width, this.bins, bLo, bHi);
    }
    if (!(total > 0)) return Number.NaN;
    const isNode = (i: number): boolean => {
      const v = band[i] as number;
      if (!(v > total / this.bins)) return false;
      const left = i > 0 ? (band[i - 1] as number) : -1;
      const right = i < this.bins - 1 ? (band[i + 1] as number) : -1;
      return v >= left && v >= right;
    };
    if (side === 'below') {
      for (let i = to; i >= from; i--) if (isNode(i)) return gridLo + (i + 0.5) * width;
    } else for (let i = from; i <= to; i++) if (isNode(i)) return gridLo + (i + 0.5) * width;
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
    this.highs.clear();
    this.lows.clear();
    this.vols.clear();
    this.dirty = true;
  }

  /** A high-volume node: a local maximum of the histogram holding more than the mean bin volume. */
  private isNode(i: number): boolean {
    const v = this.hist[i] as number;
    if (!(v > this.total / this.bins)) return false;
    const left = i > 0 ? (this.hist[i - 1] as number) : -1;
    const right = i < this.bins - 1 ? (this.hist[i + 1] as number) : -1;
    return v >= left && v >= right;
  }

  private compute(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.hist.fill(0);
    this.total = 0;
    this.pocBin = -1;
    const n = this.vols.length;
    if (n === 0) return;
    if (scratch.lows.length < n)
      scratch = { lows: new Float64Array(n), highs: new Float64Array(n), vols: new Float64Array(n) };
    const { lows, highs, vols } = scratch;
    this.lows.copyTo(lows);
    this.highs.copyTo(highs);
    this.vols.copyTo(vols);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const l = lows[i] as number;
      const h = highs[i] as number;
      if (l < lo) lo = l;
      if (h > hi) hi = h;
    }
    // A flat window still needs a non-zero grid: one tick-ish band around the price.
    const span = hi > lo ? hi - lo : Math.max(Math.abs(hi) * 1e-9, 1e-12);
    this.lo = hi > lo ? lo : lo - span / 2;
    this.width = span / this.bins;
    for (let i = 0; i < n; i++) this.spread(lows[i] as number, highs[i] as number, vols[i] as number);
    this.findValueArea();
  }

  private spread(low: number, high: number, volume: number): void {
    if (volume === 0) return;
    this.total += volume;
    spreadInto(this.hist, low, high, volume, this.lo, this.width, this.bins, 0, this.bins - 1);
  }

  private findValueArea(): void {
    let poc = 0;
    for (let i = 1; i < this.bins; i++) if ((this.hist[i] as number) > (this.hist[poc] as number)) poc = i;
    this.pocBin = poc;
    let lowBin = poc;
    let highBin = poc;
    let inside = this.hist[poc] as number;
    const target = this.valueAreaFraction * this.total;
    while (inside < target && (lowBin > 0 || highBin < this.bins - 1)) {
      const below = lowBin > 0 ? (this.hist[lowBin - 1] as number) : -1;
      const above = highBin < this.bins - 1 ? (this.hist[highBin + 1] as number) : -1;
      if (above >= below) inside += this.hist[++highBin] as number;
      else inside += this.hist[--lowBin] as number;
    }
    this.vaLowBin = lowBin;
    this.vaHighBin = highBin;
  }
}

/** Bin of a price on the grid [lo, lo + bins·width), clamped to the edge bins. */
function binOf(price: number, lo: number, width: number, bins: number): number {
  // Plain comparisons and `| 0` (safe after clamping) instead of Math.* calls: this runs
  // window × bins times per rebuild.
  const r = (price - lo) / width;
  if (!(r >= 0)) return 0;
  return r >= bins ? bins - 1 : r | 0;
}

/**
 * Spreads one bar's volume uniformly over the bins its [low, high] range covers, adding into
 * `hist` only bins in [fromBin, toBin]: each bin receives the same additions in the same order as a
 * full spread, so a partial histogram holds bit-identical values for the bins it covers.
 */
function spreadInto(
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
  const perPrice = volume / (high - low);
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
