import fc from 'fast-check';
import { parseMarket } from '../market/market-id';
import type { EpochMs } from '../time/epoch';
import { averageEntryDouble } from './average-entry';
import { averageEntryNumber, emptyPosition } from './position-accounting';
import { afterPathStep } from './testing/risk-builders';

// averageEntryDouble claims averageEntryNumber's double for every position: checked on positions
// built by random buys and partial sells through the accounting itself (costs at 20 decimals).

const BTC = parseMarket('KRW-BTC');
const T = 1_767_225_600_000 as EpochMs;

describe('averageEntryDouble', () => {
  it('is averageEntryNumber on positions after random fill sequences', () => {
    const step = fc.record({
      bid: fc.boolean(),
      won: fc.integer({ min: 1_000, max: 200_000_000 }),
      units: fc.integer({ min: 1, max: 3_000_000 }),
      share: fc.integer({ min: 1, max: 99 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        let p = emptyPosition(BTC, 'market_making', T);
        steps.forEach((s, i) => {
          const next = afterPathStep(p, s, i, T);
          if (next === undefined) return;
          p = next;
          expect(Object.is(averageEntryDouble(p), averageEntryNumber(p))).toBe(true);
        });
      }),
      { seed: 20261205, numRuns: 2_000 },
    );
  });
});
