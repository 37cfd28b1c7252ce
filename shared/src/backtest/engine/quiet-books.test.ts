import fc from 'fast-check';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { Decimal } from '../../domain/money/decimal';
import { unitsOf } from '../../domain/money/decimal-units';
import { krw } from '../../domain/money/quantities';
import { openPositionMarkets, sellableVolume } from '../../domain/risk/exposure';
import { T0 } from '../../domain/risk/testing/risk-builders';
import { StrategyName } from '../../domain/trading/strategy-name';
import { SimulatedBroker } from '../broker/simulated-broker';
import { QuietBooks } from './quiet-books';
import { endWalkStep, placeWalkOrders, WALK_MARKETS, walkOrdersArb } from './testing/broker-walk';

const OWNERS = [StrategyName.marketMaking, StrategyName.momentumScalping] as const;

const stepArb = fc.record({
  orders: walkOrdersArb(OWNERS.length),
  runBars: fc.boolean(),
  move: fc.integer({ min: -3, max: 3 }),
});

describe('QuietBooks', () => {
  it('property: with no order open, answers what the ladder would read from the exact books', () => {
    let held = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 12 }), (steps) => {
        const broker = new SimulatedBroker(krw(new Decimal(2_000_000)), KRW_MARKET_RULES, 0, () => 0.5);
        const quiet = new QuietBooks(broker);
        let at = T0;
        let open = 50_000_000;
        for (const step of steps) {
          placeWalkOrders(broker, step.orders, OWNERS, open, at);
          ({ open, at } = endWalkStep(broker, step, open, at));
          // The books as the ladder meets them without open orders (RouterContexts.ladderBooks).
          for (const market of WALK_MARKETS) broker.cancelAll(market);
          expect(broker.openOrders).toBe(0);
          const positions = broker.allPositions();
          const commitments = broker.commitments();
          expect(quiet.openOrders).toBe(commitments.length);
          expect(quiet.exposure()).toBeUndefined();
          for (const dust of [krw('5000'), krw('0')])
            expect([...quiet.openMarkets(dust)]).toEqual([
              ...openPositionMarkets(positions, commitments, dust),
            ]);
          for (const market of WALK_MARKETS)
            for (const owner of OWNERS) {
              const exact = unitsOf(sellableVolume(positions, commitments, market, owner), 8);
              expect(quiet.sellableUnits(market, owner)).toBe(exact);
              if (exact !== undefined && exact > 0) held += 1;
            }
        }
      }),
      { numRuns: 200, seed: 16 },
    );
    // Holdings came up (fills bought some): the sellable units were not all zero.
    expect(held).toBeGreaterThan(50);
  });
});
