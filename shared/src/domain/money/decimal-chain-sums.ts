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
  private topDigit = Number.NEGATIVE_INFINITY;
  private lowDigit = Number.POSITIVE_INFINITY;
  private terms = 0;
  private ok = true;

  /** Starts a chain at `x`, or at nothing (the first term added is then its start). */
  start(x?: Decimal): this {
    this.words.fill(0);
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
    if (top >= HIGH_WORD || low < LOW_WORD) {
      this.ok = false;
      return this;
    }
    const k = sign * s;
    const words = this.words;
    for (let j = 0; j < d.length; j++)
      words[top - j - LOW_WORD] = ((words[top - j - LOW_WORD] as number) + k * (d[j] as number)) | 0;
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
    let w = lowWord;
    words[w - LOW_WORD] =
      ((words[w - LOW_WORD] as number) + k * (m - rest * span) * (POW10[offset] as number)) | 0;
    m = rest;
    while (m > 0) {
      w += 1;
      if (w >= HIGH_WORD) {
        this.ok = false;
        return this;
      }
      const r = floorDiv(m, BASE);
      words[w - LOW_WORD] = ((words[w - LOW_WORD] as number) + k * (m - r * BASE)) | 0;
      m = r;
    }
    // Digits of units: its exponent range is −scale … −scale + digits − 1, lowest nonzero above.
    const magnitude = units < 0 ? -units : units;
    let digits = 1;
    while (digits < 16 && magnitude >= (POW10[digits] as number)) digits += 1;
    let zeros = 0;
    while (zeros < digits - 1 && magnitude % (POW10[zeros + 1] as number) === 0) zeros += 1;
    this.note(-scale + digits - 1, -scale + zeros);
    return this;
  }

  /** The chain's decimal (see the class comment), or undefined where the caller goes step by step. */
  result(): Decimal | undefined {
    if (!this.ok || this.terms > 9) return undefined;
    // Nothing but zeros: decimal.js's zero and its sign are left to the step-by-step path.
    if (this.topDigit === Number.NEGATIVE_INFINITY) return undefined;
    if (this.topDigit + 1 - this.lowDigit + 1 > PRECISION) return undefined;
    const words = this.words;
    let carry = normalise(words);
    let sign = 1;
    if (carry < 0) {
      // Negative: the magnitude is the negated words, normalised again (no carry left then).
      for (let i = 0; i < SPAN; i++) words[i] = -(words[i] as number) | 0;
      carry = normalise(words) - carry;
      sign = -1;
    }
    if (carry !== 0) return undefined;
    let hi = SPAN - 1;
    while (hi >= 0 && words[hi] === 0) hi -= 1;
    if (hi < 0) return undefined;
    return decimalOfWords(sign, words, hi, LOW_WORD);
  }

  private note(top: number, low: number): void {
    if (top > this.topDigit) this.topDigit = top;
    if (low < this.lowDigit) this.lowDigit = low;
  }
}

const WORD = 7;
const BASE = 1e7;
const PRECISION = 40;
/** Word window: 10^-35 up to (but excluding) 10^35, far wider than 40-digit KRW and volumes. */
const LOW_WORD = -5;
const HIGH_WORD = 5;
const SPAN = HIGH_WORD - LOW_WORD;

/**
 * Carries the signed word sums into words in [0, 10^7), lowest first, and returns the carry out of
 * the top word (−1 or less for a negative total, 0 for a non-negative one that fits).
 */
function normalise(words: number[]): number {
  let carry = 0;
  for (let i = 0; i < words.length; i++) {
    const v = (words[i] as number) + carry;
    carry = Math.floor(v / BASE);
    // As int32s (every word is below 10^7): digit arrays built from them stay small-integer arrays.
    words[i] = (v - carry * BASE) | 0;
  }
  return carry;
}

/** ⌊n / d⌋ of a non-negative safe integer by a positive power of ten: `%` and the division are exact. */
function floorDiv(n: number, d: number): number {
  return (n - (n % d)) / d;
}
