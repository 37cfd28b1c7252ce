import fc from 'fast-check';
import { buildFolds, FoldError } from '../../shared/src/backtest/optimize/walk-forward';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';

const T0 = Date.UTC(2024, 0, 1) as EpochMs;

describe('buildFolds', () => {
  it('cuts rolling windows: each out-of-sample window starts where its in-sample window ends', () => {
    const folds = buildFolds({ from: T0, to: (T0 + 10 * MS.day) as EpochMs, folds: 3, barMs: MS.minute });
    expect(folds).toHaveLength(3);
    // 14,400 bars / (3 + 3) = 2,400-bar units: in-sample 7,200 bars, out-of-sample 2,400 bars.
    for (const f of folds) {
      expect(f.outOfSample.from).toBe(f.inSample.to);
      expect(f.inSample.to - f.inSample.from).toBe(7200 * MS.minute);
      expect(f.outOfSample.to - f.outOfSample.from).toBe(2400 * MS.minute);
    }
    expect(folds[0]?.inSample.from).toBe(T0);
    expect(folds[2]?.outOfSample.to).toBe(T0 + 10 * MS.day);
    expect(folds[1]?.outOfSample.from).toBe(folds[0]?.outOfSample.to);
  });

  it('never leaks: no out-of-sample bar is in its in-sample window or before it; tests tile the tail', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0.5, max: 6, noNaN: true }),
        fc.integer({ min: 500, max: 50_000 }),
        fc.integer({ min: 0, max: 59 }),
        (n, ratio, bars, offset) => {
          const from = (T0 + offset * 1000) as EpochMs;
          const to = (from + bars * MS.minute) as EpochMs;
          let folds: ReturnType<typeof buildFolds>;
          try {
            folds = buildFolds({
              from,
              to,
              folds: n,
              inSampleRatio: ratio,
              barMs: MS.minute,
              minOutOfSampleBars: 10,
            });
          } catch (error) {
            expect(error).toBeInstanceOf(FoldError);
            return;
          }
          expect(folds).toHaveLength(n);
          folds.forEach((f, i) => {
            expect(f.inSample.from).toBeGreaterThanOrEqual(from);
            expect(f.inSample.from).toBeLessThan(f.inSample.to);
            expect(f.outOfSample.from).toBeGreaterThanOrEqual(f.inSample.to);
            expect(f.outOfSample.to).toBeLessThanOrEqual(to);
            for (const t of [f.inSample.from, f.inSample.to, f.outOfSample.from, f.outOfSample.to])
              expect(t % MS.minute).toBe(0);
            const prev = folds[i - 1];
            if (prev !== undefined) {
              expect(f.outOfSample.from).toBe(prev.outOfSample.to);
              expect(f.inSample.from).toBeGreaterThan(prev.inSample.from);
            }
          });
        },
      ),
    );
  });

  it('refuses folds too small to judge anything, saying what to change', () => {
    expect(() => buildFolds({ from: T0, to: (T0 + MS.hour) as EpochMs, folds: 5, barMs: MS.minute })).toThrow(
      /fewer --folds or more data/,
    );
    expect(() => buildFolds({ from: T0, to: (T0 + MS.day) as EpochMs, folds: 0, barMs: MS.minute })).toThrow(
      FoldError,
    );
  });
});
