import fc from 'fast-check';
import { parseDecimal } from '../../domain/money/decimal';
import { krw } from '../../domain/money/quantities';
import { dailyReturnsKst, maxDrawdown } from '../../domain/risk/performance-metrics';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { kstDateKey } from '../../domain/time/kst-calendar';
import type { EquityPoint } from '../../ports/equity-history-store';
import { equityPerformance } from './equity-performance';

/** 2026-03-01 00:00 KST. */
const DAY0 = Date.UTC(2026, 1, 28, 15) as EpochMs;

function point(at: number, equity: string): EquityPoint {
  const e = krw(parseDecimal(equity));
  return { at: at as EpochMs, equity: e, cash: e, holdings: krw(parseDecimal('0')), unpriced: [] };
}

/** The batch definitions over the whole curve: what the fold must reproduce to the last bit. */
function oracle(points: readonly EquityPoint[], from: EpochMs, to: EpochMs) {
  const inRange = points.filter((p) => p.at >= from && p.at < to);
  const before = points.filter((p) => p.at < from);
  const reference = before[before.length - 1] ?? inRange[0];
  if (reference === undefined) return undefined;
  const curve = reference === inRange[0] ? inRange : [reference, ...inRange];
  const daily = dailyReturnsKst(curve.map((p) => ({ at: p.at, equity: p.equity.toNumber() })))
    .filter((d) => d.day >= kstDateKey(from))
    .map((d) => ({ day: d.day, returnPct: d.ret * 100 }));
  const dd = maxDrawdown(curve.map((p) => p.equity.toNumber()));
  return {
    points: inRange.length,
    startEquity: reference.equity.toString(),
    endEquity: inRange[inRange.length - 1]?.equity.toString(),
    daily,
    maxDrawdownPct: dd.fraction * 100,
    maxDrawdownKrw: dd.amount,
  };
}

describe('equityPerformance (folded one point at a time)', () => {
  it('equals the batch daily returns and drawdown on random curves across KST days', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gapMin: fc.integer({ min: 1, max: 900 }),
            won: fc.integer({ min: 1, max: 20_000_000 }),
          }),
          { minLength: 0, maxLength: 60 },
        ),
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        fc.integer({ min: 1, max: 4 * 24 * 60 }),
        (steps, fromMin, spanMin) => {
          let at: number = DAY0;
          const points = steps.map((s) => {
            at += s.gapMin * MS.minute;
            return point(at, `${s.won}.${String(s.gapMin % 100).padStart(2, '0')}`);
          });
          const from = (DAY0 + fromMin * MS.minute) as EpochMs;
          const to = (from + spanMin * MS.minute) as EpochMs;
          const got = equityPerformance(points, from, to, 2);
          const want = oracle(points, from, to);
          if (want === undefined || want.points === 0) return got === undefined;
          expect(got).toMatchObject({
            ...want,
            startEquity: parseDecimal(want.startEquity),
            endEquity: parseDecimal(want.endEquity ?? ''),
          });
          return true;
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });
});
