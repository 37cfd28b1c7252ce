import fc from 'fast-check';
import { layout } from '../../../testing/decimal-layout';
import {
  DECIMAL_LIMITS,
  Decimal,
  DecimalParseError,
  decimalFromNumber,
  inputPreview,
  parseDecimal,
} from './decimal';

describe('parseDecimal bounds (no input can hang or bloat a parser)', () => {
  it('refuses huge exponents, long digit runs and long strings with a short message', () => {
    const bad = [
      '1e1000000000',
      '1e10000000',
      '-1e-10000000',
      '1e99999999999999999999',
      '1e65',
      '1e-65',
      '9'.repeat(DECIMAL_LIMITS.maxTextLength + 1),
      `0.${'0'.repeat(200)}1`,
      'x'.repeat(10_000_000),
      ` ${'1'.repeat(300)} `,
    ];
    for (const text of bad) {
      const error = (() => {
        try {
          parseDecimal(text);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(DecimalParseError);
      // The message quotes at most a short prefix, whatever arrived.
      expect((error as Error).message.length).toBeLessThan(140);
      expect((error as DecimalParseError).input.length).toBeLessThan(60);
    }
  });

  it('returns exactly what decimal.js reads for every text within the bounds', () => {
    const digits = fc.stringMatching(/^[0-9]{1,40}$/);
    const text = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        digits,
        fc.option(digits, { nil: undefined }),
        fc.option(fc.integer({ min: -20, max: 20 }), { nil: undefined }),
      )
      .map(
        ([sign, int, frac, exp]) =>
          `${sign}${int}${frac === undefined ? '' : `.${frac}`}${exp === undefined ? '' : `e${exp}`}`,
      );
    fc.assert(
      fc.property(text, (t) => {
        expect(parseDecimal(t).eq(new Decimal(t))).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('still reads the boundary values and the long balances Upbit sends', () => {
    expect(parseDecimal('1e64').toFixed()).toBe(`1${'0'.repeat(64)}`);
    expect(parseDecimal('1e-64').eq(new Decimal('1e-64'))).toBe(true);
    expect(parseDecimal('0e999').isZero()).toBe(true);
    expect(parseDecimal('1386929.37231066771348207123').toFixed()).toBe('1386929.37231066771348207123');
  });
});

describe('inputPreview', () => {
  it('quotes short text whole and long text as a prefix with its length', () => {
    expect(inputPreview('abc')).toBe('"abc"');
    expect(inputPreview('a'.repeat(100))).toBe(`"${'a'.repeat(32)}"… (100 chars)`);
    expect(inputPreview(12)).toBe('12');
    expect(inputPreview({ a: 1 })).toBe('object');
  });
});

describe('decimalFromNumber', () => {
  it("builds exactly the decimal (value and layout) decimal.js parses from the number's text", () => {
    const number = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.double({ min: -1e9, max: 1e9, noNaN: true }),
      fc
        .tuple(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 12 }))
        .map(([u, k]) => u / 10 ** k),
      fc
        .tuple(fc.integer({ min: 1, max: 2e6 }), fc.double({ min: 0, max: 1, noNaN: true }))
        .map(([b, f]) => b * f),
    );
    fc.assert(
      fc.property(number, (x) => {
        const ours = decimalFromNumber(x);
        const theirs = new Decimal(String(x));
        expect(ours.toString()).toBe(theirs.toString());
        expect(layout(ours)).toEqual(layout(theirs));
      }),
      { numRuns: 5000 },
    );
    expect(decimalFromNumber(48999.99999999999).toFixed()).toBe('48999.99999999999');
    expect(decimalFromNumber(-0.5).toFixed()).toBe('-0.5');
    expect(Object.is(decimalFromNumber(-0).s, new Decimal('0').s)).toBe(true);
  });
});
