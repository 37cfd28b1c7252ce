import { assertPeriod, RingBuffer } from '../../indicators/ring-buffer';

/** Which way price and RSI disagree: `bullish` = price lower low, RSI higher low; `bearish` the inverse. */
export type Divergence = 'bullish' | 'bearish' | 'none';

/** Bars nearest the current one that are skipped when looking for the earlier swing point. */
export const DIVERGENCE_MIN_GAP = 3;

/**
 * Streaming RSI divergence detector over the last `lookback` bars. At each bar it compares the
 * current close with the earlier swing point — the lowest (for bullish) or highest (for bearish)
 * close in the window, excluding the {@link DIVERGENCE_MIN_GAP} most recent bars so a swing is not
 * compared with its own neighbour:
 * - bullish: close below that low, RSI above the RSI at that low, RSI < 50 (still a low);
 * - bearish: close above that high, RSI below the RSI at that high, RSI > 50.
 * O(lookback) per bar at worst with no allocation (lookback is ~30); usually a few closes.
 */
export class RsiDivergence {
  private readonly closes: RingBuffer;
  private readonly rsis: RingBuffer;

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
    if (!this.closes.full) return 'none';
    // Bullish needs RSI < 50 and bearish RSI > 50, so only one side's swing point is ever looked
    // for; the window is scanned in place, oldest first (logical index k at slot start + k,
    // wrapping), the earliest extreme winning ties.
    if (!(rsi < 50 || rsi > 50)) return 'none';
    const n = this.closes.length;
    const closes = this.closes.storage;
    const start = this.closes.oldestSlot;
    const end = n - 1 - DIVERGENCE_MIN_GAP + 1;
    let at = 0;
    let extreme = closes[start] as number;
    // A divergence needs the close beyond every close in the range, so the first close at or
    // beyond it settles 'none' — what the full scan returns then — and most bars stop after a few.
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
