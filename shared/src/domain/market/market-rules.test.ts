import fc from 'fast-check';
import { layout } from '../../../testing/decimal-layout';
import { Decimal } from '../money/decimal';
import { KRW_MARKET_RULES, lockWithTakerFee } from './market-rules';

describe('lockWithTakerFee', () => {
  it('is total × (1 + taker fee), the same decimal value and layout', () => {
    const total = fc.oneof(
      fc.integer({ min: 0, max: 1e12 }).map((n) => new Decimal(n)),
      fc
        .tuple(fc.integer({ min: 1, max: 200_000_000 }), fc.integer({ min: 0, max: 1e10 }))
        .map(([p, v]) => new Decimal(p).times(new Decimal(`${v}e-8`))),
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map((n) => new Decimal(`${n}e-12`)),
    );
    const fee = fc.constantFrom('0.0005', '0.00139', '0', '0.0025').map((t) => new Decimal(t));
    fc.assert(
      fc.property(total, fee, (t, f) => {
        const rules = { ...KRW_MARKET_RULES, takerFee: f };
        const expected = t.times(f.plus(1));
        const got = lockWithTakerFee(t, rules);
        expect(got.toFixed()).toBe(expected.toFixed());
        expect(layout(got)).toEqual(layout(expected));
      }),
      { numRuns: 3000 },
    );
  });

  it('is total + total × fee as decimal.js rounds each step, for long totals and odd fees too', () => {
    const digits = fc
      .tuple(
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 42, size: 'max' }),
      )
      .map(([first, rest]) => `${first}${rest.join('')}`);
    const total = fc
      .tuple(fc.boolean(), digits, fc.integer({ min: -5, max: 30 }))
      .map(([neg, d, k]) => new Decimal(`${neg ? '-' : ''}${d}e${-k}`));
    const fee = fc.oneof(
      fc
        .constantFrom('0.0005', '0.0025', '0', '1e-45', '0.123456789012345678901234567890123456789')
        .map((t) => new Decimal(t)),
      fc.integer({ min: 1, max: 99_999 }).map((n) => new Decimal(`${n}e-7`)),
    );
    fc.assert(
      fc.property(total, fee, (t, f) => {
        const got = lockWithTakerFee(t, { ...KRW_MARKET_RULES, takerFee: f });
        const expected = t.plus(t.times(f));
        expect(got.toString()).toBe(expected.toString());
        expect(layout(got)).toEqual(layout(expected));
      }),
      { numRuns: 5000 },
    );
  });
});
