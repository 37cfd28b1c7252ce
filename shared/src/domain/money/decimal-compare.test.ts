import fc from 'fast-check';
import { parsed, safeInt } from '../../../testing/decimal-layout';
import { Decimal } from './decimal';
import {
  compareDecimals,
  decimalGt,
  decimalGte,
  decimalIsZero,
  decimalLt,
  decimalLte,
  shortfallReaches,
  sumExceeds,
} from './decimal-compare';
import { decimalOfUnits } from './decimal-units';

describe('decimal comparisons', () => {
  it('decides a + b > limit exactly as decimal.js does, at, just beside and far from the limit', () => {
    const amount = fc.oneof(
      fc.tuple(safeInt, fc.integer({ min: 0, max: 14 })).map(([u, k]) => parsed(u, k)),
      fc.integer({ min: 0, max: 200_000_000 }).map((n) => new Decimal(n)),
      fc.double({ min: -1e9, max: 1e9, noNaN: true }).map((f) => new Decimal(String(f))),
      fc.constantFrom(new Decimal(0), new Decimal('-0'), new Decimal('1e30'), new Decimal('1e-30')),
      fc
        .tuple(fc.integer({ min: -999, max: 999 }), fc.integer({ min: -400, max: 400 }))
        .map(([m, k]) => new Decimal(`${m}e${k}`)),
    );
    // The limit is often the exact sum, or the sum moved by one unit in a far decimal place.
    const limitNear = (a: Decimal, b: Decimal) =>
      fc.oneof(
        amount,
        fc.constant(a.plus(b)),
        fc.integer({ min: 1, max: 40 }).map((k) => a.plus(b).plus(new Decimal(`1e-${k}`))),
        fc.integer({ min: 1, max: 40 }).map((k) => a.plus(b).minus(new Decimal(`1e-${k}`))),
      );
    fc.assert(
      fc.property(
        fc.tuple(amount, amount).chain(([a, b]) => fc.tuple(fc.constant(a), fc.constant(b), limitNear(a, b))),
        ([a, b, limit]) => {
          expect(sumExceeds(a, b, limit)).toBe(a.plus(b).gt(limit));
        },
      ),
      { numRuns: 5000 },
    );
    expect(sumExceeds(new Decimal('0.1'), new Decimal('0.2'), new Decimal('0.3'))).toBe(false);
    expect(sumExceeds(new Decimal('0.1'), new Decimal('0.2'), new Decimal('0.29999999999999999999'))).toBe(
      true,
    );
    expect(sumExceeds(new Decimal(NaN), new Decimal(1), new Decimal(0))).toBe(false);
    // Subnormal doubles are far from their decimals (found by this property).
    expect(sumExceeds(new Decimal('-9e-323'), new Decimal('-4e-323'), new Decimal('-1.3e-322'))).toBe(false);
    expect(sumExceeds(new Decimal('1e400'), new Decimal('1e400'), new Decimal('1.5e400'))).toBe(true);
  });

  it('decides (a − b) / a ≥ limit exactly as decimal.js does (loss fractions at their limits)', () => {
    const equity = fc.oneof(
      fc
        .tuple(fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 0, max: 12 }))
        .map(([u, k]) => parsed(u, k)),
      fc.double({ min: 1e-6, max: 1e12, noNaN: true }).map((f) => new Decimal(String(f))),
      fc
        .tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: -400, max: 400 }))
        .map(([m, k]) => new Decimal(`${m}e${k}`)),
    );
    const fraction = fc.oneof(
      fc.constantFrom(new Decimal('0.03'), new Decimal('0.05'), new Decimal('0.1'), new Decimal(0)),
      fc.integer({ min: -10_000, max: 10_000 }).map((n) => parsed(n, 4)),
    );
    // b is often exactly a × (1 − limit), or one far unit beside it.
    const pair = fc.tuple(equity, fraction).chain(([a, limit]) =>
      fc.tuple(
        fc.constant(a),
        fc.oneof(
          equity,
          fc.constant(a.times(new Decimal(1).minus(limit))),
          fc.integer({ min: 1, max: 40 }).map((k) => a.times(new Decimal(1).minus(limit)).plus(`1e-${k}`)),
          fc.integer({ min: 1, max: 40 }).map((k) => a.times(new Decimal(1).minus(limit)).minus(`1e-${k}`)),
        ),
        fc.constant(limit),
      ),
    );
    fc.assert(
      fc.property(pair, ([a, b, limit]) => {
        expect(shortfallReaches(a, b, limit)).toBe(a.minus(b).div(a).gte(limit));
      }),
      { numRuns: 5000 },
    );
    expect(shortfallReaches(new Decimal(100), new Decimal(95), new Decimal('0.05'))).toBe(true);
    expect(shortfallReaches(new Decimal(100), new Decimal('95.0000000001'), new Decimal('0.05'))).toBe(false);
  });

  it('compares exactly as decimal.js does (cmp, gt, gte, lt, lte), specials included', () => {
    const value = fc.oneof(
      fc.tuple(safeInt, fc.integer({ min: 0, max: 30 })).map(([u, k]) => parsed(u, k)),
      fc.double({ noNaN: false }).map((f) => new Decimal(f)),
      fc
        .tuple(fc.integer({ min: -999, max: 999 }), fc.integer({ min: -9000, max: 9000 }))
        .map(([m, k]) => new Decimal(`${m}e${k}`)),
      fc.constantFrom(
        new Decimal(0),
        new Decimal('-0'),
        new Decimal(NaN),
        new Decimal(Infinity),
        new Decimal(-Infinity),
        new Decimal('1e9000000000000000'),
        new Decimal('1e-9000000000000000'),
      ),
    );
    // Equal values with different histories, and neighbours one far unit apart.
    const pair = value.chain((x) =>
      fc.tuple(
        fc.constant(x),
        fc.oneof(
          value,
          fc.constant(x.plus(0)),
          fc.constant(x.times(1)),
          fc.integer({ min: 1, max: 40 }).map((k) => x.plus(`1e-${k}`)),
          fc.integer({ min: 1, max: 40 }).map((k) => x.minus(`1e-${k}`)),
        ),
      ),
    );
    fc.assert(
      fc.property(pair, ([x, y]) => {
        expect(Object.is(compareDecimals(x, y), x.cmp(y))).toBe(true);
        expect(decimalGt(x, y)).toBe(x.gt(y));
        expect(decimalGte(x, y)).toBe(x.gte(y));
        expect(decimalLt(x, y)).toBe(x.lt(y));
        expect(decimalLte(x, y)).toBe(x.lte(y));
      }),
      { numRuns: 5000 },
    );
  });

  it('property: decimalIsZero is decimal.js isZero on both classes of decimal (constructor, assemble)', () => {
    const decimal = fc.oneof(
      fc.tuple(safeInt, fc.integer({ min: 0, max: 60 })).map(([u, k]) => decimalOfUnits(u, k)),
      fc.tuple(safeInt, fc.integer({ min: 0, max: 14 })).map(([u, k]) => parsed(u, k)),
      fc.integer({ min: 0, max: 200_000_000 }).map((n) => decimalOfUnits(n, 8)),
      fc.constantFrom(
        new Decimal(0),
        new Decimal('-0'),
        decimalOfUnits(0, 8),
        new Decimal('0.00000001'),
        new Decimal(5000),
        new Decimal('1e-30'),
        new Decimal('1e30'),
        new Decimal(Number.NaN),
        new Decimal(Number.POSITIVE_INFINITY),
        new Decimal(Number.NEGATIVE_INFINITY),
      ),
    );
    fc.assert(
      fc.property(decimal, (x) => {
        expect(decimalIsZero(x)).toBe(x.isZero());
      }),
      { seed: 20261207, numRuns: 2000 },
    );
  });
});
