import fc from 'fast-check';
import { Decimal } from '../src/domain/money/decimal';

/**
 * A decimal's own fields (sign, exponent, digit words; `d` null for NaN and infinities), to assert
 * the same layout as decimal.js's.
 */
export const layout = (x: Decimal): { s: number; e: number; d: number[] | null } => {
  const { s, e, d } = x as unknown as { s: number; e: number; d: number[] | null };
  return { s, e, d: d === null ? null : [...d] };
};

/** `units × 10^-scale` through decimal.js's own parser. */
export const parsed = (units: number, scale: number): Decimal => new Decimal(`${units}e-${scale}`);

/** Safe integers with the edges that matter for word layouts: small, ±2^53−1, round powers of ten. */
export const safeInt = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.maxSafeInteger(),
  fc.maxSafeInteger().map((n) => -n),
  fc
    .integer({ min: 0, max: 15 })
    .chain((k) => fc.integer({ min: 1, max: 999 }).map((m) => m * 10 ** k))
    .filter((n) => Number.isSafeInteger(n)),
);
