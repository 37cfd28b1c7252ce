import fc from 'fast-check';
import { Decimal } from './decimal';
import { fixedText } from './decimal-text';
import { decimalOfUnits } from './decimal-units';

/** A decimal of 1 to 45 significant digits (trailing zeros included) with its lowest digit at 10^-scale. */
const anyDecimal = fc
  .tuple(
    fc.boolean(),
    fc.integer({ min: 1, max: 9 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 44 }),
    fc.integer({ min: -30, max: 50 }),
  )
  .map(([neg, first, rest, scale]) => new Decimal(`${neg ? '-' : ''}${first}${rest.join('')}e${-scale}`));

describe('fixedText', () => {
  it('is decimal.js’s toFixed() for any decimal', () => {
    fc.assert(
      fc.property(anyDecimal, (x) => {
        expect(fixedText(x)).toBe(x.toFixed());
      }),
      { numRuns: 3000 },
    );
  });

  it('is toFixed() for the results of arithmetic, the unit constructor and doubles', () => {
    fc.assert(
      fc.property(anyDecimal, anyDecimal, fc.double({ noNaN: true }), (a, b, f) => {
        for (const x of [a.plus(b), a.minus(b), a.times(b), b.isZero() ? a : a.div(b), new Decimal(f)])
          expect(fixedText(x)).toBe(x.toFixed());
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 0, max: 20 }), (units, places) => {
        const x = decimalOfUnits(units, places);
        expect(fixedText(x)).toBe(x.toFixed());
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    '0',
    '-0',
    '1',
    '-1',
    '10',
    '10000000',
    '100000000000000',
    '0.1',
    '0.00000001',
    '1e-30',
    '1e30',
    '12345678901234',
    '123456789012345',
    '99999999999999.99999999',
    '-1234.56789012345678901234',
    'NaN',
    'Infinity',
    '-Infinity',
  ])('is toFixed() for %s', (text) => {
    const x = new Decimal(text);
    expect(fixedText(x)).toBe(x.toFixed());
  });
});
