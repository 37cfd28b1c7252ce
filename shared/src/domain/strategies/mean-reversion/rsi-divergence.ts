import { assertPeriod } from '../../indicators/ring-buffer';

/** Which way price and RSI disagree: `bullish` = price lower low, RSI higher low; `bearish` the inverse. */
export type Divergence = 'bullish' | 'bearish' | 'none';

/** Bars nearest the current one that are skipped when looking for the earlier swing point. */
export const DIVERGENCE_MIN_GAP = 3;

/**
 * Streaming RSI divergence detector over the last `lookback` bars. At each bar it compares the
 * current close with the earlier swing point — the lowest (for bullish) or highest (for bearish)
 * close in the window, excluding the {@link DIVERGENCE_MIN_GAP} most recent bars so a swing is not
 * compared with its own neighbour, the earliest extreme winning ties:
 * - bullish: close below that low, RSI above the RSI at that low, RSI < 50 (still a low);
 * - bearish: close above that high, RSI below the RSI at that high, RSI > 50.
 *
 * The swing range's lowest and highest close (with their bars) are kept as the range slides: a
 * close entering the range replaces the extreme only when strictly beyond it (so the earliest stays
 * on ties), and an extreme leaving the range is found again by a scan of the ~lookback closes when
 * next asked, which for a random walk is every ~lookback/2 bars: O(1) amortised, no allocation.
 * While a NaN close is in the window the plain scan decides (NaN compares false either way).
 * The closes and RSIs are two rings pushed together, so one write slot serves both (no ring objects
 * with their own counters and range checks on the per-bar path).
 */
export class RsiDivergence {
  /** The last lookback + 1 closes and their RSIs, written at `head` (oldest there once full). */
  private readonly closes: Float64Array;
  private readonly rsis: Float64Array;
  /** Slot of the next write; the oldest value's slot once the rings are full. */
  private head = 0;
  /** Pushes so far minus one: the absolute index of the newest close. */
  private newest = -1;
  /** Absolute index of the latest NaN close (−1 when none). */
  private lastNaN = -1;
  /** Lowest close of the swing range and its absolute index (invalid once before the range). */
  private lowest = Number.NaN;
  private lowestAt = -1;
  /** Highest close of the swing range and its absolute index. */
  private highest = Number.NaN;
  private highestAt = -1;

  constructor(readonly lookback: number) {
    assertPeriod(lookback, 'divergence lookback');
    if (lookback <= DIVERGENCE_MIN_GAP)
      throw new RangeError(`divergence lookback must exceed ${DIVERGENCE_MIN_GAP}, got ${lookback}`);
    this.closes = new Float64Array(lookback + 1);
    this.rsis = new Float64Array(lookback + 1);
  }

  /** Adds a bar's close and RSI (NaN RSI = not ready: nothing is stored); returns the divergence at this bar. */
  update(close: number, rsi: number): Divergence {
    if (Number.isNaN(rsi)) return 'none';
    const closes = this.closes;
    const n = closes.length;
    const slot = this.head;
    closes[slot] = close;
    (this.rsis as Float64Array)[slot] = rsi;
    this.head = slot + 1 === n ? 0 : slot + 1;
    const newest = ++this.newest;
    if (Number.isNaN(close)) this.lastNaN = newest;
    // Full once lookback + 1 closes are held (newest = lookback).
    if (newest < this.lookback) return 'none';
    // The swing range is the oldest lookback − 2 closes: absolute indices first..newest − gap.
    const first = newest - this.lookback;
    const at = slot - DIVERGENCE_MIN_GAP;
    const entering = closes[at < 0 ? at + n : at] as number;
    if (this.lowestAt >= first && entering < this.lowest) {
      this.lowest = entering;
      this.lowestAt = newest - DIVERGENCE_MIN_GAP;
    }
    if (this.highestAt >= first && entering > this.highest) {
      this.highest = entering;
      this.highestAt = newest - DIVERGENCE_MIN_GAP;
    }
    // Bullish needs RSI < 50 and bearish RSI > 50, so only one side's swing point is ever looked for.
    if (!(rsi < 50 || rsi > 50)) return 'none';
    if (this.lastNaN >= first) return this.scan(close, rsi);
    if (rsi < 50) {
      if (this.lowestAt < first) this.rescan(first);
      // A divergence needs the close below every close of the range.
      return this.lowest > close && rsi > this.rsiAt(this.lowestAt - first) ? 'bullish' : 'none';
    }
    if (this.highestAt < first) this.rescan(first);
    return this.highest < close && rsi < this.rsiAt(this.highestAt - first) ? 'bearish' : 'none';
  }

  /** The RSI k bars after the oldest held (rings full: the oldest sits at `head`). */
  private rsiAt(k: number): number {
    const n = this.rsis.length;
    const j = this.head + k;
    return this.rsis[j >= n ? j - n : j] as number;
  }

  /** Finds the range's extremes again (earliest on ties); `first` = absolute index of its oldest close. */
  private rescan(first: number): void {
    // In place, oldest first: logical index k at slot start + k, wrapping at n.
    const closes = this.closes;
    const n = closes.length;
    const start = this.head;
    const end = n - DIVERGENCE_MIN_GAP;
    let lo = closes[start] as number;
    let hi = lo;
    let loAt = 0;
    let hiAt = 0;
    for (let k = 1; k < end; k++) {
      const v = closes[k < n - start ? start + k : start + k - n] as number;
      if (v < lo) {
        lo = v;
        loAt = k;
      }
      if (v > hi) {
        hi = v;
        hiAt = k;
      }
    }
    this.lowest = lo;
    this.lowestAt = first + loAt;
    this.highest = hi;
    this.highestAt = first + hiAt;
  }

  /**
   * The verdict by a scan of the range in place, oldest first (logical index k at slot start + k,
   * wrapping), stopping at the first close at or beyond the current one: what decides while a NaN
   * close is in the window.
   */
  private scan(close: number, rsi: number): Divergence {
    const closes = this.closes;
    const n = closes.length;
    const start = this.head;
    const end = n - 1 - DIVERGENCE_MIN_GAP + 1;
    let at = 0;
    let extreme = closes[start] as number;
    if (rsi < 50) {
      if (extreme <= close) return 'none';
      for (let k = 1; k < end; k++) {
        const v = closes[k < n - start ? start + k : start + k - n] as number;
        if (v <= close) return 'none';
        if (v < extreme) {
          extreme = v;
          at = k;
        }
      }
      return close < extreme && rsi > this.rsiAt(at) ? 'bullish' : 'none';
    }
    if (extreme >= close) return 'none';
    for (let k = 1; k < end; k++) {
      const v = closes[k < n - start ? start + k : start + k - n] as number;
      if (v >= close) return 'none';
      if (v > extreme) {
        extreme = v;
        at = k;
      }
    }
    return close > extreme && rsi < this.rsiAt(at) ? 'bearish' : 'none';
  }
}
