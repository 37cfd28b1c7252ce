import type { Decimal } from './decimal';
import { decimalOfWords } from './decimal-sums';
import { type DecimalLayout, POW10, trailingZeros } from './decimal-units';

/**
 * A chain of sums and differences of decimals, `x ± y ± z …` as decimal.js computes it left to
 * right (`x.plus(y).minus(z)`, or the word-by-word `sumOf`/`differenceOf` of decimal-sums.ts), built
 * in one pass into one decimal instead of one decimal per step. A fill's accounting is such chains
 * (cash − value − fee, cost + value + fee, proceeds − fee − released cost), and its value may be
 * known only as 1e-8 units (a quote layer's won × its units), added here without its decimal.
 *
 * Why it is the same decimal: decimal.js rounds a sum only when its exact value has more than 40
 * significant digits. Every partial sum of the chain is a sum of some of its terms, so its leading
 * digit is at most one place above the largest term's (fewer than ten terms) and its lowest nonzero
 * digit no lower than the lowest term's; when that span is at most 40 digits no step rounds, every
 * step is exact, and the chain's result is the exact sum, whose canonical layout `decimalOfWords`
 * builds (decimal-sums.ts: the very decimal decimal.js returns). A wider span, a non-finite term,
 * words outside the window below, or an exact zero result (decimal.js's sign of zero depends on the
 * rounding mode and the step) is refused: `undefined`, and the caller takes the step-by-step path.
 */
export class DecimalChain {
  /** Signed word sums, word index k at position k − LOW_WORD (k = 0 holds 10^0 … 10^6). */
  private readonly words: number[] = new Array(SPAN).fill(0);
  /** Positions written since the last start (words outside are zero). */
  private lo = SPAN;
  private hi = -1;
  /** Bounds on the exponents of the terms' leading and lowest nonzero digits. */
  private topDigit = Number.NEGATIVE_INFINITY;
  private lowDigit = Number.POSITIVE_INFINITY;
  private terms = 0;
  private ok = true;

  /** Starts a chain at `x`, or at nothing (the first term added is then its start). */
  start(x?: Decimal): this {
    const words = this.words;
    for (let i = this.lo; i <= this.hi; i++) words[i] = 0;
    this.lo = SPAN;
    this.hi = -1;
    this.topDigit = Number.NEGATIVE_INFINITY;
    this.lowDigit = Number.POSITIVE_INFINITY;
    this.terms = 0;
    this.ok = true;
    return x === undefined ? this : this.plus(x, 1);
  }

  /** Adds (`sign` 1) or subtracts (−1) a decimal. */
  plus(y: Decimal, sign: 1 | -1): this {
    this.terms += 1;
    if (!this.ok) return this;
    const { s, e, d } = y as unknown as DecimalLayout;
    if (d === null || !(Math.abs(e) < 1e15)) {
      this.ok = false;
      return this;
    }
    if (d[0] === 0) return this;
    const top = Math.floor(e / WORD);
    const low = top - d.length + 1;
    // The top position is kept for the carry out (see normalise).
    if (top >= HIGH_WORD - 1 || low < LOW_WORD) {
      this.ok = false;
      return this;
    }
    const k = sign * s;
    const words = this.words;
    const first = top - LOW_WORD;
    for (let j = 0; j < d.length; j++)
      words[first - j] = ((words[first - j] as number) + k * (d[j] as number)) | 0;
    this.touch(low - LOW_WORD, first);
    // e is the leading digit's exponent; the lowest word's trailing zeros lift the lowest one.
    this.note(e, low * WORD + trailingZeros(d[d.length - 1] as number));
    return this;
  }

  /** Adds (`sign` 1) or subtracts (−1) `units × 10^-scale` (a safe integer, scale 0 to 28). */
  plusUnits(units: number, scale: number, sign: 1 | -1): this {
    this.terms += 1;
    if (!this.ok) return this;
    if (!Number.isSafeInteger(units) || !Number.isInteger(scale) || scale < 0 || scale > 28) {
      this.ok = false;
      return this;
    }
    if (units === 0) return this;
    const k = units < 0 ? -sign : sign;
    let m = units < 0 ? -units : units;
    // Lowest word (holding the digit of 10^-scale) and the digit's place in it.
    const lowWord = Math.floor(-scale / WORD);
    const offset = -scale - WORD * lowWord;
    const span = POW10[WORD - offset] as number;
    const rest = floorDiv(m, span);
    const words = this.words;
    let at = lowWord - LOW_WORD;
    let word = (m - rest * span) * (POW10[offset] as number);
    words[at] = ((words[at] as number) + k * word) | 0;
    m = rest;
    while (m > 0) {
      at += 1;
      if (at >= SPAN - 1) {
        // Unreachable for safe integers (three words above 10^-28 at most); cleared all the same.
        this.touch(lowWord - LOW_WORD, SPAN - 1);
        this.ok = false;
        return this;
      }
      const r = floorDiv(m, BASE);
      word = m - r * BASE;
      words[at] = ((words[at] as number) + k * word) | 0;
      m = r;
    }
    this.touch(lowWord - LOW_WORD, at);
    // The leading digit's exponent from the top word written (never zero: the last quotient's
    // remainder, or the lowest word of a value below one word); the lowest digit is at least 10^-scale.
    let digits = 1;
    while (digits < WORD && word >= (POW10[digits] as number)) digits += 1;
    this.note((at + LOW_WORD) * WORD + digits - 1, -scale);
    return this;
  }

