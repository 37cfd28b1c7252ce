import fc from 'fast-check';
import { parseMarket } from '../../domain/market/market-id';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { krw, price, volume } from '../../domain/money/quantities';
import { orderIdentifier } from '../../domain/orders/identifiers';
import { emptyPosition } from '../../domain/risk/position-accounting';
import { DEFAULT_RISK_LIMITS } from '../../domain/risk/risk-limits';
import type { EpochMs } from '../../domain/time/epoch';
import type { Position } from '../../domain/trading/position';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import { findPositionExits } from './position-exits';

/*
 * Audit (issue 16 follow-up): the exit scan's decision ids, the root of the flatten orders'
 * identifiers. Claim: two positions that both fire in one minute get two different decision ids
 * (otherwise the executor runs one flatten and treats the other as "already running", or adopts the
 * first one's orders as its own).
 */

const T = Date.parse('2026-12-05T03:00:30Z') as EpochMs;
const MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'].map(parseMarket);

/** A held position 10 % under water at a bid of 90 (the −0.3 % stop fires). */
function losing(market: (typeof MARKETS)[number], strategy: StrategyName | 'operator'): Position {
  return {
    ...emptyPosition(market, strategy, T),
    volume: volume('1000'),
    cost: krw('100000'),
    openedAt: T,
  };
}

async function exitIds(positions: readonly Position[]): Promise<string[]> {
  const exits = await findPositionExits(
    { store: { listPositions: async () => [...positions] }, clock: { now: () => T } },
    {
      limits: DEFAULT_RISK_LIMITS,
      rules: KRW_MARKET_RULES,
      bestBids: new Map(MARKETS.map((m) => [m, price('90')])),
    },
  );
  return exits.map((e) => e.decision.id);
}

describe('audit: exit decision ids', () => {
  it('every firing (market, strategy) of the known strategies gets its own id and identifier', async () => {
    const owners: readonly (StrategyName | 'operator')[] = [...STRATEGY_NAMES, 'operator'];
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fc.nat(MARKETS.length - 1), fc.nat(owners.length - 1)), {
          selector: ([m, s]) => `${m}/${s}`,
          maxLength: 12,
        }),
        async (pairs) => {
          const ids = await exitIds(
            pairs.map(([m, s]) => losing(MARKETS[m] as (typeof MARKETS)[number], owners[s] as StrategyName)),
          );
          expect(ids).toHaveLength(pairs.length);
          expect(new Set(ids).size).toBe(ids.length);
          const identifiers = ids.map((id) => orderIdentifier(id as never, 0, 0));
          expect(new Set(identifiers).size).toBe(ids.length);
        },
      ),
      { seed: 20261205, numRuns: 300 },
    );
  });

  // Found by this audit (fixed): a strategy name the build does not know (a position stored by an
  // older or newer build; positionFromItem does not check the name) got seq indexOf(...) = −1, so two
  // such positions in one market shared `exit-BTC-<minute>--1` and the second holding's stop-loss
  // waited for the first. exitSequence now numbers unknown names by a hash of the name.
  it('two positions of strategies unknown to this build get different exit ids', async () => {
    const ids = await exitIds([
      losing(parseMarket('KRW-BTC'), 'retired_breakout' as StrategyName),
      losing(parseMarket('KRW-BTC'), 'retired_grid' as StrategyName),
    ]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  });
});
