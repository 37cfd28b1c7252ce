import DecimalJs from 'decimal.js';
import { compareDecimals } from './decimal-compare';
import { decimalOfUnits } from './decimal-units';

/**
 * The project's one decimal type. A private clone so no other library can change the global
 * precision or rounding mode behind our back; 40 significant digits covers 1e12 KRW with 1e-20 precision.
 */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -40,
  toExpPos: 40,
});
/** Instance type of {@link Decimal}; used wherever an exact number is needed. */
export type Decimal = InstanceType<typeof Decimal>;

/** Rounding modes we name explicitly on the order path instead of relying on a default. */
export const Rounding = {
  down: DecimalJs.ROUND_DOWN,
  up: DecimalJs.ROUND_UP,
  floor: DecimalJs.ROUND_FLOOR,
  ceil: DecimalJs.ROUND_CEIL,
  halfEven: DecimalJs.ROUND_HALF_EVEN,
} as const;

/** Untrusted text in error messages: at most this many characters of it, then how long it was. */
export const ECHO_PREFIX_CHARS = 32;

/**
 * What an error message may quote of untrusted input: a short prefix and the length, so a 10 MB field
 * never becomes a 10 MB message or log line.
 */
export function inputPreview(value: unknown, max: number = ECHO_PREFIX_CHARS): string {
  if (typeof value !== 'string') {
    if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
      return String(value);
    return typeof value;
  }
  return value.length <= max
    ? JSON.stringify(value)
    : `${JSON.stringify(value.slice(0, max))}… (${value.length} chars)`;
}

/** Why a decimal text could not be read; `input` is a short preview of what arrived (never all of it). */
export class DecimalParseError extends Error {
  override readonly name = 'DecimalParseError';
  readonly input: string;
  constructor(input: unknown) {
    const preview = inputPreview(input);
    super(`not a finite decimal: ${preview}; expected a string like "123.45"`);
    this.input = preview;
  }
}

/**
 * Bounds on decimal text, so no input can make parsing or later arithmetic slow or huge: at most 128
 * characters and a magnitude between 1e-64 and 1e64. Far beyond any price, volume, balance or fee (40
 * significant digits of precision, Upbit's totals ≤ 1e9 KRW), while `1e1000000000` is refused in
 * microseconds instead of being expanded by `toFixed`.
 */
export const DECIMAL_LIMITS = { maxTextLength: 128, maxExponent: 64 } as const;

// Upbit sends plain decimals ("0.0", "15584.9886"); WebSocket numbers can print as 6.043e-05.
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a decimal string exactly (never through `number`). Accepts exponent notation because JSON
 * numbers re-serialised by other tools use it, within {@link DECIMAL_LIMITS}: everything outside
 * them is a {@link DecimalParseError}, decided before any expensive work.
 */
export function parseDecimal(text: string): Decimal {
  if (typeof text !== 'string' || text.length > DECIMAL_LIMITS.maxTextLength * 2)
    throw new DecimalParseError(text);
  const trimmed = text.trim();
  if (trimmed.length > DECIMAL_LIMITS.maxTextLength || !DECIMAL_TEXT.test(trimmed))
    throw new DecimalParseError(text);
  const value = new Decimal(trimmed);
  if (!value.isFinite() || (!value.isZero() && Math.abs(value.e) > DECIMAL_LIMITS.maxExponent))
    throw new DecimalParseError(text);
  return value;
}

/**
 * Converts a JSON number from a Quotation/WebSocket payload. Uses the shortest round-trip text of the
 * double, which is exactly what the server wrote for every value a double can carry.
 */
export function decimalFromNumber(value: number): Decimal {
  if (!Number.isFinite(value)) throw new DecimalParseError(value);
  // A whole number's text is its digits: build the decimal from them without parsing text.
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) return decimalOfUnits(value, 0);
  const text = String(value);
  // Plain text with at most 15 digits (prices, sizes): built from its digits, the same value and
  // layout as parsing it (decimalOfUnits), without decimal.js's parser.
  const m = PLAIN_NUMBER.exec(text);
  if (m !== null) {
    const fraction = m[3] as string;
    const digits = (m[2] as string) + fraction;
    if (digits.length <= 15 && fraction.length <= 60) {
      const units = Number(digits);
      if (units !== 0) return decimalOfUnits(m[1] === '-' ? -units : units, fraction.length);
    }
  }
  return new Decimal(text);
}

const PLAIN_NUMBER = /^(-?)(\d+)\.(\d+)$/;

/** Plain decimal text without exponent or trailing zeros, as Upbit expects in request bodies. */
export function formatDecimal(value: Decimal): string {
  return value.toFixed();
}

/** Zero, shared to avoid allocating it on hot paths. */
export const ZERO: Decimal = new Decimal(0);

/** Sum of decimals; empty input is zero. */
export function sumDecimals(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

/** Smaller of two decimals (first on ties). */
export function minDecimal(a: Decimal, b: Decimal): Decimal {
  return compareDecimals(b, a) < 0 ? b : a;
}

/** Larger of two decimals (first on ties). */
export function maxDecimal(a: Decimal, b: Decimal): Decimal {
  return compareDecimals(b, a) > 0 ? b : a;
}
