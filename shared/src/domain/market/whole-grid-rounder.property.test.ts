import fc from 'fast-check';
import { edgePrice } from '../../../testing/adversarial-decimals';
import { Decimal } from '../money/decimal';
import type { Price } from '../money/quantities';
import { integerBandAt, integerTickAt } from './integer-grid';
import { roundNumberOnWholeGrid, type TickContext, WholeGridRounder } from './tick-rounding';
import { KRW_TICK_TABLES } from './tick-table';

/*
 * WholeGridRounder keeps the band of the last price it looked up: one long-lived instance, fed
 * runs of prices on changing contexts (every KRW table, an asset with overrides, a known tick),
 * must answer exactly what roundNumberOnWholeGrid answers for each price, band edges and half
 * ticks included, and inside a band found by integerBandAt integerTickAt must agree.
 */

const CONTEXTS: readonly TickContext[] = [
  ...KRW_TICK_TABLES.flatMap((table) => [
    { table, asset: 'BTC' },
    { table, asset: 'ADA' },
    { table, asset: 'USDT' },
    { table },
  ]),
  { table: KRW_TICK_TABLES[0] as TickContext['table'], tick: new Decimal(5) as Price },
  { table: KRW_TICK_TABLES[0] as TickContext['table'], tick: new Decimal('0.5') as Price },
];

const price = fc.oneof(
  edgePrice,
  fc.integer({ min: 1, max: 3e9 }),
  fc.double({ min: 1e-4, max: 3e9, noNaN: true }),
  fc.constantFrom(0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 51, 2 ** 51 - 1, 2 ** 60),
);

// A few prices near one another (a ladder around a mid), then a jump elsewhere.
const run = fc.tuple(
  fc.integer({ min: 0, max: CONTEXTS.length - 1 }),
  price,
  fc.array(
    fc.tuple(fc.double({ min: -0.05, max: 0.05, noNaN: true }), fc.constantFrom<'bid' | 'ask'>('bid', 'ask')),
    {
      minLength: 1,
      maxLength: 12,
    },
  ),
);

describe('WholeGridRounder', () => {
  it('rounds every price of every run as roundNumberOnWholeGrid does (counted)', () => {
    const rounder = new WholeGridRounder();
    let kept = 0;
    let other = 0;
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 6 }), (runs) => {
        for (const [c, mid, layers] of runs) {
          const ctx = CONTEXTS[c] as TickContext;
          for (const [offset, side] of layers) {
            const x = mid * (1 + offset);
            const want = roundNumberOnWholeGrid(x, side, ctx);
            expect(rounder.round(x, side, ctx)).toBe(want);
            if (want === undefined) other += 1;
            else kept += 1;
          }
        }
      }),
      { numRuns: 3000 },
    );
    expect(kept).toBeGreaterThan(5000);
    expect(other).toBeGreaterThan(500);
  });

  it('finds bands on which integerTickAt answers the band’s tick', () => {
    fc.assert(
      fc.property(
        price,
        fc.integer({ min: 0, max: CONTEXTS.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (x, c, at) => {
          const ctx = CONTEXTS[c] as TickContext;
          if (!(x > 0 && Number.isFinite(x))) return;
          const band = integerBandAt(x, ctx);
          if (band === undefined) {
            expect(integerTickAt(x, ctx) > 0).toBe(false);
            return;
          }
          expect(x >= band.from && x < band.to).toBe(true);
          expect(integerTickAt(x, ctx)).toBe(band.tick);
          // Any point of the band, its edges included.
          const top = Number.isFinite(band.to) ? band.to : band.from * 2 + 1e6;
          for (const y of [band.from, band.from + (top - band.from) * at, top - 1, top - 1e-6])
            if (y >= band.from && y < band.to && y > 0) expect(integerTickAt(y, ctx)).toBe(band.tick);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
