import fc from 'fast-check';
import type { Market } from '../market/market-id';
import { Decimal } from '../money/decimal';
import { krw, price, volume } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import type { Position } from '../trading/position';
import { estimateSide, exitKind, exitNetReturn, exitTrigger, INSIDE, UNSURE } from './exit-triggers';

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

/** decimal.js alone: the net return and the verdict the fast paths must reproduce. */
function reference(p: Position, bid: Decimal, fee: Decimal, sl: Decimal, tp: Decimal) {
  const value = p.volume.times(bid).times(new Decimal(1).minus(fee));
  const r = value.div(p.cost).minus(1);
  const kind = r.lte(sl.negated()) ? 'stop_loss' : r.gte(tp) ? 'take_profit' : undefined;
  return { kind, r, value };
}

describe('exitKind', () => {
  it('decides as the decimals do, settling most firing holdings on the estimate (counted)', () => {
    const fee = new Decimal('0.0005');
    const settled = { stop_loss: 0, take_profit: 0, inside: 0, unsure: 0 };
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
        // Costs right at a threshold, a hair (1e-12, 1e-10 of the cost) beside it, or far either way
        // (a dust holding deep below its stop, a run-up far past the take-profit).
        const atSl = value.div(new Decimal(1).minus(sl));
        const atTp = value.div(new Decimal(1).plus(tp));
        const hair = (k: string) => new Decimal(nudge).times(k);
        return fc.tuple(
          fc.constant(units),
          fc.constant(bid),
          fc.constant(sl),
          fc.constant(tp),
          fc.oneof(
            fc.constant(atSl.toDecimalPlaces(12)),
            fc.constant(atTp.toDecimalPlaces(12)),
            fc.constant(atSl.times(hair('1e-12').plus(1)).toDecimalPlaces(12)),
            fc.constant(atTp.times(hair('1e-10').plus(1)).toDecimalPlaces(12)),
            fc.double({ min: 0.2, max: 5, noNaN: true }).map((k) => value.times(k).toDecimalPlaces(8)),
          ),
        );
      });
    fc.assert(
      fc.property(case_, ([units, bid, sl, tp, cost]) => {
        fc.pre(cost.gt(0));
        const p = position(units, cost);
        const b = price(new Decimal(bid));
        const thresholds = { stopLoss: sl, takeProfit: tp };
        const want = reference(p, b, fee, sl, tp);
        expect(exitKind(p, b, fee, thresholds)).toBe(want.kind);
        const signal = exitTrigger(p, b, fee, thresholds);
        expect(signal?.kind).toBe(want.kind);
        if (signal !== undefined) {
          expect(signal.netReturn.eq(want.r)).toBe(true);
          expect(signal.liquidationValue.eq(want.value)).toBe(true);
          expect(exitNetReturn(p, b, fee).eq(want.r)).toBe(true);
        }
        const e = estimateSide(p, b, fee, thresholds);
        if (e === INSIDE) settled.inside += 1;
        else if (e === UNSURE) settled.unsure += 1;
        else {
          // What the estimate settles is the decimals' verdict.
          expect(e).toBe(want.kind);
          settled[e] += 1;
        }
      }),
      { numRuns: 4000, seed: 16 },
    );
    // The estimate settled firing holdings of both kinds many times, and left the close ones alone.
    expect(settled.stop_loss).toBeGreaterThan(300);
    expect(settled.take_profit).toBeGreaterThan(300);
    expect(settled.unsure).toBeGreaterThan(300);
  });
});
