import fc from 'fast-check';
import type { Market } from '../market/market-id';
import { makeDecisionId } from '../orders/identifiers';
import type { EpochMs } from '../time/epoch';
import { FOUR_DIGIT_YEARS_END } from '../time/epoch';
import { STRATEGY_NAMES, type StrategyName } from '../trading/strategy-name';
import { DECISION_SCOPE, scopeOf, strategyDecisionId } from './decision-ids';

const MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'] as Market[];

// Minutes that repeat (the same bar asked twice), step a minute, cross days, or are odd instants.
const minute = fc.oneof(
  fc.constantFrom(0, 60_000, 86_340_000, 86_400_000, 1_764_000_000_000, 1_764_000_060_000),
  fc.integer({ min: 0, max: FOUR_DIGIT_YEARS_END - 1 }),
  fc.integer({ min: 1_700_000_000, max: 1_700_100_000 }).map((m) => m * 60_000),
);
const ask = fc.tuple(fc.constantFrom(...STRATEGY_NAMES), fc.constantFrom(...MARKETS), minute);

describe('strategyDecisionId', () => {
  it('property: any sequence of asks, repeated or not, gives makeDecisionId’s id', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(ask, fc.boolean()), { minLength: 1, maxLength: 30 }), (asks) => {
        for (const [[strategy, market, at], twice] of asks) {
          const expected = makeDecisionId(DECISION_SCOPE[strategy as StrategyName], market, at as EpochMs);
          expect(strategyDecisionId(strategy, market, at as EpochMs)).toBe(expected);
          if (twice) expect(strategyDecisionId(strategy, market, at as EpochMs)).toBe(expected);
        }
      }),
      { seed: 20261206, numRuns: 500 },
    );
  });
});

describe('scopeOf', () => {
  it('gives every strategy’s DECISION_SCOPE entry', () => {
    for (const name of STRATEGY_NAMES) expect(scopeOf(name)).toBe(DECISION_SCOPE[name]);
  });
});
