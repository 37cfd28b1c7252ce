import fc from 'fast-check';
import { KRW_MARKET_RULES } from '../market/market-rules';
import { krw, price, volume } from '../money/quantities';
import type { Position } from '../trading/position';
import type { StrategyName } from '../trading/strategy-name';
import { type Commitment, exposureBook, withCommitment } from './exposure';
import { applyFillToPosition, emptyPosition } from './position-accounting';
import {
  checkOrder,
  checkOrders,
  commitmentOfDraft,
  type ProposedOrder,
  type RiskCheckResult,
} from './pre-trade-check';
import { assertRiskLimits, DEFAULT_RISK_LIMITS } from './risk-limits';
import { BTC, baseContext, did, ETH, fillOf, T0, viewAt } from './testing/risk-builders';

// The quote legs of one decision are checked with an exposure book updated leg by leg instead of
// recomputed from scratch; these properties pin that the shortcut decides exactly like the naive loop.

const LIMITS = assertRiskLimits({
  ...DEFAULT_RISK_LIMITS,
  maxTotalExposure: krw('400000'),
  maxStrategyExposure: krw('300000'),
  maxMarketExposure: krw('250000'),
  maxTradeNotional: krw('200000'),
  maxConcurrentPositions: 1,
});
const STRATEGIES: readonly StrategyName[] = ['market_making', 'stat_arb'];
const LAST = 5_000_000;

const legArb = fc.record({
  market: fc.constantFrom(BTC, ETH),
  strategy: fc.constantFrom(...STRATEGIES),
  bid: fc.boolean(),
  ticks: fc.integer({ min: -3, max: 3 }),
  units: fc.integer({ min: 50_000, max: 5_000_000 }),
});
type Leg = typeof legArb extends fc.Arbitrary<infer T> ? T : never;

function orderOf(leg: Leg, i: number): ProposedOrder {
  return {
    draft: {
      market: leg.market,
      side: leg.bid ? 'bid' : 'ask',
      ordType: 'limit',
      price: price(String(LAST + leg.ticks * 1000)),
      volume: volume((leg.units / 1e8).toFixed(8)),
      timeInForce: 'post_only',
    },
    strategy: leg.strategy,
    decisionId: did(i < 7 ? `rest-${i}` : 'mmq-BTC-20261125T0000-0'),
  };
}

function held(units: number, strategy: StrategyName): Position {
  const start = emptyPosition(BTC, strategy, T0);
  if (units === 0) return start;
  const fill = fillOf({
    market: BTC,
    strategy,
    side: 'bid',
    price: String(LAST),
    volume: (units / 1e8).toFixed(8),
  });
  return applyFillToPosition(start, fill).position;
}

function naive(orders: readonly ProposedOrder[], ctx: ReturnType<typeof baseContext>): RiskCheckResult[] {
  let commitments = ctx.commitments;
  return orders.map((o) => {
    const r = checkOrder(o, { ...ctx, commitments });
    if (r.ok) commitments = [...commitments, commitmentOfDraft(o, ctx.rules)];
    return r;
  });
}

describe('checkOrders with an incremental exposure book', () => {
  it('decides every leg exactly as re-checking against the grown commitment list', () => {
    fc.assert(
      fc.property(
        fc.array(legArb, { maxLength: 4 }),
        fc.array(legArb, { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 4_000_000 }),
        (resting, legs, heldUnits) => {
          const restingOrders = resting.map(orderOf);
          const ctx = baseContext({
            limits: LIMITS,
            positions: [held(heldUnits, 'market_making'), held(heldUnits >> 1, 'stat_arb')],
            commitments: restingOrders.map((o) => commitmentOfDraft(o, KRW_MARKET_RULES)),
            market: viewAt(BTC, LAST, 1000, 0.05),
          });
          const orders = legs.map((l, i) => orderOf({ ...l, market: BTC }, i + 7));
          expect(checkOrders(orders, ctx)).toEqual(naive(orders, ctx));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('withCommitment equals recomputing the book with the commitment appended', () => {
    fc.assert(
      fc.property(fc.array(legArb, { maxLength: 6 }), legArb, (resting, extra) => {
        const commitments: Commitment[] = resting.map((l, i) =>
          commitmentOfDraft(orderOf(l, i), KRW_MARKET_RULES),
        );
        const positions = [held(1_000_000, 'market_making')];
        const c = commitmentOfDraft(orderOf(extra, 9), KRW_MARKET_RULES);
        const incremental = withCommitment(exposureBook(positions, commitments), c);
        const full = exposureBook(positions, [...commitments, c]);
        expect(incremental.total.toFixed()).toBe(full.total.toFixed());
        expect([...incremental.byMarket].map(([k, v]) => [k, v.toFixed()]).sort()).toEqual(
          [...full.byMarket].map(([k, v]) => [k, v.toFixed()]).sort(),
        );
        expect([...incremental.byStrategy].map(([k, v]) => [k, v.toFixed()]).sort()).toEqual(
          [...full.byStrategy].map(([k, v]) => [k, v.toFixed()]).sort(),
        );
      }),
      { numRuns: 300 },
    );
  });
});
