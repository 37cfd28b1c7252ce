import fc from 'fast-check';
import { layout } from '../../../testing/decimal-layout';
import { Decimal } from '../../domain/money/decimal';
import { decimalOfUnits, productOf } from '../../domain/money/decimal-units';
import { FeeRate } from './fee-rate';

describe('FeeRate', () => {
  it("gives productOf(value, rate)'s decimal from the value's 1e-8 units, or leaves it to productOf", () => {
    let decided = 0;
    fc.assert(
      fc.property(
        // Rates as the rules write them (0.0005, 0.00139, 0.25) and zero.
        fc.integer({ min: 0, max: 99_999 }),
        fc.integer({ min: 0, max: 8 }),
        // Values from a won to past 2^53 of their 1e-8 units.
        fc.oneof(fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
        (rateUnits, ratePlaces, valueUnits) => {
          const rate = new Decimal(rateUnits).div(10 ** ratePlaces);
          const value = decimalOfUnits(valueUnits, 8);
          const fee = new FeeRate(rate).ofUnits(valueUnits);
          if (fee === undefined) return;
          decided += 1;
          const expected = productOf(value, rate);
          expect(fee.toFixed()).toBe(expected.toFixed());
          expect(fee.toFixed()).toBe(value.times(rate).toFixed());
          expect(layout(fee)).toEqual(layout(expected));
        },
      ),
      { numRuns: 5_000 },
    );
    expect(decided).toBeGreaterThan(1_000);
    expect(new FeeRate(new Decimal(0)).ofUnits(100)).toBeUndefined();
    expect(new FeeRate(new Decimal('0.0005')).ofUnits(Number.MAX_SAFE_INTEGER)).toBeUndefined();
  });
});
