import DecimalJs from 'decimal.js';

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

/** Why a decimal text could not be read; carries the offending text so logs show what arrived. */
export class DecimalParseError extends Error {
  override readonly name = 'DecimalParseError';
  constructor(readonly input: unknown) {
    super(`not a finite decimal: ${JSON.stringify(input)}; expected a string like "123.45"`);
  }
}

// Upbit sends plain decimals ("0.0", "15584.9886"); WebSocket numbers can print as 6.043e-05.
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a decimal string exactly (never through `number`). Accepts exponent notation because
 * JSON numbers re-serialised by other tools use it.
 */
export function parseDecimal(text: string): Decimal {
  const trimmed = text.trim();
  if (!DECIMAL_TEXT.test(trimmed)) throw new DecimalParseError(text);
  return new Decimal(trimmed);
}

/**
 * Converts a JSON number from a Quotation/WebSocket payload. Uses the shortest round-trip text of the
 * double, which is exactly what the server wrote for every value a double can carry.
 */
export function decimalFromNumber(value: number): Decimal {
  if (!Number.isFinite(value)) throw new DecimalParseError(value);
  return new Decimal(String(value));
}

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
  return b.lt(a) ? b : a;
}

/** Larger of two decimals (first on ties). */
export function maxDecimal(a: Decimal, b: Decimal): Decimal {
  return b.gt(a) ? b : a;
}
