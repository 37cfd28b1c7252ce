import fc from 'fast-check';
import {
  makerPrice,
  marketablePrice,
  tickContext,
  volumeForBudget,
} from '../../executor/src/execution/pricing';
import { isFinalState, transitionAllowed } from '../../executor/src/orders/order-lifecycle';
import { balanceDiffs, corrections } from '../../executor/src/reconcile/balance-diff';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { isOnTick, roundToTick } from '../../shared/src/domain/market/tick-rounding';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw, type Price, price, volume } from '../../shared/src/domain/money/quantities';
import type { LocalOrderState } from '../../shared/src/domain/orders/local-order';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Position } from '../../shared/src/domain/trading/position';
import { BTC, T0 } from './support/memory-world';

const ctx = tickContext(BTC, KRW_MARKET_RULES, T0 as EpochMs);
/** A two-sided book on the tick grid: bid < ask, prices across several tick bands. */
const touchArb = fc
  .tuple(fc.integer({ min: 1, max: 2_000_000_000 }), fc.integer({ min: 1, max: 50 }))
  .map(([raw, gapTicks]) => {
    const bid = roundToTick(price(String(raw)), 'down', ctx);
    let ask = bid;
    for (let i = 0; i < gapTicks; i++) ask = roundToTick(price(ask.plus('0.00000001').toFixed()), 'up', ctx);
    return { bid, ask };
  })
  .filter((t) => t.bid.gt(0) && t.ask.gt(t.bid));
const slippageArb = fc.integer({ min: 0, max: 1000 }).map((bps) => new Decimal(bps).div(10_000));

describe('pricing properties', () => {
  it('a maker price is on the grid and never crosses the other side', () => {
    fc.assert(
      fc.property(touchArb, fc.constantFrom('bid' as const, 'ask' as const), (touch, side) => {
        const p = makerPrice(side, touch, ctx);
        expect(p).toBeDefined();
        expect(isOnTick(p as Price, ctx)).toBe(true);
        if (side === 'bid') expect(p?.lt(touch.ask)).toBe(true);
        else expect(p?.gt(touch.bid)).toBe(true);
      }),
    );
  });

  it('a marketable price crosses the touch but never goes beyond the slippage guard', () => {
    fc.assert(
      fc.property(
        touchArb,
        slippageArb,
        fc.constantFrom('bid' as const, 'ask' as const),
        (touch, slip, side) => {
          const p = marketablePrice(side, touch, slip, ctx) as Price;
          expect(isOnTick(p, ctx)).toBe(true);
          if (side === 'bid') {
            expect(p.gte(touch.ask)).toBe(true);
            expect(p.lte(touch.ask.times(slip.plus(1))) || p.eq(touch.ask)).toBe(true);
          } else {
            expect(p.lte(touch.bid)).toBe(true);
            expect(p.gte(touch.bid.times(new Decimal(1).minus(slip))) || p.eq(touch.bid)).toBe(true);
          }
        },
      ),
    );
  });

  it('a budget never buys more than it can pay for, to 8 decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5_000, max: 10_000_000 }), touchArb, (budget, touch) => {
        const v = volumeForBudget(krw(String(budget)), touch.ask);
        expect(v.times(touch.ask).lte(budget)).toBe(true);
        expect(v.decimalPlaces()).toBeLessThanOrEqual(8);
      }),
    );
  });
});

describe('order state machine properties', () => {
  const states: LocalOrderState[] = ['pending', 'submitted', 'open', 'filled', 'cancelled', 'rejected'];
  it('never returns to an intent or an unsent state, and filled/cancelled are terminal', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...states), { minLength: 1, maxLength: 12 }), (path) => {
        let current: LocalOrderState = 'pending';
        for (const next of path) {
          if (!transitionAllowed(current, next)) continue;
          if (current !== 'pending') expect(next).not.toBe('pending');
          if (current === 'filled' || current === 'cancelled')
            throw new Error(`${current} → ${next} allowed`);
          current = next;
        }
        expect(isFinalState(current) || ['pending', 'submitted', 'open'].includes(current)).toBe(true);
      }),
    );
  });
});

describe('balance correction properties', () => {
  const position = (strategy: Position['strategy'], v: string): Position => ({
    market: BTC,
    strategy,
    volume: volume(v),
    cost: krw('0'),
    realizedPnl: krw('0'),
    feesPaid: krw('0'),
    updatedAt: T0 as EpochMs,
    version: 1,
  });
  it('bookings move the positions exactly onto the venue, taking from the operator first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.boolean(),
        (op, strat, venueUnits, cover) => {
          const toV = (n: number) => new Decimal(n).div(10_000).toFixed();
          const positions = [position('operator', toV(op)), position('stat_arb', toV(strat))];
          const balances = [
            {
              currency: 'BTC',
              balance: new Decimal(toV(venueUnits)),
              locked: new Decimal(0),
              avgBuyPrice: new Decimal(0),
            },
          ];
          const [diff] = balanceDiffs(
            [BTC],
            balances,
            positions,
            new Map([[BTC, price('100000000')]]),
            new Decimal(0),
          );
          if (diff === undefined) return expect(venueUnits).toBe(op + strat);
          const { bookings, unexplained } = corrections(diff, positions, cover);
          const moved = bookings.reduce(
            (s, b) => (b.side === 'bid' ? s.plus(b.volume) : s.minus(b.volume)),
            new Decimal(0),
          );
          const missing = diff.diff.negated();
          if (diff.diff.gt(0)) {
            expect(moved.eq(diff.diff)).toBe(true);
            expect(unexplained.isZero()).toBe(true);
          } else {
            const byOperator = Decimal.min(missing, toV(op));
            expect(unexplained.eq(missing.minus(byOperator))).toBe(true);
            expect(moved.negated().eq(cover ? missing : byOperator)).toBe(true);
          }
          for (const b of bookings) if (b.side === 'ask') expect(b.volume.gt(0)).toBe(true);
        },
      ),
    );
  });
});
