import { assertPeriod, RingBuffer } from '../../indicators/ring-buffer';

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
 */
export class RsiDivergence {
  private readonly closes: RingBuffer;
  private readonly rsis: RingBuffer;
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
    this.closes = new RingBuffer(lookback + 1);
    this.rsis = new RingBuffer(lookback + 1);
  }

  /** Adds a bar's close and RSI (NaN RSI = not ready: nothing is stored); returns the divergence at this bar. */
  update(close: number, rsi: number): Divergence {
    if (Number.isNaN(rsi)) return 'none';
    this.closes.push(close);
    this.rsis.push(rsi);
    const newest = ++this.newest;
    if (Number.isNaN(close)) this.lastNaN = newest;
    if (!this.closes.full) return 'none';
    // The swing range is the oldest lookback − 2 closes: absolute indices first..newest − gap.
    const first = newest - this.lookback;
    const entering = this.closes.fromEnd(DIVERGENCE_MIN_GAP);
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
      return this.lowest > close && rsi > this.rsis.get(this.lowestAt - first) ? 'bullish' : 'none';
    }
    if (this.highestAt < first) this.rescan(first);
    return this.highest < close && rsi < this.rsis.get(this.highestAt - first) ? 'bearish' : 'none';
  }

  /** Finds the range's extremes again (earliest on ties); `first` = absolute index of its oldest close. */
  private rescan(first: number): void {
    // In place, oldest first: logical index k at slot start + k, wrapping at n.
    const n = this.closes.length;
    const closes = this.closes.storage;
    const start = this.closes.oldestSlot;
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
    const n = this.closes.length;
    const closes = this.closes.storage;
    const start = this.closes.oldestSlot;
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
      return close < extreme && rsi > this.rsis.get(at) ? 'bullish' : 'none';
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
    return close > extreme && rsi < this.rsis.get(at) ? 'bearish' : 'none';
  }
}
