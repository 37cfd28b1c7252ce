import fc from 'fast-check';
import { layout, parsed } from '../../../testing/decimal-layout';
import { Decimal, ZERO } from '../../domain/money/decimal';
import { sumOf } from '../../domain/money/decimal-sums';
import { type Krw, krw } from '../../domain/money/quantities';
import { FeeTotal } from './fee-total';

// FeeTotal adds runs of fees known as units as one integer: its total must be the decimal the
// broker's fill-by-fill `sumOf(total, fee)` gives (value and layout), whenever it is read.

const RUNS = { seed: 20261207, numRuns: 3000 } as const;

type Step =
  | { readonly kind: 'units'; readonly units: number; readonly scale: number }
  | { readonly kind: 'decimal'; readonly fee: Decimal }
  | { readonly kind: 'read' };

const scale = fc.constantFrom(12, 12, 12, 11, 8, 0, 20, 22);
const units = fc.oneof(
  fc.integer({ min: 1, max: 100_000_000_000_000 }),
  fc.integer({ min: 1, max: 999 }),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.integer({ min: 0, max: 2 ** 20 }).map((n) => Number.MAX_SAFE_INTEGER - n),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('units' as const), units, scale }) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc
          .tuple(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 22 }))
          .map(([u, k]) => parsed(u, k)),
        fc.constantFrom(new Decimal('1e30'), new Decimal('123456789012345678901234567890.123456789'), ZERO),
      )
      .map((fee) => ({ kind: 'decimal' as const, fee })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'read' as const }) },
);

describe('FeeTotal', () => {
  it('is the fill-by-fill sum of the fees, read at any point', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const total = new FeeTotal();
        let expected: Krw = krw(ZERO);
        for (const s of steps) {
          if (s.kind === 'read') {
            expect(layout(total.total)).toEqual(layout(expected));
            continue;
          }
          const fee = krw(s.kind === 'units' ? parsed(s.units, s.scale) : s.fee);
          expected = krw(sumOf(expected, fee));
          if (s.kind === 'units') total.add(fee, s.units, s.scale);
          else total.add(fee, Number.NaN, Number.NaN);
        }
        expect(total.total.toFixed()).toBe(expected.toFixed());
        expect(layout(total.total)).toEqual(layout(expected));
      }),
      RUNS,
    );
  });

  it('keeps a total past 40 digits of span on the fill-by-fill sums', () => {
    const total = new FeeTotal();
    const big = krw(new Decimal('1e30'));
    total.add(big, Number.NaN, Number.NaN);
    const fees = [1, 2, 3, 999_999].map((u) => krw(parsed(u, 12)));
    let expected: Krw = big;
    for (const [i, fee] of fees.entries()) {
      total.add(fee, [1, 2, 3, 999_999][i] as number, 12);
      expected = krw(sumOf(expected, fee));
    }
    expect(layout(total.total)).toEqual(layout(expected));
    expect(layout(total.total)).toEqual(
      layout(big.plus('1e-12').plus('2e-12').plus('3e-12').plus('999999e-12')),
    );
  });
});
