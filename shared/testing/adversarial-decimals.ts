import fc from 'fast-check';
import { Decimal } from '../src/domain/money/decimal';

/**
 * Adversarial decimals for the audit property tests of the money fast paths: digit strings at the
 * 2^53, 10^k (word and 10^7-word) and 40-digit boundaries, every KRW tick-band edge and half tick,
 * exact ties, −0, tiny and huge magnitudes. Each value carries its exact parts (sign, digits, power
 * of ten) so a test can compute an independent BigInt reference instead of trusting decimal.js.
 */
export interface ExactDecimal {
  readonly x: Decimal;
  /** −1 or 1 (−0 is `negative` with `units` 0n). */
  readonly sign: -1 | 1;
  readonly units: bigint;
  /** x = sign · units · 10^exp. */
  readonly exp: number;
}

const TWO_53 = 2n ** 53n;

/** Digit strings (as bigints) at the boundaries the fast paths test against. */
export const edgeUnits: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: TWO_53 - 2000n, max: TWO_53 + 2000n }),
  fc.bigInt({ min: TWO_53 * 2n - 50n, max: TWO_53 * 2n + 50n }),
  fc
    .tuple(fc.integer({ min: 0, max: 39 }), fc.integer({ min: -30, max: 30 }))
    .map(([k, d]) => 10n ** BigInt(k) + BigInt(d))
    .filter((u) => u >= 0n),
  fc
    .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 9 }))
    .map(([k, d]) => ((10n ** BigInt(k) - 1n) * BigInt(d)) / 9n),
  fc.bigInt({ min: 0n, max: 10n ** 40n - 1n }),
  fc.bigInt({ min: 0n, max: 10n ** 16n }),
  fc.bigInt({ min: 0n, max: 1_000_000n }),
);

/** An exact decimal sign · units · 10^exp with at most 40 significant digits. */
export const exactDecimal: fc.Arbitrary<ExactDecimal> = fc
  .tuple(fc.boolean(), edgeUnits, fc.integer({ min: -30, max: 12 }))
  .map(([negative, units, exp]) => ({
    x: new Decimal(`${negative ? '-' : ''}${units}e${exp}`),
    sign: negative ? -1 : 1,
    units,
    exp,
  }));

/** Upbit's KRW band edges (every table) and points a half tick, a tick and a unit around them. */
export const BAND_EDGES: readonly number[] = [
  0.00001, 0.0001, 0.001, 0.01, 0.1, 1, 10, 100, 1000, 5000, 10_000, 50_000, 100_000, 500_000, 1_000_000,
  2_000_000,
];

/** Prices as doubles at and around every band edge (±1, ±½, ±tick-sized offsets at every scale). */
export const edgePrice: fc.Arbitrary<number> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...BAND_EDGES),
      fc.constantFrom(0, 1, -1, 0.5, -0.5, 5, -5, 10, -10, 50, -50, 100, -100, 500, -500, 1000, -1000),
      fc.constantFrom(1, 0.1, 0.01, 0.001, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8),
    )
    .map(([edge, k, unit]) => Number((edge + k * unit).toPrecision(15)))
    .filter((p) => p > 0),
  fc.integer({ min: 1, max: 3_000_000 }).map((n) => n / 2),
  fc.double({ min: 1e-8, max: 1e8, noNaN: true }),
);
