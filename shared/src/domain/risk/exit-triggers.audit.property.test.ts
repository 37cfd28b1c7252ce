import fc from 'fast-check';
import { Decimal } from '../money/decimal';
import { krw, price, volume } from '../money/quantities';
import { exitTrigger } from './exit-triggers';
import { emptyPosition } from './position-accounting';
import { BTC, T0 } from './testing/risk-builders';

/*
 * Audit (issue 16 follow-up): the stop-loss / take-profit decision (two double pre-checks with a
 * 1e-9 margin, then decimal.js) against an exact BigInt one, on positions whose cost sits exactly on
 * a threshold and a few 1e-20 KRW, 1e-8 KRW or won either side. Value = volume × bid × (1 − fee);
 * stop iff value ≤ cost · (1 − stop), take iff value ≥ cost · (1 + take). What the executor's exit
 * watcher runs on every book update of a held position.
 */

const RUNS = { seed: 20261205, numRuns: 2000 } as const;

const input = fc.record({
  a: fc.integer({ min: 1, max: 999 }), // threshold a / 1000 (0.1 % … 99.9 %)
  other: fc.integer({ min: 1, max: 999 }),
  take: fc.boolean(), // which threshold the cost is put on
  u: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 10 ** 9 })),
  bidUnits: fc.oneof(
    fc.integer({ min: 1, max: 2 * 10 ** 9 }).map((n) => BigInt(n) * 10n ** 8n),
    fc.bigInt({ min: 1n, max: 10n ** 12n }),
  ),
  keep: fc.constantFrom(9995n, 9975n, 10_000n, 9986n), // (1 − fee) in 1e-4: 0.05 %, 0.25 %, 0, 0.139 %
  nudge: fc.constantFrom(0n, 1n, -1n, 7n, -7n, 10n ** 12n, -(10n ** 12n), 10n ** 20n, -(10n ** 20n)),
});

describe('audit: exit triggers against an exact BigInt decision', () => {
  it('fires stop-loss and take-profit exactly at and around the thresholds', () => {
    const seen = { stop_loss: 0, take_profit: 0, none: 0 };
    fc.assert(
      fc.property(input, (s) => {
        const den = BigInt(s.take ? 1000 + s.a : 1000 - s.a);
        const volUnits = den * BigInt(s.u);
        // value in 1e-20 KRW: vol (1e-8) × bid (1e-8) × keep (1e-4)
        const value = volUnits * s.bidUnits * s.keep;
        const costUnits = (value * 1000n) / den + s.nudge; // exactly on the threshold, then nudged
        if (costUnits <= 0n) return;
        const stop = s.take ? s.other : s.a;
        const take = s.take ? s.a : s.other;
        const wantStop = value * 1000n <= costUnits * BigInt(1000 - stop);
        const wantTake = !wantStop && value * 1000n >= costUnits * BigInt(1000 + take);
        const want = wantStop ? 'stop_loss' : wantTake ? 'take_profit' : 'none';
        const position = {
          ...emptyPosition(BTC, 'momentum_scalping', T0),
          volume: volume(new Decimal(`${volUnits}e-8`)),
          cost: krw(new Decimal(`${costUnits}e-20`)),
          openedAt: T0,
        };
        const got = exitTrigger(
          position,
          price(new Decimal(`${s.bidUnits}e-8`)),
          new Decimal(10_000n - s.keep).div(10_000),
          { stopLoss: new Decimal(stop).div(1000), takeProfit: new Decimal(take).div(1000) },
        );
        expect(got?.kind ?? 'none').toBe(want);
        seen[want] += 1;
      }),
      RUNS,
    );
    // Coverage on the fixed seed: each outcome occurs, most of them on or next to a threshold.
    expect(Math.min(seen.stop_loss, seen.take_profit, seen.none)).toBeGreaterThan(200);
  });
});
