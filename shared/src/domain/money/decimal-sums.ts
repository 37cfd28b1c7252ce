import { type Decimal, Decimal as DecimalClass } from './decimal';
import { assemble, decimalOfUnits, trailingZeros, wordsOfUnits } from './decimal-units';

/**
 * Exact sums and differences of decimals read from and written to decimal.js's own layout: the
 * simulation adds and subtracts KRW amounts (locks, exposure, position costs at 20 decimals, cash)
 * and volumes on every bar, and decimal.js copies the right operand, allocates and then rounds
 * (`finalise`) every result. Here the operands' base-10^7 words (aligned on multiples of 7 in the
 * exponent, see `decimal-units.ts`) are added or subtracted word by word with a carry, which is
 * exact; when the exact result has at most 40 significant digits (decimal.js's precision) it is
 * the very decimal (value and layout) decimal.js returns, since decimal.js computes the same exact
 * sum and rounding leaves it alone. Longer results, non-finite values, sums of two zeros and
 * operands spanning more than {@link MAX_WORDS} words go through decimal.js; `decimal-sums.test.ts`
 * compares both paths, signs of zero included.
 */

interface DecimalLayout {
  readonly s: number;
  readonly e: number;
  readonly d: readonly number[] | null;
}

const WORD = 7;
const BASE = 1e7;
const PRECISION = 40;
// A nonzero decimal of at most this many words has at most 35 significant digits, so decimal.js's
// `x.plus(0)` (x rounded to 40 digits) is x itself.
const MAX_WORDS_UNROUNDED = 5;
// Widest aligned span (in words) added here: 98 digits, far more than 40-digit results need.
const MAX_WORDS = 14;
const POW10: readonly number[] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
// Working words of one sum (lowest first), reused: a sum is built into a fresh digit array at the end.
const scratch: number[] = new Array(MAX_WORDS + 1).fill(0);

/** `x.plus(y)`, the same decimal, word by word when the result is exact (see above). */
export function sumOf(x: Decimal, y: Decimal): Decimal {
  return exactSum(x, y, 1) ?? x.plus(y);
}

/** `x.minus(y)`, the same decimal, word by word when the result is exact (see above). */
export function differenceOf(x: Decimal, y: Decimal): Decimal {
  return exactSum(x, y, -1) ?? x.minus(y);
}

// The words of one sumOfUnits' units (lowest first), reused.
const unitWords: number[] = [0, 0, 0, 0];

/**
 * `sumOf(x, decimalOfUnits(units, scale))`, the same decimal, without building the second one: the
 * units' base-10^7 words are added to x's words in place of a decimal's (a step's equity adds each
 * holding's value, a safe integer of units, to the cash on every bar while something is held).
 * Same-signed nonzero operands only (the equity's case); anything else, and a result longer than
 * 40 digits, takes sumOf's own path.
 */
export function sumOfUnits(x: Decimal, units: number, scale: number): Decimal {
  const a = x as unknown as DecimalLayout;
  const xd = a.d;
  if (
    xd === null ||
    xd[0] === 0 ||
    !Number.isSafeInteger(units) ||
    units === 0 ||
    a.s < 0 !== units < 0 ||
    !Number.isInteger(scale) ||
    scale < 0 ||
    scale > 60 ||
    !(Math.abs(a.e) < 1e15)
  )
    return sumOf(x, decimalOfUnits(units, scale));
  const yw = unitWords;
  const yLow = wordsOfUnits(units < 0 ? -units : units, scale, yw);
  let yTop = yLow + 3;
  while (yw[yTop - yLow] === 0) yTop -= 1;
  const xTop = Math.floor(a.e / WORD);
  const xLow = xTop - xd.length + 1;
  const top = Math.max(xTop, yTop);
  const low = Math.min(xLow, yLow);
  const n = top - low + 1;
  if (n > MAX_WORDS) return sumOf(x, decimalOfUnits(units, scale));
  const words = scratch;
  let carry = 0;
  for (let k = 0; k < n; k++) {
    const at = low + k;
    const y = at < yLow || at > yTop ? 0 : (yw[at - yLow] as number);
    const v = wordAt(xd, xTop, xLow, at) + y + carry;
    carry = v >= BASE ? 1 : 0;
    words[k] = (carry === 1 ? v - BASE : v) | 0;
  }
  words[n] = carry;
  const hi = carry === 1 ? n : n - 1;
  return decimalOfWords(a.s, words, hi, low) ?? x.plus(decimalOfUnits(units, scale));
}

