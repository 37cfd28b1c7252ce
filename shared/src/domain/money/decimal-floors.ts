import { Decimal } from './decimal';
import { approximately, decimalOfUnits, POW10, placesOf, unitsOf } from './decimal-units';
import { floorQuotient } from './floor-quotient';

// Floors of products and quotients (order sizes: a budget over a price, a size times a fraction)
// in safe integers or decided on doubles with a proven margin, each exactly the decimal that
// decimal.js's expression gives (decimal-floors.test.ts holds them to it); anything unusual takes
// decimal.js's path.

/**
 * `new Decimal(x).times(n).toDecimalPlaces(0, floor)` for a non-negative double `x` and a safe
 * integer `n`: the floor of the product of x's decimal (its shortest text) and n. The product is
 * taken in doubles, whose error (with that of x against its decimal) stays below
 * 3·10^-16 of the product; when the fractional part is farther than that from 0 and 1 the floor is
 * certain, otherwise (and for anything unusual) it is computed in decimal.
 */
export function floorOfProduct(x: number, n: number): Decimal {
  const k = floorUnitsOfProduct(x, n);
  if (k !== undefined) return decimalOfUnits(k, 0);
  return new Decimal(x).times(n).toDecimalPlaces(0, Decimal.ROUND_FLOOR);
}

/**
 * {@link floorOfProduct}'s floor as a safe integer, or undefined where floorOfProduct
 * takes decimal.js's path: the same argument, without the decimal. With n = 10^8 it is the
 * 1e-8 units of `floorVolume(decimalFromNumber(x))` (decimalFromNumber is that shortest text too).
 */
export function floorUnitsOfProduct(x: number, n: number): number | undefined {
  if (!(Number.isFinite(x) && x >= 0 && Number.isSafeInteger(n) && n >= 0)) return undefined;
  const p = x * n;
  if (!(p < 2 ** 52)) return undefined;
  const k = Math.floor(p);
  const frac = p - k;
  const margin = p * 1e-15 + 1e-300;
  if (frac > margin && frac < 1 - margin) return k;
  // Near a whole number (0.55 × 10^6): decide on x's digits, exactly.
  return floorOfShortTimes(x, n);
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
  const scale = POW10[fraction.length] as number;
  // n a multiple of the decimal's scale (10^8 times 1.23456789): the product is a whole number,
  // digits × (n / scale), found without the wider digits × n.
  if (n % scale === 0) {
    const whole = Number(digits) * (n / scale);
    return whole <= Number.MAX_SAFE_INTEGER ? whole : undefined;
  }
  const product = Number(digits) * n;
  if (!(product <= Number.MAX_SAFE_INTEGER)) return undefined;
  return (product - (product % scale)) / scale;
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
      return decimalOfUnits(floorQuotient(n, yu), places);
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

/**
 * {@link floorOfNumberOver}'s units: `floor(f / b × 10^places)` as a safe integer for a divisor
 * `b` that is exactly its decimal (a whole number below 2^53, say), the very units of the decimal
 * floorOfNumberOver returns; undefined where it returns undefined.
 */
export function floorUnitsOfNumberOver(f: number, b: number, places: number): number | undefined {
  if (!(f >= 1e-250 && f < 1e250 && places >= 0 && places <= 8)) return undefined;
  if (!(b >= 1e-250 && b < 1e250)) return undefined;
  return floorUnitsWithMargin((f / b) * (POW10[places] as number));
}

/** floor(q) as units at `places` when q's fractional part is surely inside (0, 1), else undefined. */
function floorWithMargin(q: number, places: number): Decimal | undefined {
  const k = floorUnitsWithMargin(q);
  return k === undefined ? undefined : decimalOfUnits(k, places);
}

function floorUnitsWithMargin(q: number): number | undefined {
  if (!(q >= 0 && q < 2 ** 52)) return undefined;
  const k = Math.floor(q);
  const frac = q - k;
  const margin = q * 1e-13 + 1e-300;
  return frac > margin && frac < 1 - margin ? k : undefined;
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
  return decimalOfUnits(floorQuotient(n, d), places);
}
