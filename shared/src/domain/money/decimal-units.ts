import { Decimal } from './decimal';
import { type Layout, longDecimalToDouble } from './decimal-doubles';

/**
 * Exact fixed-point views of decimals as safe integers ("units" of 10^-scale), for the hot paths of
 * the simulation and risk checks: a price × volume or a tick test on safe integers costs a few
 * nanoseconds where decimal.js allocates and normalises every intermediate. Every conversion is
 * exact or refuses (undefined), and callers then take the decimal path, so results never change.
 *
 * decimal.js (v10) keeps a finite value as sign `s`, exponent `e` of its leading digit and the digits
 * `d` in base 10^7 words aligned on multiples of 7 in the exponent (word k holds the digits of
 * 10^(7k) … 10^(7k+6)), leading word without leading zeros, no trailing zero words. These functions
 * (and decimal-compare.ts, decimal-floors.ts, decimal-sums.ts) read or write that layout directly;
 * their tests check them against decimal.js's own parser and arithmetic, so a change of layout in a
 * future release fails the tests, not the money.
 */

const WORD = 7;
const BASE = 1e7;
/** Exact powers of ten as doubles (10^0 … 10^22 are all exactly representable). */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** decimal.js's own fields of a value (see the module comment), as the fast paths read them. */
export interface DecimalLayout {
  readonly s: number;
  readonly e: number;
  readonly d: readonly number[] | null;
}

/**
 * `x × 10^scale` as a safe integer when that is an exact integer within ±(2^53 − 1), else
 * undefined (more than `scale` decimals, too large, NaN or infinite).
 */
export function unitsOf(x: Decimal, scale: number): number | undefined {
  const { s, e, d } = x as unknown as DecimalLayout;
  if (d === null) return undefined;
  const top = d[0] as number;
  if (top === 0) return 0;
  const w0 = Math.floor(e / WORD);
  let n = 0;
  for (let j = 0; j < d.length; j++) {
    const w = d[j] as number;
    const p = WORD * (w0 - j) + scale;
    if (p >= 0) {
      if (p > 15) return undefined;
      n += w * (POW10[p] as number);
      if (n > Number.MAX_SAFE_INTEGER) return undefined;
    } else if (w !== 0) {
      if (p < -WORD) return undefined;
      const q = POW10[-p] as number;
      // As int32s (a word is below 10^7, q at most 10^7): a remainder of doubles is a library call.
      if ((w | 0) % (q | 0) !== 0) return undefined;
      n += w / q;
    }
  }
  // The fractional words add after the check above: a sum past 2^53 − 1 (rounded) is refused too.
  return n > Number.MAX_SAFE_INTEGER ? undefined : s < 0 ? -n : n;
}

/**
 * The decimal `units × 10^-scale` (`units` a safe integer, `scale` an integer from 0 to 60),
 * built without going through text: the same value and layout as `new Decimal(text)`.
 */
export function decimalOfUnits(units: number, scale: number): Decimal {
  if (!Number.isSafeInteger(units) || !Number.isInteger(scale) || scale < 0 || scale > 60)
    throw new RangeError(
      `decimalOfUnits needs a safe integer and a scale in [0, 60], got ${units}, ${scale}`,
    );
  if (units === 0) return assemble(1, 0, [0]);
  const m = units < 0 ? -units : units;
  // Word of the lowest digit (exponent −scale) and that digit's place inside the word.
  const lowWord = Math.floor(-scale / WORD);
  const offset = -scale - WORD * lowWord;
  // m = rest · span + low: the lowest word is low · 10^offset, the words above are rest's base-10^7
  // digits (at most three: m < 2^53 < 10^16).
  const span = POW10[WORD - offset] as number;
  let rest = floorDiv(m, span);
  // Words as int32 (all below 10^7), so digit arrays stay small-integer arrays.
  const w0 = ((m - rest * span) * (POW10[offset] as number)) | 0;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  let top = 0;
  if (rest > 0) {
    const r1 = floorDiv(rest, BASE);
    w1 = (rest - r1 * BASE) | 0;
    rest = r1;
    top = 1;
    if (rest > 0) {
      const r2 = floorDiv(rest, BASE);
      w2 = (rest - r2 * BASE) | 0;
      w3 = r2 | 0;
      top = r2 > 0 ? 3 : 2;
    }
  }
  const topWord = top === 0 ? w0 : top === 1 ? w1 : top === 2 ? w2 : w3;
  let digits = 1;
  while (digits < WORD && topWord >= (POW10[digits] as number)) digits += 1;
  // Digits from the top word down, without zero words below the lowest nonzero one.
  let tail = w0 !== 0 ? 0 : w1 !== 0 ? 1 : w2 !== 0 ? 2 : 3;
  if (tail > top) tail = top;
  return assemble(
    units < 0 ? -1 : 1,
    (lowWord + top) * WORD + digits - 1,
    wordsDown(w0, w1, w2, w3, top, tail),
  );
}

