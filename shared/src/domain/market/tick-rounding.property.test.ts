import fc from 'fast-check';
import { Decimal } from '../money/decimal';
import { type Price, price } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import { isOnTick, roundToTick, stepTicks } from './tick-rounding';
import { KRW_TICK_TABLES, tickSizeIn, tickTableAt } from './tick-table';

// Prices from 1e-6 to 2e9 KRW with up to 9 decimals: every band of every table.
const anyPrice = fc
  .tuple(
    fc.integer({ min: 1, max: 2_000_000_000 }),
    fc.integer({ min: 0, max: 999_999_999 }),
    fc.integer({ min: 0, max: 9 }),
  )
  .map(([whole, frac, shift]) =>
    price(new Decimal(`${whole}.${String(frac).padStart(9, '0')}`).div(10 ** shift)),
  );
const anyTable = fc.constantFrom(...KRW_TICK_TABLES);
const anyAsset = fc.constantFrom(undefined, 'BTC', 'ADA', 'USDT');

describe('roundToTick properties', () => {
  it('produces on-grid prices that never cross the original in the wrong direction', () => {
    fc.assert(
      fc.property(anyPrice, anyTable, anyAsset, (p, table, asset) => {
        const ctx = asset === undefined ? { table } : { table, asset };
        const down = roundToTick(p, 'bid', ctx);
        const up = roundToTick(p, 'ask', ctx);
        expect(isOnTick(down, ctx)).toBe(true);
        expect(isOnTick(up, ctx)).toBe(true);
        expect(up.gte(p)).toBe(true);
        if (down.lte(p)) return;
        // Only a price below the smallest tick rounds "down" to one tick rather than to zero.
        expect(p.lt(down)).toBe(true);
        expect(down.eq(table.bands.at(-1)?.tick ?? 0)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(
        anyPrice,
        anyTable,
        fc.constantFrom('bid', 'ask', 'nearest') as fc.Arbitrary<'bid' | 'ask' | 'nearest'>,
        (p, table, mode) => {
          const once = roundToTick(p, mode, { table });
          expect(roundToTick(once, mode, { table }).eq(once)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rounds to the nearest grid point: no on-grid price lies strictly between the input and the result', () => {
    fc.assert(
      fc.property(anyPrice, anyTable, (p, table) => {
        const ctx = { table };
        const down = roundToTick(p, 'bid', ctx);
        if (down.gt(p)) return;
        const next = stepTicks(down, 1, ctx);
        expect(next.gt(p) || next.eq(p) || down.eq(p)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('steps stay on the grid and move in the requested direction', () => {
    fc.assert(
      fc.property(anyPrice, fc.integer({ min: -5, max: 5 }), (p, n) => {
        const ctx = { table: tickTableAt(Date.parse('2026-01-01T00:00:00Z') as EpochMs) };
        const base: Price = roundToTick(p, 'bid', ctx);
        const moved = stepTicks(base, n, ctx);
        expect(isOnTick(moved, ctx)).toBe(true);
        if (n > 0) expect(moved.gt(base)).toBe(true);
        if (n < 0 && base.gt(tickSizeIn(ctx.table, base))) expect(moved.lt(base)).toBe(true);
        expect(moved.gt(0)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
