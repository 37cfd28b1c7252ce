import fc from 'fast-check';
import { layout, parsed, safeInt } from '../../../testing/decimal-layout';
import { Decimal } from './decimal';
import { sumOfThree } from './decimal-three-sums';

// sumOfThree replaces two sums of the broker's fill (cash ∓ value − fee, cost + value + fee, value −
// fee − released cost): it must give decimal.js's own (x ± y) ± z, value, layout and sign of zero,
// on the fill's operands (whole won, 8-decimal volumes and values, 12-decimal fees, 20-decimal
// costs, huge cash) and on adversarial ones (cancellation, 40-digit edges, zeros, specials).

const RUNS = { seed: 20261207, numRuns: 6000 } as const;

const single = fc.oneof(
  fc.tuple(safeInt, fc.integer({ min: 0, max: 22 })).map(([u, k]) => parsed(u, k)),
  fc.integer({ min: 5_000, max: 2_000_000_000 }).map((n) => new Decimal(n)),
  fc.integer({ min: 1, max: 99_999_999 }).map((n) => parsed(n, 8)),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map((n) => parsed(n, 12)),
  fc
    .tuple(fc.integer({ min: 1, max: 9_999_999_999 }), fc.integer({ min: 0, max: 99_999_999_999_999 }))
    .map(([w, f]) => new Decimal(`${w}.${String(f).padStart(14, '0')}123456`)),
  fc
    .tuple(safeInt, fc.integer({ min: 0, max: 999_999_999_999 }), fc.integer({ min: 0, max: 34 }))
    .map(([u, v, k]) => new Decimal(`${u}${String(v).padStart(12, '0')}e-${k}`)),
  fc.double({ min: -1e12, max: 1e12, noNaN: true }).map((f) => new Decimal(f)),
  fc.constantFrom(
    new Decimal('0'),
    new Decimal('-0'),
    new Decimal('1e30'),
    new Decimal('-1e-30'),
    new Decimal('9999999999999999999.99999999999999999999'),
    new Decimal('123456789012345678901234567890123456789.5'),
    new Decimal(Number.NaN),
    new Decimal(Number.POSITIVE_INFINITY),
  ),
);

// Operands that cancel: y or z near x (or near each other), so partial sums lose most digits.
const triple = fc.oneof(
  fc.tuple(single, single, single),
  fc
    .tuple(single, single, fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 25 }))
    .map(([x, y, u, k]) => [x, y, x.plus(y).plus(`${u}e-${k}`)] as const),
  fc
    .tuple(single, single, fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 25 }))
    .map(([x, z, u, k]) => [x, x.minus(z).plus(`${u}e-${k}`), z] as const),
  fc
    .tuple(single, fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 25 }))
    .map(([x, u, k]) => [x, x, new Decimal(`${u}e-${k}`)] as const),
);
const signs = fc.tuple(fc.constantFrom(1 as const, -1 as const), fc.constantFrom(1 as const, -1 as const));

function reference(x: Decimal, y: Decimal, sy: 1 | -1, z: Decimal, sz: 1 | -1): Decimal {
  const partial = sy === 1 ? x.plus(y) : x.minus(y);
  return sz === 1 ? partial.plus(z) : partial.minus(z);
}

function expectSame(got: Decimal, expected: Decimal): void {
  expect(got.toFixed()).toBe(expected.toFixed());
  expect(layout(got)).toEqual(layout(expected));
  expect(Object.is(got.toNumber(), expected.toNumber())).toBe(true);
}

describe('sumOfThree', () => {
  it('is decimal.js’s (x ± y) ± z: value, layout and sign of zero', () => {
    fc.assert(
      fc.property(triple, signs, ([x, y, z], [sy, sz]) => {
        expectSame(sumOfThree(x, y, sy, z, sz), reference(x, y, sy, z, sz));
      }),
      RUNS,
    );
  });

  it('matches the fill’s own sums (cash, a buy’s cost, a sell’s realised PnL) on unit operands', () => {
    const won = fc.integer({ min: 1, max: 2_000_000_000 });
    const units = fc.integer({ min: 1, max: 10_000_000_000 });
    const feeUnits = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(won, units, feeUnits, single, signs, (p, v, f, x, [sy, sz]) => {
        const value = parsed(p * v, 8);
        if (!Number.isSafeInteger(p * v)) return;
        const fee = parsed(f, 12);
        expectSame(sumOfThree(x, value, sy, fee, sz), reference(x, value, sy, fee, sz));
        expectSame(sumOfThree(value, fee, -1, x, -1), reference(value, fee, -1, x, -1));
      }),
      RUNS,
    );
  });

  it('takes the two sums at the edges: zeros, x − x, 40 digits and beyond', () => {
    const one = new Decimal(1);
    const half = new Decimal('0.5');
    const big = new Decimal('1e39');
    // 1e39 + 0.5 rounds (41 digits) before + 0.5: decimal.js's order gives 1e39, not 1e39 + 1.
    expectSame(sumOfThree(big, half, 1, half, 1), reference(big, half, 1, half, 1));
    expectSame(sumOfThree(one, one, -1, one, -1), reference(one, one, -1, one, -1));
    expectSame(sumOfThree(one, half, -1, half, -1), reference(one, half, -1, half, -1));
    expectSame(sumOfThree(new Decimal(0), one, 1, half, -1), reference(new Decimal(0), one, 1, half, -1));
    expectSame(sumOfThree(new Decimal('-0'), one, -1, one, 1), reference(new Decimal('-0'), one, -1, one, 1));
    const max = new Decimal(Number.MAX_SAFE_INTEGER);
    expectSame(sumOfThree(max, max, 1, max, 1), reference(max, max, 1, max, 1));
    expectSame(sumOfThree(max.negated(), one, -1, one, -1), reference(max.negated(), one, -1, one, -1));
  });
});
