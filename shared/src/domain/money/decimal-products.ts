import type { Decimal } from './decimal';
import { decimalOfWords } from './decimal-sums';
import type { DecimalLayout } from './decimal-units';

/**
 * Exact products of decimals word by word (schoolbook on decimal.js's base-10^7 words, see
 * `decimal-units.ts`), for products whose integer units exceed a safe integer — a bid's lock,
 * total × (1 + taker fee), is ~10^16–10^17 units at 12 decimals — where `productOf` would go to
 * decimal.js's `times`. Every partial product of two words is below 10^14 and at most six of them
 * meet in one result word, so the doubles are exact; the result is decimal.js's own (value and
 * layout) whenever it has at most 40 significant digits (decimal.js's precision: nothing to round).
 */

const WORD = 7;
const BASE = 1e7;
/** Operands of at most this many words (42 digits: every decimal.js result). */
const MAX_WORDS = 6;
// Sums of word products (up to ~6 · 10^14, so doubles), lowest first, reused; and the normalised
// words (below 10^7) in a separate small-integer array, so the digit arrays built from them hold
// small integers as decimal.js's own do.
const sums = new Float64Array(2 * MAX_WORDS + 1);
const scratch: number[] = new Array(2 * MAX_WORDS + 1).fill(0);

/**
 * `x.times(y)`, the same decimal, when both are finite and nonzero, each has at most six words (42
 * digits) and the exact product has at most 40 significant digits; undefined otherwise (the caller asks
 * decimal.js, which rounds longer products and keeps the sign of zeros).
 */
export function wordProduct(x: Decimal, y: Decimal): Decimal | undefined {
  const a = x as unknown as DecimalLayout;
  const b = y as unknown as DecimalLayout;
  const xd = a.d;
  const yd = b.d;
  if (xd === null || yd === null || xd[0] === 0 || yd[0] === 0) return undefined;
  if (!(Math.abs(a.e) < 1e15 && Math.abs(b.e) < 1e15)) return undefined;
  const m = xd.length;
  const n = yd.length;
  if (m > MAX_WORDS || n > MAX_WORDS) return undefined;
  // Word k of the product (lowest first) collects x's and y's words i, j with (m−1−i) + (n−1−j) = k.
  const words = scratch;
  const len = m + n - 1;
  sums.fill(0, 0, len + 1);
  for (let i = 0; i < m; i++) {
    const xi = xd[i] as number;
    for (let j = 0; j < n; j++) {
      const k = len - 1 - i - j;
      sums[k] = (sums[k] as number) + xi * (yd[j] as number);
    }
  }
  let carry = 0;
  for (let k = 0; k <= len; k++) {
    const v = (sums[k] as number) + carry;
    carry = Math.floor(v / BASE);
    words[k] = (v - carry * BASE) | 0;
  }
  let hi = len;
  while (words[hi] === 0) hi -= 1;
  // Word index (as in the layout: word w holds 10^(7w) … 10^(7w+6)) of the product's lowest word.
  const low = Math.floor(a.e / WORD) - m + 1 + (Math.floor(b.e / WORD) - n + 1);
  return decimalOfWords(a.s * b.s, words, hi, low);
}
