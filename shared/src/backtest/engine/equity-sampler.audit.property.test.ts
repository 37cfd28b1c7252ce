/**
 * Audit (audit6): the equity sampler that halves in place (`EquitySampler`, fed numbers) against
 * the general `CurveSampler` of `{ time, equity, drawdownPct }` objects it replaced, whose points
 * every result's equity curve used to be. Claim: the same points at every moment, for any limit
 * and any length — across each halving, with the latest point kept or dropped by it — and for the
 * doubles a run can feed (−0, NaN drawdowns before the first peak, 1e308 equities).
 */
import fc from 'fast-check';
import type { EquitySample } from '../result/backtest-result';
import { CurveSampler, EquitySampler } from './equity-curve';

const value = fc.oneof(
  fc.double({ noNaN: false }),
  fc.constantFrom(-0, 0, 1e308, 5e-324, 10_000_000, 10_000_000.0001),
);

const same = (a: readonly EquitySample[], b: readonly EquitySample[]) =>
  a.length === b.length &&
  a.every(
    (p, i) =>
      Object.is(p.time, b[i]?.time) &&
      Object.is(p.equity, b[i]?.equity) &&
      Object.is(p.drawdownPct, b[i]?.drawdownPct),
  );

describe('audit: EquitySampler (claim: CurveSampler’s points, bit for bit)', () => {
  it('keeps the same points at every step, any limit, across halvings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.array(fc.tuple(value, value, value), { minLength: 0, maxLength: 300 }),
        fc.integer({ min: 1, max: 7 }),
        (limit, points, every) => {
          const ours = new EquitySampler(limit);
          const reference = new CurveSampler<EquitySample>(limit);
          if (!same(ours.points(), reference.points())) return false;
          for (let i = 0; i < points.length; i++) {
            const [time, equity, drawdownPct] = points[i] as [number, number, number];
            if (i % 2 === 0) ours.add(time, equity, drawdownPct);
            else {
              // The engine's way: the point written in place, then offered.
              ours.next[0] = time;
              ours.next[1] = equity;
              ours.next[2] = drawdownPct;
              ours.offerNext();
            }
            reference.add({ time, equity, drawdownPct });
            if (i % every === 0 && !same(ours.points(), reference.points()))
              throw new Error(`differ after ${i + 1} points (limit ${limit})`);
          }
          return same(ours.points(), reference.points());
        },
      ),
      { numRuns: 600 },
    );
  });

  it('a year of minutes at the result’s own limit (5,000): the same points', () => {
    const ours = new EquitySampler();
    const reference = new CurveSampler<EquitySample>();
    for (let i = 0; i < 525_600; i++) {
      const equity = 10_000_000 + Math.sin(i / 977) * 1e5 + i / 7;
      ours.add(i * 60_000, equity, (i % 13) / 10);
      reference.add({ time: i * 60_000, equity, drawdownPct: (i % 13) / 10 });
    }
    expect(same(ours.points(), reference.points())).toBe(true);
    expect(ours.points().length).toBeLessThanOrEqual(5000);
  });
});
