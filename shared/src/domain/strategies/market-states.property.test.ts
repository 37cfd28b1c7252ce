import fc from 'fast-check';
import type { Market } from '../market/market-id';
import { MarketStates } from './market-states';
import { encodeState } from './state-codec';

const MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'] as Market[];
const OTHER = 'KRW-DOGE' as Market;

interface Counter {
  n: number;
}

// One step of a run: look a market up (and move its state), or restore a market from a snapshot.
const op = fc.oneof(
  fc.record({ kind: fc.constant('get' as const), market: fc.constantFrom(...MARKETS, OTHER) }),
  fc.record({
    kind: fc.constant('load' as const),
    market: fc.constantFrom(...MARKETS, OTHER),
    n: fc.integer({ min: -1000, max: 1000 }),
  }),
);

describe('MarketStates.get (the last market kept beside the map)', () => {
  it('property: any sequence of lookups and restores reads the map’s very state, as a plain map would', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const states = new MarketStates<Counter>('test', {}, MARKETS, () => ({ n: 0 }));
        // The reference: each watched market's count, changed by the same steps.
        const expected = new Map<Market, number>(MARKETS.map((m) => [m, 0]));
        for (const step of ops) {
          if (step.kind === 'load') {
            states.load(step.market, encodeState({ n: step.n }));
            if (expected.has(step.market)) expected.set(step.market, step.n);
            continue;
          }
          const st = states.get(step.market);
          if (!expected.has(step.market)) {
            expect(st).toBeUndefined();
            continue;
          }
          // The object handed out is the one the map holds: a change to it is what a save reads.
          expect(st).toBeDefined();
          (st as Counter).n += 1;
          expected.set(step.market, (expected.get(step.market) as number) + 1);
          expect(states.save(step.market)).toEqual(encodeState({ n: expected.get(step.market) }));
        }
        for (const m of MARKETS) expect(states.save(m)).toEqual(encodeState({ n: expected.get(m) }));
      }),
      { seed: 20261207, numRuns: 500 },
    );
  });
});
