import { assertFinite } from './ring-buffer';

/**
 * True range (TA-Lib TRANGE): max(high − low, |high − prevClose|, |low − prevClose|). It needs the
 * previous close, so the first bar yields nothing (TA-Lib begIndex 1): a gap from the last close is
 * part of the risk a stop must survive, which plain high − low would hide.
 */
export class TrueRange {
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

  /** Adds one bar; returns its true range (NaN on the first bar). O(1). */
  update(high: number, low: number, close: number): number {
    assertBar(high, low, close);
    this.current = Number.isNaN(this.prevClose) ? Number.NaN : trueRange(high, low, this.prevClose);
    this.prevClose = close;
    return this.current;
  }

  /** Forgets all history. */
  reset(): void {
    this.prevClose = Number.NaN;
    this.current = Number.NaN;
  }
}

/** The true range of one bar given the previous close. */
export function trueRange(high: number, low: number, prevClose: number): number {
  return Math.max(high - low, Math.abs(high - prevClose), Math.abs(low - prevClose));
}

/** Refuses non-finite or inverted bars (high < low), which would silently corrupt every range. */
export function assertBar(high: number, low: number, close: number): void {
  assertFinite(high, 'high');
  assertFinite(low, 'low');
  assertFinite(close, 'close');
  if (high < low) throw new RangeError(`bar high ${high} is below low ${low}`);
}

/** Batch true range aligned with the input (NaN at index 0). Built on {@link TrueRange}. */
export function trueRangeBatch(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
): Float64Array {
  const ind = new TrueRange();
  const out = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++)
    out[i] = ind.update(high[i] as number, low[i] as number, close[i] as number);
  return out;
}
