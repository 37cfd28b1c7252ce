import fc from 'fast-check';
import { layout } from '../../../testing/decimal-layout';
import { Decimal } from './decimal';
import { wordProduct } from './decimal-products';

/** A decimal of 1 to 45 significant digits, any sign, its lowest digit at 10^-30 … 10^10. */
const anyDecimal = fc
  .tuple(
    fc.boolean(),
    fc.integer({ min: 1, max: 9 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 44, size: 'max' }),
    fc.integer({ min: -10, max: 30 }),
  )
  .map(([neg, first, rest, scale]) => new Decimal(`${neg ? '-' : ''}${first}${rest.join('')}e${-scale}`));
/** Amounts as the simulation multiplies them: prices, 8-decimal volumes, totals, fee rates. */
const amount = fc.oneof(
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map((u) => new Decimal(`${u}e-8`)),
  fc.integer({ min: 1, max: 2_000_000_000 }).map((u) => new Decimal(u)),
  fc.constantFrom(new Decimal('1.0005'), new Decimal('0.0005'), new Decimal('1.0025'), new Decimal('0.9995')),
);
const operand = fc.oneof(anyDecimal, amount, fc.constantFrom(new Decimal(0), new Decimal('-0')));

describe('word products', () => {
  it('is decimal.js’s product (value and layout) whenever it answers, and answers for ≤ 40 digits of ≤ 6 words', () => {
    fc.assert(
      fc.property(operand, operand, (x, y) => {
        const got = wordProduct(x, y);
        const want = x.times(y);
        const words = (v: Decimal) => (layout(v).d as number[]).length;
        const exact = !x.isZero() && !y.isZero() && x.sd() + y.sd() <= 40 && words(x) <= 6 && words(y) <= 6;
        if (exact) expect(got).toBeDefined();
        if (got === undefined) return;
        expect(layout(got)).toEqual(layout(want));
        expect(got.toString()).toBe(want.toString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('leaves zeros, non-finite values and long products to decimal.js', () => {
    expect(wordProduct(new Decimal(0), new Decimal(3))).toBeUndefined();
    expect(wordProduct(new Decimal(Number.NaN), new Decimal(3))).toBeUndefined();
    const long = new Decimal('1234567890123456789012345.678');
    expect(wordProduct(long, long)).toBeUndefined();
  });
});
