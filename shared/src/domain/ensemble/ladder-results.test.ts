import fc from 'fast-check';
import { idlessResult, refusedFate, TRADED } from './ladder-results';

const fates = [TRADED, refusedFate('risk:oversell'), refusedFate('exchange:insufficient_funds_bid')];

describe('idlessResult (the fate-only ladder results)', () => {
  it('gives market making’s fate and the refusals, one shared result per fate without refusals', () => {
    const shared = new Map<unknown, unknown>();
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            fate: fc.integer({ min: 0, max: fates.length - 1 }),
            refusals: fc.option(fc.array(fc.constantFrom('risk:oversell', 'exchange:x'), { minLength: 1 })),
            key: fc.option(fc.constantFrom('risk:trade_limit', 'risk:halted')),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        (calls) => {
          for (const c of calls) {
            const fate = fates[c.fate] as (typeof fates)[number];
            const refusals = c.refusals ?? undefined;
            const key = refusals === undefined ? (c.key ?? undefined) : undefined;
            const result = idlessResult(fate, refusals === undefined ? undefined : [...refusals], key);
            expect([...result.fates]).toEqual([['market_making', { fate }]]);
            expect(result.fates.get('market_making')?.fate).toBe(fate);
            expect(result.routed).toEqual([]);
            expect(result.refusals).toEqual(refusals ?? (key === undefined ? [] : [key]));
            if (refusals !== undefined || key !== undefined) continue;
            // Without refusals: the same frozen result for the same fate, whatever came between.
            const before = shared.get(fate);
            if (before !== undefined) expect(result).toBe(before);
            shared.set(fate, result);
            expect(Object.isFrozen(result)).toBe(true);
          }
        },
      ),
      { numRuns: 300, seed: 20_261_207 },
    );
  });
});
