import { assertFinite, outputArray, sameLength } from './ring-buffer';
import { keepShapeAlive } from './shape-anchor';

/**
 * True range (TA-Lib TRANGE): max(high − low, |high − prevClose|, |low − prevClose|). It needs the
 * previous close, so the first bar yields nothing (TA-Lib begIndex 1): a gap from the last close is
 * part of the risk a stop must survive, which plain high − low would hide.
 */
export class TrueRange {
  // NaN-initialised float fields keep one object shape for life (see shape-anchor.ts).
  private prevClose = Number.NaN;
  private current = Number.NaN;

  /** True from the second bar on. */
  get ready(): boolean {
    return !Number.isNaN(this.current);
  }

  /** Latest true range; NaN on the first bar. */
  get value(): number {
    return this.current;
  }

  /** Adds one bar; returns its true range (NaN on the first bar). O(1), allocation-free. */
  update(high: number, low: number, close: number): number {
    assertBar(high, low, close);
    const tr = trueRange(high, low, this.prevClose);
    this.prevClose = close;
    this.current = tr;
    return tr;
  }

  /**
   * Feeds every bar in order, exactly as that many {@link update} calls would, writing each true
   * range to `out[i]`; returns `out`. On a bad bar the bars before it are applied, then it throws.
   */
  updateMany(
    high: ArrayLike<number>,
    low: ArrayLike<number>,
    close: ArrayLike<number>,
    out?: Float64Array,
  ): Float64Array {
    const n = sameLength(high, low, close);
    const res = outputArray(n, out);
    let prev = this.prevClose;
    let tr = this.current;
    let i = 0;
    for (; i < n; i++) {
      const h = high[i] as number;
      const l = low[i] as number;
      const c = close[i] as number;
      if (!isBar(h, l, c)) break;
      tr = trueRange(h, l, prev);
      prev = c;
      res[i] = tr;
    }
    this.prevClose = prev;
    this.current = tr;
    if (i < n) assertBar(high[i] as number, low[i] as number, close[i] as number);
    return res;
  }

  /** Forgets all history. */
  reset(): void {
    this.prevClose = Number.NaN;
    this.current = Number.NaN;
  }
}

keepShapeAlive(new TrueRange());

/** The true range of one bar given the previous close; NaN when there is none (prevClose NaN). */
export function trueRange(high: number, low: number, prevClose: number): number {
  return Math.max(high - low, Math.abs(high - prevClose), Math.abs(low - prevClose));
}

/** True for a finite bar with high ≥ low. */
export function isBar(high: number, low: number, close: number): boolean {
  return Number.isFinite(high) && Number.isFinite(low) && Number.isFinite(close) && high >= low;
}

/** Refuses non-finite or inverted bars (high < low), which would silently corrupt every range. */
export function assertBar(high: number, low: number, close: number): void {
  if (isBar(high, low, close)) return;
  assertFinite(high, 'high');
  assertFinite(low, 'low');
  assertFinite(close, 'close');
  throw new RangeError(`bar high ${high} is below low ${low}`);
}

/** Batch true range aligned with the input (NaN at index 0). Built on {@link TrueRange}. */
export function trueRangeBatch(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
): Float64Array {
  return new TrueRange().updateMany(high, low, close);
}