/**
 * The base-10^7 words of `m` × 10^-`scale` (`m` a positive safe integer, `scale` an integer from 0
 * to 60), lowest first into `out[0…3]` (zero words included), as decimalOfUnits splits them;
 * returns the word index of `out[0]` (see the module comment). For an exact sum with a decimal's
 * words (decimal-sums' sumOfUnits) without building the decimal of the units.
 */
export function wordsOfUnits(m: number, scale: number, out: number[]): number {
  const lowWord = Math.floor(-scale / WORD);
  const offset = -scale - WORD * lowWord;
  const span = POW10[WORD - offset] as number;
  const rest = floorDiv(m, span);
  out[0] = ((m - rest * span) * (POW10[offset] as number)) | 0;
  const r1 = floorDiv(rest, BASE);
  out[1] = (rest - r1 * BASE) | 0;
  const r2 = floorDiv(r1, BASE);
  out[2] = (r1 - r2 * BASE) | 0;
  out[3] = r2 | 0;
  return lowWord;
}

/** Words `top` down to `tail` of (w0, w1, w2, w3) as a packed array literal (no growth by push). */
function wordsDown(w0: number, w1: number, w2: number, w3: number, top: number, tail: number): number[] {
  switch (top * 4 + tail) {
    case 0:
      return [w0];
    case 4:
      return [w1, w0];
    case 5:
      return [w1];
    case 8:
      return [w2, w1, w0];
    case 9:
      return [w2, w1];
    case 10:
      return [w2];
    case 12:
      return [w3, w2, w1, w0];
    case 13:
      return [w3, w2, w1];
    case 14:
      return [w3, w2];
    default:
      return [w3];
  }
}

/**
 * floor(n / d) for a safe integer n ≥ 0 and 1 ≤ d ≤ 10^7: the double quotient, corrected by one
 * when its rounding crossed a whole number (n − q·d is exact: |n − q·d| < 2d and q·d ≤ n + d, and
 * with n ≥ 2^53 − 2·10^7 the exact remainder is taken instead).
 */
function floorDiv(n: number, d: number): number {
  if (n > FLOOR_DIV_LIMIT) return (n - (n % d)) / d;
  const q = Math.floor(n / d);
  const r = n - q * d;
  return r < 0 ? q - 1 : r >= d ? q + 1 : q;
}

const FLOOR_DIV_LIMIT = Number.MAX_SAFE_INTEGER - 2e7;

// Read on first use, not at load: decimal.ts imports this module (for whole numbers).
let prototype: object | undefined;

/**
 * A decimal from its parts, with the own properties decimal.js's constructor gives every instance,
 * in its order (`constructor`, `s`, `e`, `d`). The constructor itself costs ~150 ns per call even
 * for a small integer; this costs a few.
 */
export function assemble(s: number, e: number, d: number[]): Decimal {
  prototype ??= Decimal.prototype;
  const x = Object.create(prototype) as { constructor: unknown; s: number; e: number; d: number[] };
  x.constructor = Decimal;
  x.s = s;
  // As a small integer whenever it is one (always, in practice): an exponent computed in double
  // arithmetic (a word count times 7) reaches here as a boxed number even when whole, and one such
  // store turns the field into a double field for every decimal built here, each then carrying a
  // heap-allocated box for its exponent (16 bytes of its ~130, and an indirection on every read).
  const small = e | 0;
  x.e = small === e ? small : e;
  x.d = d;
  return x as unknown as Decimal;
}

/**
 * `x.toNumber()` (but +0 for −0), without decimal.js's trip through text: the same double as
 * parsing the decimal's text, which is the one nearest to its value. Up to three words (21
 * digits) whose digits form a safe integer n: n itself, n times an exact power of ten when that
 * stays a safe integer, or n over an exact power of ten (≤ 10^22) — one correctly rounded
 * division; longer decimals (costs at 20 decimals, PnL sums) go through
 * {@link longDecimalToDouble}, and only what neither decides through decimal.js.
 */
