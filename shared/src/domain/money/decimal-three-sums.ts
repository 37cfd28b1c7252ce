import type { Decimal } from './decimal';
import { decimalOfWords, differenceOf, sumOf, wordAt } from './decimal-sums';
import type { DecimalLayout } from './decimal-units';

/**
 * Sums of three decimals as one exact word-by-word operation, for the broker's fill: a fill moves
 * cash by its value and its fee, a buy adds both to a position's cost and a sell realises its value
 * less its fee and the released cost. Computed as two sums, each of those makes an intermediate
 * decimal that only feeds the next sum (two of them a fill, ~300,000 over a year of market making).
 * When every partial sum is exact in decimal.js's 40 digits (see {@link exactlyReordered}), the two
 * sums and the one three-term sum are the same exact value, so the same decimal.
 */

const WORD = 7;
const BASE = 1e7;
const PRECISION = 40;
// The working words of one three-term sum (lowest first), reused; within the bound of
// exactlyReordered a sum spans at most 8 words (and a carry word).
const scratch: number[] = new Array(16).fill(0);

/**
 * True when every sum and difference of `a`, `b` and `c`, in any order and grouping (x + (y − z) and
 * (x − z) + y, or (x ± y) ± z), is exact in decimal.js's 40 significant digits: each result lies
 * between 10^(top + 2) (the largest operand's leading digit, plus two carries) and the lowest
 * operand word's place, so its digits are at most that span. decimal.js rounds only results longer
 * than 40 digits, so within the bound every order computes the one exact value, whose decimal
 * (layout canonical) is the same. Finite operands only.
 */
export function exactlyReordered(a: Decimal, b: Decimal, c: Decimal): boolean {
  return reorderable(
    a as unknown as DecimalLayout,
    b as unknown as DecimalLayout,
    c as unknown as DecimalLayout,
  );
}

/** {@link exactlyReordered} of three decimals' layouts. */
function reorderable(x: DecimalLayout, y: DecimalLayout, z: DecimalLayout): boolean {
  const xd = x.d;
  const yd = y.d;
  const zd = z.d;
  if (xd === null || yd === null || zd === null) return false;
  const top = Math.max(x.e, y.e, z.e) + 2;
  const low = Math.min(lowPlace(x.e, xd.length), lowPlace(y.e, yd.length), lowPlace(z.e, zd.length));
  return top - low + 1 <= PRECISION;
}

/** The place (power of ten) of the lowest digit of a decimal's lowest word (its `e`, its word count). */
export function lowPlace(e: number, words: number): number {
  return WORD * (Math.floor(e / WORD) - words + 1);
}

/**
 * `(x ± y) ± z` as `sumOf`/`differenceOf` compute it (`signY`, `signZ`: +1 adds, −1 subtracts), the
 * same decimal, without the intermediate one when the operands are nonzero and every partial sum is
 * exact (see the module comment); anything else (a zero operand, a zero result, a longer span)
 * takes the two sums.
 */
export function sumOfThree(x: Decimal, y: Decimal, signY: 1 | -1, z: Decimal, signZ: 1 | -1): Decimal {
  const exact = exactSumOfThree(
    x as unknown as DecimalLayout,
    1,
    y as unknown as DecimalLayout,
    signY,
    z as unknown as DecimalLayout,
    signZ,
  );
  return exact ?? twoSums(x, y, signY, z, signZ);
}

/** `(x ± y) ± z` as two sums, in that order: the path whenever the one exact sum does not apply. */
function twoSums(x: Decimal, y: Decimal, signY: 1 | -1, z: Decimal, signZ: 1 | -1): Decimal {
  const partial = signY === 1 ? sumOf(x, y) : differenceOf(x, y);
  return signZ === 1 ? sumOf(partial, z) : differenceOf(partial, z);
}

function exactSumOfThree(
  a: DecimalLayout,
  signA: 1 | -1,
  b: DecimalLayout,
  signB: 1 | -1,
  c: DecimalLayout,
  signC: 1 | -1,
): Decimal | undefined {
  const ad = a.d;
  const bd = b.d;
  const cd = c.d;
  if (ad === null || bd === null || cd === null || ad[0] === 0 || bd[0] === 0 || cd[0] === 0)
    return undefined;
  if (!(Math.abs(a.e) < 1e15 && Math.abs(b.e) < 1e15 && Math.abs(c.e) < 1e15)) return undefined;
  if (!reorderable(a, b, c)) return undefined;
  // Word indices: word k holds the digits of 10^(7k) … 10^(7k+6).
  const aTop = Math.floor(a.e / WORD);
  const bTop = Math.floor(b.e / WORD);
  const cTop = Math.floor(c.e / WORD);
  const aLow = aTop - ad.length + 1;
  const bLow = bTop - bd.length + 1;
  const cLow = cTop - cd.length + 1;
  const low = Math.min(aLow, bLow, cLow);
  const n = Math.max(aTop, bTop, cTop) - low + 1;
  if (n >= scratch.length) return undefined;
  const addA = a.s * signA > 0;
  const addB = b.s * signB > 0;
  const addC = c.s * signC > 0;
  const words = scratch;
  // Signed words with a signed carry (each word ends in [0, BASE)); a negative final carry means a
  // negative sum, whose magnitude is then carry × BASE^n + words negated. Small integers only, by
  // additions and subtractions (never −0, which a product of a sign and a zero word is: a −0 in
  // the words would reach the result's digit array as a double, and through the shared literals
  // of digitArray every exact sum's digit arrays after it).
  let carry = 0;
  for (let k = 0; k < n; k++) {
    const at = low + k;
    let v = carry;
    const wa = wordAt(ad, aTop, aLow, at);
    v = addA ? v + wa : v - wa;
    const wb = wordAt(bd, bTop, bLow, at);
    v = addB ? v + wb : v - wb;
    const wc = wordAt(cd, cTop, cLow, at);
    v = addC ? v + wc : v - wc;
    carry = 0;
    while (v < 0) {
      v += BASE;
      carry -= 1;
    }
    while (v >= BASE) {
      v -= BASE;
      carry += 1;
    }
    words[k] = v | 0;
  }
  let sign = 1;
  if (carry >= 0) words[n] = carry | 0;
  else {
    sign = -1;
    let borrow = 0;
    for (let k = 0; k < n; k++) {
      let m = 0 - (words[k] as number) - borrow;
      borrow = m < 0 ? 1 : 0;
      if (borrow === 1) m += BASE;
      words[k] = m | 0;
    }
    words[n] = (-carry - borrow) | 0;
  }
  let hi = n;
  while (hi >= 0 && words[hi] === 0) hi -= 1;
  // A zero sum: its sign follows decimal.js's rounding mode, so the two sums decide it.
  if (hi < 0) return undefined;
  return decimalOfWords(sign, words, hi, low);
}
