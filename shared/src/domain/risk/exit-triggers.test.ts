import fc from 'fast-check';
import { exitCases, exitPosition, referenceExit } from '../../../testing/exit-cases';
import { Decimal } from '../money/decimal';
import { price } from '../money/quantities';
import type { Position } from '../trading/position';
import { exitTrigger } from './exit-triggers';

/** The decimal-only verdict the double shortcuts must reproduce. */
function reference(p: Position, bid: Decimal, fee: Decimal, sl: Decimal, tp: Decimal): string | undefined {
  if (p.volume.isZero() || !p.cost.gt(0)) return undefined;
  return referenceExit(p, bid, fee, sl, tp).kind;
}

describe('exitTrigger', () => {
  it('fires exactly when the decimal net return reaches a threshold, also right at it', () => {
    const fee = new Decimal('0.0005');
    // Costs that put the return exactly at, a hair beside, or anywhere around each threshold.
    const case_ = exitCases(fee, ({ value, atSl, atTp, nudge }) => {
      const hair = new Decimal(nudge).times('1e-12');
      return fc.oneof(
        fc.constant(atSl.toDecimalPlaces(12)),
        fc.constant(atTp.toDecimalPlaces(12)),
        fc.constant(atSl.plus(hair).toDecimalPlaces(12)),
        fc.constant(atTp.plus(hair).toDecimalPlaces(12)),
        fc.double({ min: 0.5, max: 1.5, noNaN: true }).map((k) => value.times(k).toDecimalPlaces(8)),
      );
    });
    fc.assert(
      fc.property(case_, ([units, bid, sl, tp, cost]) => {
        const p = exitPosition(units, cost);
        const got = exitTrigger(p, price(new Decimal(bid)), fee, { stopLoss: sl, takeProfit: tp });
        expect(got?.kind).toBe(reference(p, new Decimal(bid), fee, sl, tp));
      }),
      { numRuns: 3000 },
    );
  });
});