  /** The chain's decimal (see the class comment), or undefined where the caller goes step by step. */
  result(): Decimal | undefined {
    if (!this.ok || this.terms > 9) return undefined;
    // Nothing but zeros: decimal.js's zero and its sign are left to the step-by-step path.
    if (this.topDigit === Number.NEGATIVE_INFINITY) return undefined;
    if (this.topDigit + 1 - this.lowDigit + 1 > PRECISION) return undefined;
    const words = this.words;
    const lo = this.lo;
    let top = normalise(words, lo, this.hi);
    let sign = 1;
    if ((words[top] as number) < 0) {
      // Negative: the top word holds the (negative) carry; the magnitude is the negated words,
      // normalised again, which leaves no negative word.
      for (let i = lo; i <= top; i++) words[i] = -(words[i] as number) | 0;
      top = normalise(words, lo, top);
      sign = -1;
    }
    // Carries may have reached words above the last one written: cleared at the next start.
    this.hi = top;
    if (top >= SPAN - 1 && (words[SPAN - 1] as number) !== 0) return undefined;
    let hi = top;
    while (hi >= lo && words[hi] === 0) hi -= 1;
    if (hi < lo) return undefined;
    return decimalOfWords(sign, words, hi, LOW_WORD);
  }

  private touch(from: number, to: number): void {
    if (from < this.lo) this.lo = from;
    if (to > this.hi) this.hi = to;
  }

  private note(top: number, low: number): void {
    if (top > this.topDigit) this.topDigit = top;
    if (low < this.lowDigit) this.lowDigit = low;
  }
}

const WORD = 7;
const BASE = 1e7;
const PRECISION = 40;
/**
 * Word window: terms from 10^-35 up to (but excluding) 10^28, far wider than 40-digit KRW and
 * volumes; the top position (10^28 …) holds only the carry out of the sum.
 */
const LOW_WORD = -5;
const HIGH_WORD = 5;
const SPAN = HIGH_WORD - LOW_WORD;

/**
 * Carries the signed word sums at positions `from` … `to` up into words in [0, 10^7), the carry
 * going on past `to` while it is nonzero, and returns the last position written: its word holds the
 * final carry out (negative for a negative total) when the carry ran past the last full word.
 * Sums are below 10^8 in magnitude (fewer than ten terms), so carries are found by comparison.
 */
function normalise(words: number[], from: number, to: number): number {
  let carry = 0;
  let i = from;
  for (; i < SPAN - 1 && (i <= to || carry !== 0); i++) {
    let v = (words[i] as number) + carry;
    carry = 0;
    while (v < 0) {
      v += BASE;
      carry -= 1;
    }
    while (v >= BASE) {
      v -= BASE;
      carry += 1;
    }
    words[i] = v | 0;
  }
  if (i === SPAN - 1) {
    // The top position takes whatever is left: a carry out of the window, or a negative total.
    words[SPAN - 1] = ((words[SPAN - 1] as number) + carry) | 0;
    return SPAN - 1;
  }
  return i - 1;
}

/**
 * ⌊n / d⌋ of a non-negative safe integer by a positive power of ten: a correctly rounded division
 * corrected by one (a double `%` is a library call), and `%` only near 2^53 where q × d may not be exact.
 */
function floorDiv(n: number, d: number): number {
  if (n > FLOOR_DIV_LIMIT) return (n - (n % d)) / d;
  const q = Math.floor(n / d);
  const r = n - q * d;
  return r < 0 ? q - 1 : r >= d ? q + 1 : q;
}

const FLOOR_DIV_LIMIT = Number.MAX_SAFE_INTEGER - 2e7;
