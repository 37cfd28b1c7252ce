import fc from 'fast-check';
import { layout, parsed, safeInt } from '../../../testing/decimal-layout';
import { Decimal } from './decimal';
import { decimalOfUnits, numberOf, productOf, unitsOf } from './decimal-units';

describe('decimal units', () => {
  it('builds exactly the decimal (value and layout) that decimal.js parses from the same text', () => {
    fc.assert(
      fc.property(safeInt, fc.integer({ min: 0, max: 40 }), (units, scale) => {
        const ours = decimalOfUnits(units, scale);
        const theirs = parsed(units, scale);
        expect(ours.eq(theirs)).toBe(true);
        expect(layout(ours)).toEqual(layout(theirs));
        // And it behaves as one in arithmetic and printing.
        expect(ours.times(3).plus('0.1').toFixed()).toBe(theirs.times(3).plus('0.1').toFixed());
      }),
      { numRuns: 3000 },
    );
  });

  it('builds the same decimal as the parser around word boundaries and the top of the safe range', () => {
    const edges = [1, 9, 10, 9_999_999, 10_000_000, 10_000_001, 99_999_999_999_999, 10 ** 14, 10 ** 15];
    for (let k = 0; k <= 3; k++)
      edges.push(
        Number.MAX_SAFE_INTEGER - 2e7 + k,
        Number.MAX_SAFE_INTEGER - 2e7 - k,
        Number.MAX_SAFE_INTEGER - k,
      );
    for (const u of edges)
      for (let scale = 0; scale <= 22; scale++) {
        expect(layout(decimalOfUnits(u, scale))).toEqual(layout(parsed(u, scale)));
        expect(layout(decimalOfUnits(-u, scale))).toEqual(layout(parsed(-u, scale)));
      }
  });

  it('reads units back exactly, and refuses what does not fit the scale or a safe integer', () => {
    fc.assert(
      fc.property(
        safeInt,
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (units, s, want) => {
          const x = parsed(units, s);
          const got = unitsOf(x, want);
          // The exact answer, computed in decimal.
          const exact = x.times(new Decimal(10).pow(want));
          const fits = exact.isInteger() && exact.abs().lte(Number.MAX_SAFE_INTEGER);
          if (fits) expect(got).toBe(exact.toNumber());
          else expect(got).toBeUndefined();
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads results of arithmetic (not only parsed text)', () => {
    const v = new Decimal('135403000').times('0.00073853');
    expect(unitsOf(v, 8)).toBe(v.times(1e8).toNumber());
    expect(unitsOf(v, 4)).toBeUndefined();
    expect(unitsOf(new Decimal('0.1').times(3), 1)).toBe(3);
    expect(unitsOf(new Decimal(0), 5)).toBe(0);
    expect(unitsOf(new Decimal(Number.NaN), 0)).toBeUndefined();
    expect(unitsOf(new Decimal(Number.POSITIVE_INFINITY), 0)).toBeUndefined();
  });

  it('multiplies exactly as decimal.js does (value and layout), signs and zeros included', () => {
    const operand = fc.oneof(
      fc.tuple(safeInt, fc.integer({ min: 0, max: 24 })).map(([u, k]) => parsed(u, k)),
      fc.integer({ min: 1, max: 200_000_000 }).map((n) => new Decimal(n)),
      fc.integer({ min: 0, max: 99_999_999 }).map((n) => parsed(n, 8)),
      fc.constantFrom(new Decimal('1.0005'), new Decimal('0.0005'), new Decimal('-0'), new Decimal('1e30')),
    );
    fc.assert(
      fc.property(operand, operand, (x, y) => {
        const expected = x.times(y);
        const got = productOf(x, y);
        expect(got.toFixed()).toBe(expected.toFixed());
        expect(layout(got)).toEqual(layout(expected));
      }),
      { numRuns: 5000 },
    );
  });

  it('converts to the same double as toNumber()', () => {
    fc.assert(
      fc.property(safeInt, fc.integer({ min: 0, max: 24 }), (units, scale) => {
        const x = parsed(units, scale);
        expect(Object.is(numberOf(x), x.toNumber())).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});
