import fc from 'fast-check';
import { exitCases, exitPosition, referenceExit } from '../../../testing/exit-cases';
import { Decimal } from '../money/decimal';
import { price } from '../money/quantities';
import { estimateSide, exitKind, exitNetReturn, exitTrigger, INSIDE, UNSURE } from './exit-triggers';

describe('exitKind', () => {
  it('decides as the decimals do, settling most firing holdings on the estimate (counted)', () => {
    const fee = new Decimal('0.0005');
    const settled = { stop_loss: 0, take_profit: 0, inside: 0, unsure: 0 };
    // Costs right at a threshold, a hair (1e-12, 1e-10 of the cost) beside it, or far either way
    // (a dust holding deep below its stop, a run-up far past the take-profit).
    const case_ = exitCases(fee, ({ value, atSl, atTp, nudge }) => {
      const hair = (k: string) => new Decimal(nudge).times(k);
      return fc.oneof(
        fc.constant(atSl.toDecimalPlaces(12)),
        fc.constant(atTp.toDecimalPlaces(12)),
        fc.constant(atSl.times(hair('1e-12').plus(1)).toDecimalPlaces(12)),
        fc.constant(atTp.times(hair('1e-10').plus(1)).toDecimalPlaces(12)),
        fc.double({ min: 0.2, max: 5, noNaN: true }).map((k) => value.times(k).toDecimalPlaces(8)),
      );
    });
    fc.assert(
      fc.property(case_, ([units, bid, sl, tp, cost]) => {
        fc.pre(cost.gt(0));
        const p = exitPosition(units, cost);
        const b = price(new Decimal(bid));
        const thresholds = { stopLoss: sl, takeProfit: tp };
        const want = referenceExit(p, b, fee, sl, tp);
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