export function numberOf(x: Decimal): number {
  const layout = x as unknown as DecimalLayout;
  const d = layout.d;
  if (d === null) return x.toNumber();
  if (d[0] === 0) return 0;
  const last = d.length - 1;
  if (last <= 2) {
    let n = d[0] as number;
    for (let j = 1; j <= last; j++) n = n * BASE + (d[j] as number);
    // Exponent of the last word's lowest digit: x = n × 10^low.
    const low = WORD * (Math.floor(layout.e / WORD) - last);
    if (n <= Number.MAX_SAFE_INTEGER) {
      if (low < 0 && low >= -22) return (layout.s < 0 ? -n : n) / (POW10[-low] as number);
      const v = low >= 0 && low <= 15 ? n * (POW10[low] as number) : Number.POSITIVE_INFINITY;
      if (v <= Number.MAX_SAFE_INTEGER) return layout.s < 0 ? -v : v;
    }
  }
  const long = longDecimalToDouble(layout as Layout);
  return long ?? x.toNumber();
}

/**
 * x as a double to within a few ulps (not the correctly rounded toNumber(), and not even that near
 * the ends of the double range): for deciding bounds with a margin far wider than that error, with
 * an exact fallback. NaN for NaN and infinities.
 */
export function approximately(x: Decimal): number {
  const { s, e, d } = x as unknown as DecimalLayout;
  if (d === null) return Number.NaN;
  const w0 = Math.floor(e / WORD);
  let sum = 0;
  for (let j = 0; j < d.length; j++) {
    const k = w0 - j;
    // 10^(7k) from a table of correctly rounded powers (Math.pow costs more than the rest).
    const scale =
      k >= -WORD_POW_SPAN && k <= WORD_POW_SPAN ? (WORD_POW[k + WORD_POW_SPAN] as number) : 10 ** (WORD * k);
    sum += (d[j] as number) * scale;
  }
  return s < 0 ? -sum : sum;
}

/** 10^(7k) for k in [−WORD_POW_SPAN, WORD_POW_SPAN], each the double nearest to it (parsed from text). */
const WORD_POW_SPAN = 44;
const WORD_POW: readonly number[] = Array.from({ length: 2 * WORD_POW_SPAN + 1 }, (_, i) =>
  Number(`1e${WORD * (i - WORD_POW_SPAN)}`),
);

/** Digits after the point of a finite decimal (0 for whole numbers), read from its layout. */
export function placesOf(x: Decimal): number | undefined {
  const { e, d } = x as unknown as DecimalLayout;
  if (d === null) return undefined;
  const last = d.length - 1;
  const w = d[last] as number;
  if (w === 0) return 0;
  const lowest = WORD * (Math.floor(e / WORD) - last) + trailingZeros(w);
  return lowest >= 0 ? 0 : -lowest;
}

/** Significant digits of a finite decimal (1 for zero), read from its layout; Infinity for NaN and infinities. */
export function significantDigits(x: Decimal): number {
  const { e, d } = x as unknown as DecimalLayout;
  if (d === null) return Number.POSITIVE_INFINITY;
  const last = d.length - 1;
  const w = d[last] as number;
  if (w === 0) return 1;
  return e - (WORD * (Math.floor(e / WORD) - last) + trailingZeros(w)) + 1;
}

/**
 * Trailing zero digits of a nonzero word (below 10^7): a chain of remainders by constants, which
 * compile to multiplications, instead of a loop dividing the word.
 */
export function trailingZeros(word: number): number {
  // As an int32 (words are below 10^7): remainders of a double would each be a library call.
  const w = word | 0;
  if (w % 10 !== 0) return 0;
  if (w % 100 !== 0) return 1;
  if (w % 1000 !== 0) return 2;
  if (w % 10_000 !== 0) return 3;
  if (w % 100_000 !== 0) return 4;
  return w % 1_000_000 !== 0 ? 5 : 6;
}

/**
 * `x.times(y)`, the same decimal, as one product of safe integers when both operands fit safe
 * integers at their own number of decimals and the product does too (a price × an 8-decimal
 * volume): exact, and decimal.js's 40 significant digits hold every such product, so nothing is
 * rounded on either path. Zero products and anything larger go through decimal.js (which keeps the
 * sign of a zero).
 */
export function productOf(x: Decimal, y: Decimal): Decimal {
  const dx = placesOf(x);
  const dy = dx === undefined ? undefined : placesOf(y);
  if (dx !== undefined && dy !== undefined && dx <= 22 && dy <= 22) {
    const xu = unitsOf(x, dx);
    const yu = xu === undefined ? undefined : unitsOf(y, dy);
    if (xu !== undefined && yu !== undefined) {
      const p = xu * yu;
      if (p !== 0 && Number.isSafeInteger(p)) return decimalOfUnits(p, dx + dy);
    }
  }
  return x.times(y);
}
