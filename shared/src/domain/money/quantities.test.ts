import fc from 'fast-check';
import { DecimalParseError, formatDecimal, parseDecimal } from './decimal';
import { floorVolume, krw, notional, price, toUpbitString, volume, volumeForBudget } from './quantities';

describe('decimal parsing and printing', () => {
  it('reads Upbit decimal strings exactly, without passing through number', () => {
    expect(formatDecimal(parseDecimal('1386929.37231066771348207123'))).toBe('1386929.37231066771348207123');
    expect(formatDecimal(parseDecimal('0.1').plus(parseDecimal('0.2')))).toBe('0.3');
    expect(formatDecimal(parseDecimal('70000.0'))).toBe('70000');
    expect(formatDecimal(parseDecimal('6.043e-05'))).toBe('0.00006043');
  });

  it('refuses text that is not a finite decimal and says what it got', () => {
    for (const bad of ['', 'abc', 'NaN', 'Infinity', '1,000', '0x10', '1.2.3'])
      expect(() => parseDecimal(bad)).toThrow(DecimalParseError);
    expect(() => parseDecimal('1,000')).toThrow('"1,000"');
  });

  it('round-trips any 8-decimal volume string', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), (units) => {
        const s =
          (units / 10n ** 8n).toString() +
          (units % 10n ** 8n === 0n
            ? ''
            : `.${(units % 10n ** 8n).toString().padStart(8, '0').replace(/0+$/, '')}`);
        expect(toUpbitString(volume(s))).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('quantities', () => {
  it('computes notional exactly', () => {
    expect(notional(price('155772000'), volume('0.0001')).toFixed()).toBe('15577.2');
  });

  it('floors volumes to 8 decimals and never rounds up', () => {
    expect(floorVolume(volume('0.123456789')).toFixed()).toBe('0.12345678');
    expect(volumeForBudget(krw('6000'), price('160594000')).toFixed()).toBe('0.00003736');
  });

  it('never spends more than the budget (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5000, max: 1_000_000_000 }),
        fc.integer({ min: 1, max: 500_000_000 }),
        (budget, p) => {
          const v = volumeForBudget(krw(String(budget)), price(String(p)));
          expect(notional(price(String(p)), v).lte(budget)).toBe(true);
          expect(v.decimalPlaces()).toBeLessThanOrEqual(8);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
