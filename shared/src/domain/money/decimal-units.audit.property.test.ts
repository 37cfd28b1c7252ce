import fc from 'fast-check';
import { type ExactDecimal, exactDecimal } from '../../../testing/adversarial-decimals';
import { layout } from '../../../testing/decimal-layout';
import { Decimal } from './decimal';
import { approximately, decimalOfUnits, numberOf, productOf, unitsOf } from './decimal-units';

// Audit of the integer-unit fast paths against an independent BigInt reference (not decimal.js),
// on digit strings at 2^53, at every 10^k, at 40 digits, −0, tiny and huge exponents.

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const SEED = { seed: 20261205, numRuns: 5000 } as const;

/** x · 10^scale as a safe integer when exact, else undefined: the claim of unitsOf, in BigInt. */
function referenceUnits(v: ExactDecimal, scale: number): number | undefined {
  const shift = v.exp + scale;
  let u: bigint;
  if (shift >= 0) u = v.units * 10n ** BigInt(shift);
  else {
    const q = 10n ** BigInt(-shift);
    if (v.units % q !== 0n) return undefined;
    u = v.units / q;
  }
  if (u > MAX) return undefined;
  return u === 0n ? 0 : v.sign * Number(u);
}

describe('audit: unitsOf (claim: exact safe integer or undefined)', () => {
  it('agrees with BigInt on adversarial digit strings and scales', () => {
    fc.assert(
      fc.property(exactDecimal, fc.integer({ min: 0, max: 22 }), (v, scale) => {
        expect(unitsOf(v.x, scale)).toBe(referenceUnits(v, scale));
      }),
      SEED,
    );
  });

  // Found by the property above: a volume of 90,071,992.54740993 coins is 2^53 + 1 units of 1e-8;
  // its last word adds 3 units after the safe-range check, and the double sum rounds to 2^53.
  it('refuses 8-decimal volumes whose units pass 2^53 in the last word (was: 2^53, one unit off)', () => {
    for (const text of ['90071992.54740993', '90071992.54740992', '-90071992.54740993', '90071992.54740999'])
      expect(unitsOf(new Decimal(text), 8)).toBeUndefined();
    expect(unitsOf(new Decimal('90071992.54740991'), 8)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('audit: decimalOfUnits, productOf, numberOf, approximately', () => {
  const safe = fc.oneof(
    fc.maxSafeInteger(),
    fc.integer({ min: 0, max: 4000 }).map((k) => Number.MAX_SAFE_INTEGER - k),
    fc.integer({ min: 0, max: 4000 }).map((k) => 2e7 * Math.floor(Number.MAX_SAFE_INTEGER / 2e7) - 2000 + k),
    fc.integer({ min: 0, max: 15 }).chain((k) => fc.integer({ min: -3, max: 3 }).map((d) => 10 ** k + d)),
  );

  it('decimalOfUnits is the parser’s decimal (value and layout) at every scale', () => {
    fc.assert(
      fc.property(safe, fc.boolean(), fc.integer({ min: 0, max: 60 }), (u, negative, scale) => {
        const units = negative ? -u : u;
        expect(layout(decimalOfUnits(units, scale))).toEqual(layout(new Decimal(`${units}e-${scale}`)));
      }),
      SEED,
    );
  });

  it('productOf is x.times(y): value, layout and sign of zero', () => {
    fc.assert(
      fc.property(exactDecimal, exactDecimal, (a, b) => {
        const ours = productOf(a.x, b.x);
        const theirs = a.x.times(b.x);
        expect(layout(ours)).toEqual(layout(theirs));
      }),
      SEED,
    );
  });

  it('numberOf is toNumber (the nearest double), +0 for −0', () => {
    fc.assert(
      fc.property(exactDecimal, (v) => {
        const want = v.x.toNumber();
        expect(Object.is(numberOf(v.x), want === 0 ? 0 : want)).toBe(true);
      }),
      SEED,
    );
  });

  it('approximately stays within 1e-15 relative of the value (the margin every double pre-check assumes)', () => {
    fc.assert(
      fc.property(exactDecimal, (v) => {
        const want = v.x.toNumber();
        const got = approximately(v.x);
        if (want === 0)
          expect(got === 0).toBe(true); // −0 for −0: equal to 0 in every comparison
        else expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(1e-15);
      }),
      SEED,
    );
  });
});
