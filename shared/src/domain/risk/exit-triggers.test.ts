import fc from 'fast-check';
import type { Market } from '../market/market-id';
import { Decimal } from '../money/decimal';
import { krw, price, volume } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import type { Position } from '../trading/position';
import { exitTrigger } from './exit-triggers';

const BTC = 'KRW-BTC' as Market;

function position(units: number, cost: Decimal): Position {
  return {
    market: BTC,
    strategy: 'market_making',
    volume: volume(new Decimal(units).div(1e8)),
    cost: krw(cost),
    realizedPnl: krw(new Decimal(0)),
    feesPaid: krw(new Decimal(0)),
    updatedAt: 0 as EpochMs,
    version: 1,
  };
}

/** The decimal-only verdict the double shortcuts must reproduce. */
function reference(p: Position, bid: Decimal, fee: Decimal, sl: Decimal, tp: Decimal): string | undefined {
  if (p.volume.isZero() || !p.cost.gt(0)) return undefined;
  const value = p.volume.times(bid).times(new Decimal(1).minus(fee));
  const r = value.div(p.cost).minus(1);
  if (r.lte(sl.negated())) return 'stop_loss';
  if (r.gte(tp)) return 'take_profit';
  return undefined;
}

describe('exitTrigger', () => {
  it('fires exactly when the decimal net return reaches a threshold, also right at it', () => {
    const fee = new Decimal('0.0005');
    const case_ = fc
      .tuple(
        fc.integer({ min: 1, max: 5_000_000_000 }),
        fc.integer({ min: 1_000, max: 200_000_000 }),
        fc.constantFrom(new Decimal('0.003'), new Decimal('0.02')),
        fc.constantFrom(new Decimal('0.005'), new Decimal('0.04')),
        fc.integer({ min: -3, max: 3 }),
      )
      .chain(([units, bid, sl, tp, nudge]) => {
        const value = new Decimal(units).div(1e8).times(bid).times(new Decimal(1).minus(fee));
        // Costs that put the return exactly at, a hair beside, or anywhere around each threshold.
        const atSl = value.div(new Decimal(1).minus(sl));
        const atTp = value.div(new Decimal(1).plus(tp));
        const hair = new Decimal(nudge).times('1e-12');
        return fc.tuple(
          fc.constant(units),
          fc.constant(bid),
          fc.constant(sl),
          fc.constant(tp),
          fc.oneof(
            fc.constant(atSl.toDecimalPlaces(12)),
            fc.constant(atTp.toDecimalPlaces(12)),
            fc.constant(atSl.plus(hair).toDecimalPlaces(12)),
            fc.constant(atTp.plus(hair).toDecimalPlaces(12)),
            fc.double({ min: 0.5, max: 1.5, noNaN: true }).map((k) => value.times(k).toDecimalPlaces(8)),
          ),
        );
      });
    fc.assert(
      fc.property(case_, ([units, bid, sl, tp, cost]) => {
        const p = position(units, cost);
        const got = exitTrigger(p, price(new Decimal(bid)), fee, { stopLoss: sl, takeProfit: tp });
        expect(got?.kind).toBe(reference(p, new Decimal(bid), fee, sl, tp));
      }),
      { numRuns: 3000 },
    );
  });
});
