import { Ema } from './ema';
import { assertPeriod, notFiniteError } from './ring-buffer';
import { keepShapeAlive } from './shape-anchor';
import { Sma } from './sma';

// Index of the current EMA in Ema.st (ema.ts's CURRENT), a local copy: a constant imported from
// another module is a getter call on every read when the sources run unbundled (tsx: `npm run
// bench`'s indicators), which made MACD's steady step 4x slower there. The fast-paths property
// test compares MACD with three Ema updates bit for bit, so a wrong index cannot pass.
const EMA_CURRENT = 1;

/** One MACD reading. */
export interface MacdValue {
  readonly macd: number;
  readonly signal: number;
  readonly histogram: number;
}

/**
 * MACD with TA-Lib's alignment: the fast EMA is not seeded at bar fast − 1 but at bar slow − 1, with
 * the SMA of the `fast` closes ending there, so both EMAs start on the same bar; the signal line is
 * an SMA-seeded EMA of the MACD line. First value at bar slow + signal − 2 (33 for 12/26/9), which
 * is TA-Lib's begIndex. All outputs are NaN before that, so nothing half-warmed reaches a strategy.
 */
export class Macd {
  private readonly fastSeed: Sma;
  private readonly fast: Ema;
  private readonly slow: Ema;
  private readonly signalEma: Ema;
  private line = Number.NaN;

  constructor(
    readonly fastPeriod: number,
    readonly slowPeriod: number,
    readonly signalPeriod: number,
  ) {
    assertPeriod(fastPeriod, 'MACD fast period');
    assertPeriod(slowPeriod, 'MACD slow period');
    assertPeriod(signalPeriod, 'MACD signal period');
    if (fastPeriod >= slowPeriod)
      throw new RangeError(`MACD fast period ${fastPeriod} must be below slow period ${slowPeriod}`);
    this.fastSeed = new Sma(fastPeriod);
    this.fast = new Ema(fastPeriod);
    this.slow = new Ema(slowPeriod);
    this.signalEma = new Ema(signalPeriod);
  }

  /** True from bar slow + signal − 2 on. */
  get ready(): boolean {
    return this.signalEma.ready;
  }

  /** MACD line (fast EMA − slow EMA); NaN during warm-up. */
  get macd(): number {
    return this.ready ? this.line : Number.NaN;
  }

  /** Signal line; NaN during warm-up. */
  get signal(): number {
    return this.signalEma.value;
  }

  /** MACD − signal; NaN during warm-up. */
  get histogram(): number {
    return this.ready ? this.line - this.signalEma.value : Number.NaN;
  }

  /** The three outputs (allocates one small object; use the getters on hot paths). */
  get value(): MacdValue {
    return { macd: this.macd, signal: this.signal, histogram: this.histogram };
  }

  /** Adds one close; returns the histogram (NaN during warm-up). O(1), allocation-free. */
  update(x: number): number {
    if (!Number.isFinite(x)) throw notFiniteError(x, 'MACD input');
    const signalEma = this.signalEma;
    // The signal average is seeded last (after the slow one, when the fast one is seeded too), so
    // from then on every bar takes this path: Ema.update's steady step for each of the three
    // averages, in place on their state, with the same operations in the same order. One function
    // instead of three calls per bar, which V8 left out of mean reversion's compiled step (its
    // inlining budget was spent), each also boxing the double it returned.
    if (signalEma.ready) {
      const fast = this.fast.st;
      const slow = this.slow.st;
      const signal = signalEma.st;
      const fastPrev = fast[EMA_CURRENT] as number;
      const fastNext = (x - fastPrev) * this.fast.k + fastPrev;
      fast[EMA_CURRENT] = fastNext;
      const slowPrev = slow[EMA_CURRENT] as number;
      const slowNext = (x - slowPrev) * this.slow.k + slowPrev;
      slow[EMA_CURRENT] = slowNext;
      const steadyLine = fastNext - slowNext;
      this.line = steadyLine;
      // The signal average's own input check (`x` is checked above, so the fast and slow need none).
      if (!Number.isFinite(steadyLine)) throw notFiniteError(steadyLine, 'EMA input');
      const signalPrev = signal[EMA_CURRENT] as number;
      const signalNext = (steadyLine - signalPrev) * signalEma.k + signalPrev;
      signal[EMA_CURRENT] = signalNext;
      return steadyLine - signalNext;
    }
    let line: number;
    if (this.slow.ready) line = this.fast.update(x) - this.slow.update(x);
    else {
      const slow = this.slow.update(x);
      this.fastSeed.update(x);
      if (!this.slow.ready) return Number.NaN;
      this.fast.seed(this.fastSeed.value);
      line = this.fast.value - slow;
    }
    this.line = line;
    const signal = this.signalEma.update(line);
    // NaN until the signal EMA is ready, like every output.
    return line - signal;
  }

  /** Forgets all history. */
  reset(): void {
    this.fastSeed.reset();
    this.fast.reset();
    this.slow.reset();
    this.signalEma.reset();
    this.line = Number.NaN;
  }
}

keepShapeAlive(new Macd(2, 3, 2));

/** Batch MACD aligned with the input (NaN during warm-up). Built on {@link Macd}. */
export function macdBatch(
  values: ArrayLike<number>,
  fastPeriod: number,
  slowPeriod: number,
  signalPeriod: number,
): { macd: Float64Array; signal: Float64Array; histogram: Float64Array } {
  const ind = new Macd(fastPeriod, slowPeriod, signalPeriod);
  const n = values.length;
  const out = { macd: new Float64Array(n), signal: new Float64Array(n), histogram: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    out.histogram[i] = ind.update(values[i] as number);
    out.macd[i] = ind.macd;
    out.signal[i] = ind.signal;
  }
  return out;
}
