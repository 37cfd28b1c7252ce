import type { Decimal } from './decimal';
import { assemble, type DecimalLayout, numberOf, placesOf, unitsOf } from './decimal-units';
import { floorQuotient } from './floor-quotient';

/**
 * `numberOf(x.div(y))` — the double of decimal.js's quotient at its 40 significant digits, rounded
 * half-even (the project's Decimal settings) — by a short division when the divisor is a small
 * integer at its own scale (a volume of up to ~5 coins at 8 decimals), instead of decimal.js's
 * general long division. The strategy context converts a position's average entry (cost at up to
 * 20 decimals ÷ volume) to a double after nearly every fill of market making.
 *
 * Method, exact throughout: y = Y · 10^-p with Y < 2^29 a whole number, p = 7a + b (0 ≤ b < 7),
 * so x / y = (x · 10^b / Y) · 10^(7a). x · 10^b keeps decimal.js's base-10^7 word alignment (see
 * `decimal-units.ts`), and dividing its words by Y one at a time (remainder · 10^7 + word stays
 * below 2^53) yields the quotient's own aligned words, continued past the dividend's last word
 * until 41 significant digits are known; the digits beyond the 40th and whether anything remained
 * decide the half-even rounding exactly as decimal.js's correctly rounded division does, since
 * rounding to significant digits does not depend on the power of ten. The rounded words are a
 * decimal in decimal.js's layout, read by `numberOf`. Anything else goes through decimal.js.
 */
export function quotientNumber(x: Decimal, y: Decimal): number {
  const q = shortQuotient(x, y);
  return q === undefined ? numberOf(x.div(y)) : numberOf(q);
}

/**
 * decimal.js's `x.div(y)` (40 significant digits, half-even), the same value and layout, when the
 * short division applies (see {@link quotientNumber}); undefined otherwise.
 */
export function shortQuotient(x: Decimal, y: Decimal): Decimal | undefined {
  const a = x as unknown as DecimalLayout;
  const xd = a.d;
  if (xd === null || xd[0] === 0 || xd.length > MAX_WORDS || !(Math.abs(a.e) < 1e9)) return undefined;
  const p = placesOf(y);
  if (p === undefined) return undefined;
  const units = unitsOf(y, p);
  if (units === undefined || units === 0) return undefined;
  const divisor = units < 0 ? -units : units;
  if (divisor >= MAX_DIVISOR) return undefined;
  const wordShift = Math.floor(p / WORD);
  const scale = POW10[p - WORD * wordShift] as number;
  // The dividend's words times 10^b, lowest last, with room for a carry word on top (index 0).
  const n = xd.length;
  let carry = 0;
  for (let j = n - 1; j >= 0; j--) {
    const v = (xd[j] as number) * scale + carry;
    carry = Math.floor(v / BASE);
    dividend[j + 1] = v - carry * BASE;
  }
  dividend[0] = carry;
  const words = n + 1;
  // Word index (power 10^(7·index)) of dividend[0]; quotient word k has index firstIndex − k.
  const firstIndex = Math.floor(a.e / WORD) + 1;
  let r = 0;
  let count = 0;
  let digits = 0;
  let topIndex = 0;
  let k = 0;
  for (; k < MAX_STEPS; k++) {
    const cur = r * BASE + (k < words ? (dividend[k] as number) : 0);
    const q = floorQuotient(cur, divisor);
    r = cur - q * divisor;
    if (count === 0) {
      if (q !== 0) {
        topIndex = firstIndex - k;
        digits = digitCount(q);
        quotient[count++] = q;
      }
    } else {
      digits += WORD;
      quotient[count++] = q;
    }
    if (k + 1 >= words && r === 0) break;
    if (digits >= PRECISION + 1) break;
  }
  if (k >= MAX_STEPS) return undefined;
  // Anything left below the digits made: a remainder, or dividend words not yet brought down.
  let sticky = r !== 0;
  for (let j = k + 1; j < words && !sticky; j++) if ((dividend[j] as number) !== 0) sticky = true;
  // Half-even rounding to 40 significant digits: `drop` (1 … 7) digits go from the last word.
  const drop = digits - PRECISION;
  if (drop > 0) {
    const last = count - 1;
    const w = quotient[last] as number;
    if (drop === WORD) {
      // The whole last word is below the 40th digit, the last digit of the word above.
      count -= 1;
      const half = BASE / 2;
      if (w > half || (w === half && (sticky || ((quotient[last - 1] as number) & 1) === 1)))
        roundUp(last - 1, 1);
    } else {
      const unit = POW10[drop] as number;
      const kept = Math.floor(w / unit);
      const rest = w - kept * unit;
      const half = unit / 2;
      quotient[last] = kept * unit;
      if (rest > half || (rest === half && (sticky || (kept & 1) === 1))) roundUp(last, unit);
    }
  }
  return build(a.s * (units < 0 ? -1 : 1), topIndex + wordShift, count);
}

/** Adds `amount` to quotient word `index`, carrying upwards (the top word may reach 10^7). */
function roundUp(index: number, amount: number): void {
  let i = index;
  let v = (quotient[i] as number) + amount;
  while (v >= BASE && i > 0) {
    quotient[i] = v - BASE;
    i -= 1;
    v = (quotient[i] as number) + 1;
  }
  quotient[i] = v;
}

/** Quotient words 0 … count − 1 (top word at `index`) as a decimal in decimal.js's layout. */
function build(sign: number, index: number, count: number): Decimal {
  const out: number[] = [];
  let top = index;
  const first = quotient[0] as number;
  if (first >= BASE) {
    // A carry out of the top word (…9999 rounded up): one more word on top.
    out.push(1, first - BASE);
    top += 1;
  } else out.push(first);
  for (let j = 1; j < count; j++) out.push(quotient[j] as number);
  // decimal.js keeps no zero words below the lowest nonzero one.
  let end = out.length;
  while (end > 1 && out[end - 1] === 0) end -= 1;
  out.length = end;
  return assemble(sign, WORD * top + digitCount(out[0] as number) - 1, out);
}

function digitCount(word: number): number {
  let k = 1;
  while (k < WORD && word >= (POW10[k] as number)) k += 1;
  return k;
}

const WORD = 7;
const BASE = 1e7;
const PRECISION = 40;
/** Divisors below 2^29: remainder · 10^7 + a word stays below 2^53. */
const MAX_DIVISOR = 2 ** 29;
/** Longest dividend read (decimal.js values have at most 6 words at 40 digits; sums a few more). */
const MAX_WORDS = 12;
/** Division steps at most (leading zero words, then 41 digits): a bound, never reached. */
const MAX_STEPS = 40;
const POW10: readonly number[] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000];
// Working words (reused: a division never runs inside another).
const dividend: number[] = new Array(MAX_WORDS + 1).fill(0);
const quotient: number[] = new Array(16).fill(0);
