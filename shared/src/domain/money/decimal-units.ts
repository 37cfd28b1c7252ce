import { Decimal } from './decimal';

/**
 * Exact fixed-point views of decimals as safe integers ("units" of 10^-scale), for the hot paths of
 * the simulation and risk checks: a price × volume or a tick test on safe integers costs a few
 * nanoseconds where decimal.js allocates and normalises every intermediate. Every conversion is
 * exact or refuses (undefined), and callers then take the decimal path, so results never change.
 *
 * decimal.js (v10) keeps a finite value as sign `s`, exponent `e` of its leading digit and the digits
 * `d` in base 10^7 words aligned on multiples of 7 in the exponent (word k holds the digits of
 * 10^(7k) … 10^(7k+6)), leading word without leading zeros, no trailing zero words. Both functions
 * read or write that layout directly; `decimal-units.test.ts` checks them against decimal.js's own
 * parser and arithmetic, so a change of layout in a future release fails the tests, not the money.
 */

const WORD = 7;
const BASE = 1e7;
/** Exact powers of ten as doubles (10^0 … 10^22 are all exactly representable). */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

interface DecimalLayout {
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
  return s < 0 ? -n : n;
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
function assemble(s: number, e: number, d: number[]): Decimal {
  prototype ??= Decimal.prototype;
  const x = Object.create(prototype) as { constructor: unknown; s: number; e: number; d: number[] };
  x.constructor = Decimal;
  x.s = s;
  x.e = e;
  x.d = d;
  return x as unknown as Decimal;
}

/**
 * `new Decimal(x).times(n).toDecimalPlaces(0, floor)` for a non-negative double `x` and a safe
 * integer `n`: the floor of the product of x's decimal (its shortest text) and n. The product is
 * taken in doubles, whose error (with that of x against its decimal) stays below
 * 3·10^-16 of the product; when the fractional part is farther than that from 0 and 1 the floor is
 * certain, otherwise (and for anything unusual) it is computed in decimal.
 */
export function floorOfProduct(x: number, n: number): Decimal {
  if (Number.isFinite(x) && x >= 0 && Number.isSafeInteger(n) && n >= 0) {
    const p = x * n;
    if (p < 2 ** 52) {
      const k = Math.floor(p);
      const frac = p - k;
      const margin = p * 1e-15 + 1e-300;
      if (frac > margin && frac < 1 - margin) return decimalOfUnits(k, 0);
      // Near a whole number (0.55 × 10^6): decide on x's digits, exactly.
      const exact = floorOfShortTimes(x, n);
      if (exact !== undefined) return decimalOfUnits(exact, 0);
    }
  }
  return new Decimal(x).times(n).toDecimalPlaces(0, Decimal.ROUND_FLOOR);
}

const PLAIN_DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * floor(x's shortest decimal × n) in safe integers, when that decimal has few enough digits
 * (`0.55` is 55 × 10^-2); undefined otherwise.
 */
function floorOfShortTimes(x: number, n: number): number | undefined {
  const m = PLAIN_DECIMAL.exec(String(x));
  if (m === null) return undefined;
  const fraction = m[2] ?? '';
  const digits = (m[1] as string) + fraction;
  if (digits.length > 15 || fraction.length > 22) return undefined;
  const product = Number(digits) * n;
  if (!(product <= Number.MAX_SAFE_INTEGER)) return undefined;
  const scale = POW10[fraction.length] as number;
  return (product - (product % scale)) / scale;
}

/**
 * `x.toNumber()`, without decimal.js's trip through text when x has at most 8 decimals and fits a
 * safe integer at that scale: units over a power of ten is one correctly rounded division, the same
 * double as parsing the decimal's text.
 */
export function numberOf(x: Decimal): number {
  const whole = unitsOf(x, 0);
  if (whole !== undefined) return whole;
  const units = unitsOf(x, 8);
  return units === undefined ? x.toNumber() : units / 1e8;
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

/**
 * `x.cmp(y)` (1, −1, 0, or NaN when either is NaN), read from both layouts without what decimal.js
 * does first: copy `y` into a new decimal (allocating and slicing its digits) on every comparison.
 * The same steps as decimal.js's `comparedTo`; non-finite values and exponents beyond ±10^15
 * (where the copy would clamp) are left to decimal.js.
 */
export function compareDecimals(x: Decimal, y: Decimal): number {
  const a = x as unknown as DecimalLayout;
  const b = y as unknown as DecimalLayout;
  const xd = a.d;
  const yd = b.d;
  if (xd === null || yd === null || !(Math.abs(a.e) < 1e15 && Math.abs(b.e) < 1e15)) return x.cmp(y);
  const xs = a.s;
  const ys = b.s;
  if (!xd[0] || !yd[0]) return xd[0] ? xs : yd[0] ? -ys : 0;
  if (xs !== ys) return xs;
  if (a.e !== b.e) return a.e > b.e !== xs < 0 ? 1 : -1;
  const xdL = xd.length;
  const ydL = yd.length;
  const n = Math.min(xdL, ydL);
  for (let i = 0; i < n; i++) {
    const xi = xd[i] as number;
    const yi = yd[i] as number;
    if (xi !== yi) return xi > yi !== xs < 0 ? 1 : -1;
  }
  return xdL === ydL ? 0 : xdL > ydL !== xs < 0 ? 1 : -1;
}

/** `x.gt(y)` without decimal.js's copy of `y` (see {@link compareDecimals}). */
export function decimalGt(x: Decimal, y: Decimal): boolean {
  return compareDecimals(x, y) > 0;
}

/** `x.lt(y)` without decimal.js's copy of `y`. */
export function decimalLt(x: Decimal, y: Decimal): boolean {
  return compareDecimals(x, y) < 0;
}

/** `x.gte(y)` without decimal.js's copy of `y`. */
export function decimalGte(x: Decimal, y: Decimal): boolean {
  const k = compareDecimals(x, y);
  return k === 1 || k === 0;
}

/** `x.lte(y)` without decimal.js's copy of `y`. */
export function decimalLte(x: Decimal, y: Decimal): boolean {
  return compareDecimals(x, y) < 1;
}

/**
 * `a.plus(b).gt(limit)` without building the sum: decided on doubles when the double sum is more
 * than 1e-9 × (|a| + |b| + |limit|) away from the limit (each double is within a few ulps, ~1e-15
 * relative, of its decimal, so the decision is certain; not so for magnitudes near the ends of the
 * double range, which always go to decimal.js), otherwise by decimal.js. For limit checks
 * that run on every order (exposure after a lock) and almost never sit at the limit.
 */
export function sumExceeds(a: Decimal, b: Decimal, limit: Decimal): boolean {
  const x = approximately(a);
  const y = approximately(b);
  const l = approximately(limit);
  const gap = x + y - l;
  const margin = 1e-9 * (Math.abs(x) + Math.abs(y) + Math.abs(l));
  // Near the double range's ends (subnormals, overflow) the doubles are not that close: decimal.
  if (!(margin >= 1e-250 && margin < 1e250)) return a.plus(b).gt(limit);
  if (gap > margin) return true;
  if (gap < -margin) return false;
  return a.plus(b).gt(limit);
}

/** Zero or a magnitude well inside the double range (no closure per call: see shortfallReaches). */
function inRange(v: number): boolean {
  return v === 0 || (Math.abs(v) >= 1e-250 && Math.abs(v) < 1e250);
}

/**
 * `a.minus(b).div(a).gte(limit)` for a > 0 (a loss fraction against its limit) without the
 * division: the double quotient q is within ~1e-15 × (2 + 2|q|) of the exact one (a and b each
 * within a few ulps), so it decides when it is more than 1e-9 × (1 + |q|) from the limit; closer,
 * or with magnitudes near the ends of the double range, the decimal expression itself decides.
 */
export function shortfallReaches(a: Decimal, b: Decimal, limit: Decimal): boolean {
  const x = approximately(a);
  const y = approximately(b);
  const l = approximately(limit);
  const q = (x - y) / x;
  if (x > 0 && inRange(x) && inRange(y) && inRange(l) && Number.isFinite(q)) {
    const margin = 1e-9 * (1 + Math.abs(q));
    if (q - l > margin) return true;
    if (q - l < -margin) return false;
  }
  return a.minus(b).div(a).gte(limit);
}

/**
 * `x.times(decimalFromNumber(f)).toDecimalPlaces(0, floor)` for a decimal x ≥ 0 and a double
 * f ≥ 0: the product is estimated in doubles (x to a few ulps, f against its shortest text to half
 * an ulp), and when its fractional part is safely inside (0, 1) the floor is certain; otherwise,
 * and for anything unusual, it is computed in decimal.
 */
export function floorOfDecimalTimes(x: Decimal, f: number): Decimal {
  if (Number.isFinite(f) && f >= 0) {
    const p = approximately(x) * f;
    if (p >= 0 && p < 2 ** 52) {
      const k = Math.floor(p);
      const frac = p - k;
      const margin = p * 1e-14 + 1e-300;
      if (frac > margin && frac < 1 - margin) return decimalOfUnits(k, 0);
    }
  }
  return x.times(new Decimal(String(f))).toDecimalPlaces(0, Decimal.ROUND_FLOOR);
}

/** Scales tried for the operands of {@link floorOfQuotient}: whole numbers, then 8 decimals. */
function unitsAtSmallScale(x: Decimal): readonly [units: number, scale: number] | undefined {
  const whole = unitsOf(x, 0);
  if (whole !== undefined) return [whole, 0];
  const fine = unitsOf(x, 8);
  return fine === undefined ? undefined : [fine, 8];
}

/**
 * `x.div(y).toDecimalPlaces(places, ROUND_DOWN)` for x ≥ 0 and y > 0 (`places` 0–8), the same
 * decimal, in safe integers when both operands have at most 8 decimals and the scaled dividend
 * stays below 2^53: floor(xu · 10^k / yu) with its remainder checked, so the floor is exact.
 * decimal.js rounds the quotient to 40 significant digits before flooring, which could only differ
 * when the quotient lies within 10^-38 (relative) below a multiple of 10^-places; a remainder is at
 * least 1/yu of a unit below it, and yu · quotient < 2^106 < 10^32, so the two always agree.
 * Anything else takes decimal.js's path.
 */
export function floorOfQuotient(x: Decimal, y: Decimal, places: number): Decimal {
  const a = unitsAtSmallScale(x);
  const b = a === undefined ? undefined : unitsAtSmallScale(y);
  if (a !== undefined && b !== undefined && a[0] >= 0 && b[0] > 0 && places >= 0 && places <= 8) {
    const yu = b[0];
    const k = places + b[1] - a[1];
    const n = k >= 0 ? a[0] * (POW10[k] as number) : Number.NaN;
    if (n + yu <= Number.MAX_SAFE_INTEGER) {
      let q = Math.floor(n / yu);
      let r = n - q * yu;
      if (r < 0) {
        q -= 1;
        r += yu;
      } else if (r >= yu) {
        q += 1;
      }
      return decimalOfUnits(q, places);
    }
  }
  const wide =
    places >= 0 && places <= 8
      ? (floorOfWideQuotient(x, y, places) ?? floorOfNearQuotient(x, y, places))
      : undefined;
  return wide ?? x.div(y).toDecimalPlaces(places, Decimal.ROUND_DOWN);
}

/**
 * `floorOfQuotient(decimalFromNumber(f), y, places)` for a double f > 0 (a quote size in KRW)
 * without building f's decimal, or undefined when that is not certain (the caller then builds it).
 * f's shortest decimal is within half an ulp of f and y's double within a few ulps of y, so the
 * double quotient × 10^places is within ~1e-15 (relative) of the exact one; when its fractional
 * part is more than 1e-13 (relative) from a whole number, both floors are its floor (decimal.js's
 * 40-digit rounding of the quotient moves it by 1e-40 relative). `places` from 0 to 8.
 */
export function floorOfNumberOver(f: number, y: Decimal, places: number): Decimal | undefined {
  if (!(f >= 1e-250 && f < 1e250 && places >= 0 && places <= 8)) return undefined;
  const b = approximately(y);
  if (!(b >= 1e-250 && b < 1e250)) return undefined;
  return floorWithMargin((f / b) * (POW10[places] as number), places);
}

/** floor(q) as units at `places` when q's fractional part is surely inside (0, 1), else undefined. */
function floorWithMargin(q: number, places: number): Decimal | undefined {
  if (!(q >= 0 && q < 2 ** 52)) return undefined;
  const k = Math.floor(q);
  const frac = q - k;
  const margin = q * 1e-13 + 1e-300;
  return frac > margin && frac < 1 - margin ? decimalOfUnits(k, places) : undefined;
}

/**
 * {@link floorOfQuotient}'s last chance before decimal.js, for operands too long for safe integers
 * (a KRW size of 17 digits from a double): the quotient × 10^places in doubles, each operand within
 * a few ulps of its decimal ({@link approximately}), so within ~1e-15 of the exact value relative;
 * when its fractional part is more than 1e-13 (relative) from a whole number the floor is certain,
 * and so is decimal.js's (its 40-digit rounding of the quotient moves it by 1e-40 relative, which
 * cannot cross a multiple that far away). Undefined otherwise: decimal.js decides.
 */
function floorOfNearQuotient(x: Decimal, y: Decimal, places: number): Decimal | undefined {
  const a = approximately(x);
  const b = approximately(y);
  if (!(a >= 1e-250 && a < 1e250 && b >= 1e-250 && b < 1e250)) return undefined;
  return floorWithMargin((a / b) * (POW10[places] as number), places);
}

/**
 * {@link floorOfQuotient}'s second chance, for operands with more than 8 decimals (a KRW size
 * that came from a double, e.g. 100,000 × 0.7² = 48999.99999999999): each operand as a safe
 * integer at its own number of decimals (up to 15), the quotient floor(n / d) with n and d the
 * operands scaled to a common grid (the divisor scaled up when the dividend has more decimals than
 * the result needs). Same remainder check and the same argument against decimal.js's 40 digits as
 * above (d · quotient ≤ n + d < 2^53). Undefined when anything does not fit.
 */
function floorOfWideQuotient(x: Decimal, y: Decimal, places: number): Decimal | undefined {
  const px = placesOf(x);
  const py = placesOf(y);
  if (px === undefined || py === undefined || px > 15 || py > 15) return undefined;
  const xu = unitsOf(x, px);
  const yu = unitsOf(y, py);
  if (xu === undefined || yu === undefined || !(xu >= 0 && yu > 0)) return undefined;
  const k = places + py - px;
  const n = k >= 0 ? xu * (POW10[k] as number) : xu;
  const d = k >= 0 ? yu : yu * (POW10[-k] as number);
  if (!(n + d <= Number.MAX_SAFE_INTEGER)) return undefined;
  let q = Math.floor(n / d);
  const r = n - q * d;
  if (r < 0) q -= 1;
  else if (r >= d) q += 1;
  return decimalOfUnits(q, places);
}

/** Digits after the point of a finite decimal (0 for whole numbers), read from its layout. */
function placesOf(x: Decimal): number | undefined {
  const { e, d } = x as unknown as DecimalLayout;
  if (d === null) return undefined;
  const last = d.length - 1;
  const w = d[last] as number;
  if (w === 0) return 0;
  const lowest = WORD * (Math.floor(e / WORD) - last) + trailingZeros(w);
  return lowest >= 0 ? 0 : -lowest;
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
