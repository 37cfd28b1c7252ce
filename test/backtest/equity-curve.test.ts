import fc from 'fast-check';
import { CurveSampler, CurveTracker, EquitySampler } from '../../shared/src/backtest/engine/equity-curve';
import type { EquitySample } from '../../shared/src/backtest/result/backtest-result';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';

describe('equity curve tracking', () => {
  it('never keeps more than the limit, keeps the first and last point, and stays evenly spaced', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 2, max: 300 }), (n, limit) => {
        const s = new CurveSampler<number>(limit);
        for (let i = 0; i < n; i++) s.add(i);
        const pts = s.points();
        expect(pts.length).toBeLessThanOrEqual(limit);
        expect(pts[pts.length - 1]).toBe(n - 1);
        if (n <= limit - 1) expect(pts).toEqual(Array.from({ length: n }, (_, i) => i));
        else expect(pts[0] === 0 || pts.length === limit).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the same equity points as a CurveSampler of the same samples (halving in place)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 2, max: 64 }), (n, limit) => {
        const plain = new CurveSampler<EquitySample>(limit);
        const sampler = new EquitySampler(limit);
        for (let i = 0; i < n; i++) {
          const point = { time: 1_000 * i, equity: 100 + i / 3, drawdownPct: (i % 7) / 10 };
          plain.add(point);
          sampler.add(point.time, point.equity, point.drawdownPct);
        }
        expect(sampler.points()).toEqual(plain.points());
      }),
      { numRuns: 300 },
    );
  });

  it('measures the drawdown from the running peak and KST daily returns', () => {
    const t = new CurveTracker(100);
    const day = Date.parse('2026-11-01T00:00:00+09:00');
    t.update(day as EpochMs, 110);
    t.update((day + MS.hour) as EpochMs, 99);
    t.update((day + MS.day) as EpochMs, 121);
    expect(t.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(t.dailyReturns().map((r) => Number(r.toFixed(6)))).toEqual([-0.01, 0.222222]);
  });
});
