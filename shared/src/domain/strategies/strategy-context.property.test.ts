import fc from 'fast-check';
import { parseMarket } from '../market/market-id';
import { Decimal } from '../money/decimal';
import { krw } from '../money/quantities';
import type { ExposureBook } from '../risk/exposure';
import { averageEntryNumber, emptyPosition } from '../risk/position-accounting';
import { afterPathStep } from '../risk/testing/risk-builders';
import type { EpochMs } from '../time/epoch';
import type { Position } from '../trading/position';
import { strategyContext } from './strategy-step';

// strategyContext works the average entry out on first read: every field must read as the eager
// literal it used to build (the accounting's averageEntryNumber as the average's oracle), whenever
// and however often it is read, also after the position it was made of has been followed by others.

const BTC = parseMarket('KRW-BTC');
const T = 1_767_225_600_000 as EpochMs;
const LIMITS = { maxStrategyExposure: krw(new Decimal(3_000_000)) };

function book(usedWon: number | undefined): ExposureBook {
  const byStrategy = new Map(
    usedWon === undefined ? [] : [['market_making' as const, krw(new Decimal(usedWon))]],
  );
  return { total: krw(new Decimal(usedWon ?? 0)), byMarket: new Map(), byStrategy };
}

describe('strategyContext', () => {
  it('reads as the eager context: volume, room, and the average entry on any read (2,000 paths)', () => {
    const step = fc.record({
      bid: fc.boolean(),
      won: fc.integer({ min: 1_000, max: 200_000_000 }),
      units: fc.integer({ min: 1, max: 3_000_000 }),
      share: fc.oneof(fc.constant(100), fc.integer({ min: 1, max: 99 })),
      used: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: undefined }),
      reads: fc.integer({ min: 0, max: 2 }),
    });
    let flat = 0;
    let held = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 10 }), (steps) => {
        let p: Position = emptyPosition(BTC, 'market_making', T);
        const made: {
          ctx: ReturnType<typeof strategyContext>;
          position: Position;
          used: number | undefined;
        }[] = [];
        steps.forEach((s, i) => {
          p = afterPathStep(p, s, i, T) ?? p;
          const now = (T + (i + 1) * 60_000) as EpochMs;
          const ctx = strategyContext(p, book(s.used), LIMITS, 'market_making', now);
          // Read now (0–2 times) or only later, after the next positions were made.
          for (let r = 0; r < s.reads; r++)
            expect(Object.is(ctx.avgEntryPrice, averageEntryNumber(p))).toBe(true);
          expect(ctx.now).toBe(now);
          expect(Object.is(ctx.positionVolume, p.volume.toNumber())).toBe(true);
          const room = LIMITS.maxStrategyExposure.minus(new Decimal(s.used ?? 0)).toNumber();
          expect(Object.is(ctx.availableKrw, Math.max(0, room))).toBe(true);
          made.push({ ctx, position: p, used: s.used });
          if (p.volume.isZero()) flat += 1;
          else held += 1;
        });
        for (const m of made) {
          const want = averageEntryNumber(m.position);
          expect(Object.is(m.ctx.avgEntryPrice, want)).toBe(true);
          expect(m.ctx.avgEntryPrice === undefined).toBe(m.position.volume.isZero());
        }
      }),
      { seed: 20261206, numRuns: 2_000 },
    );
    expect(flat).toBeGreaterThan(300);
    expect(held).toBeGreaterThan(2_000);
  });
});
