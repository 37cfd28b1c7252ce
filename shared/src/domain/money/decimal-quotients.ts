import { type Decimal, Decimal as DecimalClass } from './decimal';
import { assemble, type DecimalLayout } from './decimal-units';

/**
 * Quotients of decimals on integer units (bigint), exactly as decimal.js rounds them: its `div`
 * of two 20–40 digit values costs 5–10 µs (long division in base 10^7 with a normalisation and
 * copies), and the simulation divides on every sell (the average cost released) and every new
 * position (its average entry price). Here the operands' digits become bigint units, the quotient
 * is one bigint division with its remainder, and it is rounded to decimal.js's 40 significant
 * digits, half to even (its configured rounding), the remainder deciding ties: decimal.js's
 * arithmetic is correctly rounded, so that is its result, value and layout.
 * `decimal-quotients.test.ts` compares both on random operands and on exact ties.
 */

const WORD = 7;
const PRECISION = 40;
/** 10^0 … 10^120 as bigints (the usual scales); larger ones are computed. */
const BIG_POW10: readonly bigint[] = Array.from({ length: 121 }, (_, i) => 10n ** BigInt(i));

function pow10(n: number): bigint {
  return n < BIG_POW10.length ? (BIG_POW10[n] as bigint) : 10n ** BigInt(n);
}
const BIG_CHUNK = 100_000_000_000_000n;

/** A nonnegative integer `units × 10^-scale` (scale may be negative) read from a finite decimal. */
interface Units {
  units: bigint;
  scale: number;
}

/** |x| as bigint units, or undefined for NaN, infinities and zero (left to decimal.js). */
function unitsOfLayout(x: Decimal): Units | undefined {
  const { e, d } = x as unknown as DecimalLayout;
  if (d === null || d[0] === 0 || !(Math.abs(e) < 1e6) || d.length > 12) return undefined;
  const last = d.length - 1;
  // Two words at a time (below 10^14, exact as doubles) to halve the bigint steps.
  let units = (last & 1) === 0 ? BigInt(d[0] as number) : BigInt((d[0] as number) * 1e7 + (d[1] as number));
  for (let j = (last & 1) === 0 ? 1 : 2; j < last; j += 2)
    units = units * BIG_CHUNK + BigInt((d[j] as number) * 1e7 + (d[j + 1] as number));
  return { units, scale: -WORD * (Math.floor(e / WORD) - last) };
}

/** Decimal digits of a positive bigint. */
function digitCount(n: bigint): number {
  return n.toString().length;
}

/**
 * `units / 10^drop` rounded half to even, `sticky` meaning a nonzero remainder below the dropped
 * digits (so an apparent tie is above it).
 */
function roundOff(units: bigint, drop: number, sticky: boolean): bigint {
  if (drop <= 0) return units;
  const pow = pow10(drop);
  const q = units / pow;
  const twice = (units - q * pow) * 2n;
  if (twice > pow || (twice === pow && (sticky || (q & 1n) === 1n))) return q + 1n;
  return q;
}

/** The positive quotient num/den (bigints) at `scale`, rounded to 40 significant digits. */
function roundedQuotient(num: bigint, den: bigint, scale: number): Units {
  // Scale the numerator so the integer quotient has at least 42 digits, then round it to 40.
  const shift = Math.max(0, PRECISION + 2 + digitCount(den) - digitCount(num));
  const n = num * pow10(shift);
  const q = n / den;
  const sticky = q * den !== n;
  const drop = digitCount(q) - PRECISION;
  return { units: roundOff(q, drop, sticky), scale: scale + shift - drop };
}

/** `units` rounded to 40 significant digits (exactly, as decimal.js's `finalise` on an exact result). */
function roundedUnits(u: Units): Units {
  const drop = digitCount(u.units) - PRECISION;
  return drop <= 0 ? u : { units: roundOff(u.units, drop, false), scale: u.scale - drop };
}

/** The decimal `sign × units × 10^-scale` (units > 0), laid out as decimal.js lays it out. */
function decimalOf(sign: number, u: Units): Decimal {
  let units = u.units;
  let scale = u.scale;
  // Trailing zeros are not digits of a decimal.js value.
  while (units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  const text = units.toString();
  const e = text.length - 1 - scale;
  // Words aligned on multiples of 7 in the exponent: the leading word holds e mod 7 + 1 digits.
  const lead = e - WORD * Math.floor(e / WORD) + 1;
  const words: number[] = [];
  let at = Math.min(lead, text.length);
  words.push(Number(text.slice(0, at)) * (at < lead ? 10 ** (lead - at) : 1));
  while (at < text.length) {
    const next = Math.min(at + WORD, text.length);
    words.push(Number(text.slice(at, next)) * 10 ** (WORD - (next - at)));
    at = next;
  }
  return assemble(sign, e, words);
}

/** `x.div(y)`, the same decimal, on bigint units; decimal.js for zeros and non-finite values. */
export function quotientOf(x: Decimal, y: Decimal): Decimal {
  const a = unitsOfLayout(x);
  const b = a === undefined ? undefined : unitsOfLayout(y);
  if (a === undefined || b === undefined || DecimalClass.precision !== PRECISION || !isHalfEven())
    return x.div(y);
  const sign = (x as unknown as DecimalLayout).s * (y as unknown as DecimalLayout).s;
  return decimalOf(sign, roundedQuotient(a.units, b.units, a.scale - b.scale));
}

/**
 * `x.times(y).div(z).toDecimalPlaces(places, ROUND_HALF_EVEN)`, the same decimal, on bigint units:
 * the product rounded to 40 digits, the quotient rounded to 40 digits, then to `places` decimals,
 * each as decimal.js rounds it. The cost a partial sell releases (`cost × sold / held` at 20
 * decimals) is this.
 */
export function scaledQuotientOf(x: Decimal, y: Decimal, z: Decimal, places: number): Decimal {
  const a = unitsOfLayout(x);
  const b = a === undefined ? undefined : unitsOfLayout(y);
  const c = b === undefined ? undefined : unitsOfLayout(z);
  if (
    a === undefined ||
    b === undefined ||
    c === undefined ||
    DecimalClass.precision !== PRECISION ||
    !isHalfEven()
  )
    return x.times(y).div(z).toDecimalPlaces(places, DecimalClass.ROUND_HALF_EVEN);
  const sign =
    (x as unknown as DecimalLayout).s * (y as unknown as DecimalLayout).s * (z as unknown as DecimalLayout).s;
  const product = roundedUnits({ units: a.units * b.units, scale: a.scale + b.scale });
  const q = roundedQuotient(product.units, c.units, product.scale - c.scale);
  const drop = q.scale - places;
  const units = roundOff(q.units, drop, false);
  // Rounded away entirely: a zero, with whatever sign decimal.js gives it.
  if (units === 0n) return x.times(y).div(z).toDecimalPlaces(places, DecimalClass.ROUND_HALF_EVEN);
  return decimalOf(sign, { units, scale: drop > 0 ? places : q.scale });
}

function isHalfEven(): boolean {
  return DecimalClass.rounding === DecimalClass.ROUND_HALF_EVEN;
}
