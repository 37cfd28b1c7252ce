import fc from 'fast-check';
import { numberOf, unitsOf } from '../money/decimal-units';
import { price, volume } from '../money/quantities';
import type { QuoteLevel } from '../trading/decision';
import { levelListColumns } from './ladder-list-columns';

// Prices and volumes as decimal text: whole, on the 1e-8 grid and off it (units undefined).
const decimalText = fc
  .tuple(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
  .map(([digits, scale]) => {
    const s = digits.toString().padStart(scale + 1, '0');
    return scale === 0 ? s : `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
  });
const levelArb = fc
  .record({ side: fc.constantFrom('bid' as const, 'ask' as const), p: decimalText, v: decimalText })
  .map(({ side, p, v }): QuoteLevel => ({ side, price: price(p), volume: volume(v) }));

describe('levelListColumns', () => {
  it('reads each level as checkLadder did: numberOf of price and volume, the side, unitsOf of an ask', () => {
    fc.assert(
      fc.property(
        fc.array(levelArb, { maxLength: 12 }),
        fc.array(levelArb, { maxLength: 12 }),
        (before, levels) => {
          levelListColumns(before); // the scratch columns hold a previous (maybe longer) list
          const c = levelListColumns(levels);
          expect(c.count).toBe(levels.length);
          expect(c.hasBid).toBe(levels.some((lv) => lv.side === 'bid'));
          expect(c.hasAsk).toBe(levels.some((lv) => lv.side !== 'bid'));
          levels.forEach((lv, i) => {
            expect(Object.is(c.won[i], numberOf(lv.price))).toBe(true);
            expect(Object.is(c.volumes[i], numberOf(lv.volume))).toBe(true);
            expect(c.asks[i]).toBe(lv.side === 'ask');
            expect(c.units[i]).toBe(lv.side === 'ask' ? unitsOf(lv.volume, 8) : undefined);
          });
        },
      ),
      { numRuns: 300, seed: 20_261_207 },
    );
  });

  it('leaves units undefined for an ask off the 1e-8 grid', () => {
    const c = levelListColumns([{ side: 'ask', price: price('100'), volume: volume('0.000000001') }]);
    expect(c.units[0]).toBeUndefined();
    expect(c.hasAsk).toBe(true);
    expect(c.hasBid).toBe(false);
  });
});