function exactSum(x: Decimal, y: Decimal, sign: 1 | -1): Decimal | undefined {
  const a = x as unknown as DecimalLayout;
  const b = y as unknown as DecimalLayout;
  const xd = a.d;
  const yd = b.d;
  if (xd === null || yd === null) return undefined;
  const xZero = xd[0] === 0;
  if (yd[0] === 0) return xZero || xd.length > MAX_WORDS_UNROUNDED ? undefined : x;
  if (xZero) return sign === 1 && yd.length <= MAX_WORDS_UNROUNDED ? y : undefined;
  if (!(Math.abs(a.e) < 1e15 && Math.abs(b.e) < 1e15)) return undefined;
  // Word indices: word k holds the digits of 10^(7k) … 10^(7k+6).
  const xTop = Math.floor(a.e / WORD);
  const yTop = Math.floor(b.e / WORD);
  const xLow = xTop - xd.length + 1;
  const yLow = yTop - yd.length + 1;
  const top = Math.max(xTop, yTop);
  const low = Math.min(xLow, yLow);
  const n = top - low + 1;
  if (n > MAX_WORDS) return undefined;
  const xs = a.s;
  const ys = b.s * sign;
  // Magnitudes, lowest word first, in `words` (n + 1 words: room for a carry).
  const words = scratch;
  let resultSign = xs;
  if (xs === ys) {
    let carry = 0;
    for (let k = 0; k < n; k++) {
      const v = wordAt(xd, xTop, xLow, low + k) + wordAt(yd, yTop, yLow, low + k) + carry;
      carry = v >= BASE ? 1 : 0;
      words[k] = (carry === 1 ? v - BASE : v) | 0;
    }
    words[n] = carry;
  } else {
    // |x| − |y|; a final borrow means |y| > |x|: then |y| − |x| with y's sign.
    if (!subtractInto(words, xd, xTop, xLow, yd, yTop, yLow, low, n)) {
      subtractInto(words, yd, yTop, yLow, xd, xTop, xLow, low, n);
      resultSign = ys;
    }
    words[n] = 0;
  }
  let hi = n;
  while (hi >= 0 && words[hi] === 0) hi -= 1;
  // x − x: decimal.js returns +0, or −0 when rounding toward −∞ (ROUND_FLOOR).
  if (hi < 0) return DecimalClass.rounding === DecimalClass.ROUND_FLOOR ? undefined : zero();
  return decimalOfWords(resultSign, words, hi, low);
}

/**
 * The decimal of sign `sign` whose base-10^7 words are `words` (lowest first; words[0] is word
 * `low` of the layout, words[hi] the highest nonzero one), in decimal.js's own layout, when it has
 * at most 40 significant digits (nothing for decimal.js to round); undefined otherwise. The last
 * step of every exact word-by-word operation here and in `decimal-products.ts`.
 */
export function decimalOfWords(
  sign: number,
  words: readonly number[],
  hi: number,
  low: number,
): Decimal | undefined {
  let lo = 0;
  while (words[lo] === 0) lo += 1;
  const topWord = words[hi] as number;
  let digits = 1;
  while (digits < WORD && topWord >= (POW10[digits] as number)) digits += 1;
  const e = (low + hi) * WORD + digits - 1;
  const lowestDigit = (low + lo) * WORD + trailingZeros(words[lo] as number);
  if (e - lowestDigit + 1 > PRECISION) return undefined;
  return assemble(sign, e, digitArray(words, hi, lo));
}

/** words[hi] down to words[lo] (lowest first in `words`) as a packed digit array (literals for one to four words). */
export function digitArray(words: readonly number[], hi: number, lo: number): number[] {
  const a = words[hi] as number;
  switch (hi - lo) {
    case 0:
      return [a];
    case 1:
      return [a, words[lo] as number];
    case 2:
      return [a, words[hi - 1] as number, words[lo] as number];
    case 3:
      return [a, words[hi - 1] as number, words[hi - 2] as number, words[lo] as number];
    default: {
      const d: number[] = [];
      for (let k = hi; k >= lo; k--) d.push(words[k] as number);
      return d;
    }
  }
}

/** Word `k` of a decimal's digits `d` whose words run from index `top` down to `low` (0 outside). */
export function wordAt(d: readonly number[], top: number, low: number, k: number): number {
  return k > top || k < low ? 0 : (d[top - k] as number);
}

/** |p| − |q| into `out` (lowest word first); false when it borrowed past the top (|q| > |p|). */
function subtractInto(
  out: number[],
  pd: readonly number[],
  pTop: number,
  pLow: number,
  qd: readonly number[],
  qTop: number,
  qLow: number,
  low: number,
  n: number,
): boolean {
  let borrow = 0;
  for (let k = 0; k < n; k++) {
    let v = wordAt(pd, pTop, pLow, low + k) - wordAt(qd, qTop, qLow, low + k) - borrow;
    borrow = v < 0 ? 1 : 0;
    if (borrow === 1) v += BASE;
    out[k] = v | 0;
  }
  return borrow === 0;
}

let positiveZero: Decimal | undefined;

/** One +0 for every exact zero result (decimals are immutable, so sharing it is safe). */
function zero(): Decimal {
  positiveZero ??= new DecimalClass(0);
  return positiveZero;
}
