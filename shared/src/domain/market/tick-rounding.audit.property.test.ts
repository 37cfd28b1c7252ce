import fc from 'fast-check';
import { BAND_EDGES, edgePrice } from '../../../testing/adversarial-decimals';
import { Decimal, decimalFromNumber, Rounding } from '../money/decimal';
import { type Price, price } from '../money/quantities';
import {
  roundNumberOnWholeGrid,
  roundNumberToTick,
  roundNumberToTickValue,
  roundToTick,
  spreadAroundNumber,
  stepTicks,
  type TickContext,
} from './tick-rounding';
import { KRW_TICK_TABLES, tickSizeIn } from './tick-table';

// Audit of the whole-won fast paths of tick rounding (cached band lists, multiples tested on
// doubles, the last table remembered) against an independent decimal reference on prices at and
// around every band edge of every table, half ticks, with asset overrides, tables interleaved (so
// the remembered band list is switched between calls).

const RUNS = { seed: 20261205, numRuns: 3000 } as const;
const table = fc.constantFrom(...KRW_TICK_TABLES);
const context = fc
  .tuple(table, fc.constantFrom(undefined, 'ADA', 'USDT', 'BTC'))
  .map(([t, asset]): TickContext => (asset === undefined ? { table: t } : { table: t, asset }));
const mode = fc.constantFrom('bid', 'ask', 'down', 'up', 'nearest') as fc.Arbitrary<
  'bid' | 'ask' | 'down' | 'up' | 'nearest'
>;

/**
 * The grid point for `p` straight from the table: the band's tick t at p, floor/ceil/half-even of
 * p / t times t (band edges are multiples of both neighbouring ticks, so a ceiling that leaves the
 * band lands on the edge, itself on the grid); a floor of zero is one tick (never a zero price).
 */
function reference(p: Decimal, m: string, ctx: TickContext): Decimal {
  const t = tickSizeIn(ctx.table, p, ctx.asset);
  const r =
    m === 'bid' || m === 'down' ? Rounding.floor : m === 'nearest' ? Rounding.halfEven : Rounding.ceil;
  const q = p.div(t).toDecimalPlaces(0, r).times(t);
  return q.isZero() ? t : q;
}

describe('audit: tick rounding fast paths (claim: the decimal path’s price, exactly)', () => {
  it('roundToTick, roundNumberToTick, roundNumberToTickValue and roundNumberOnWholeGrid agree with the table', () => {
    fc.assert(
      fc.property(edgePrice, mode, context, (x, m, ctx) => {
        const p = decimalFromNumber(x);
        const want = reference(p, m, ctx);
        expect(roundToTick(p as Price, m, ctx).eq(want)).toBe(true);
        expect(roundNumberToTick(x, m, ctx).eq(want)).toBe(true);
        expect(roundNumberToTickValue(x, m, ctx)).toBe(want.toNumber());
        const whole = roundNumberOnWholeGrid(x, m, ctx);
        if (whole !== undefined) expect(whole).toBe(want.toNumber());
      }),
      RUNS,
    );
  });

  it('spreadAroundNumber and stepTicks move across band edges as the table says', () => {
    fc.assert(
      fc.property(edgePrice, context, fc.integer({ min: -3, max: 3 }), (x, ctx, n) => {
        const bid = reference(decimalFromNumber(x), 'bid', ctx);
        const spread = spreadAroundNumber(x, ctx);
        expect(spread.bid).toBe(bid.toNumber());
        expect(spread.ask).toBe(bid.plus(tickSizeIn(ctx.table, bid, ctx.asset)).toNumber());
        // n ticks from an on-grid price, one at a time: up by the tick at the price, down by the
        // tick just below it, never below the lowest band's tick.
        let want: Decimal = bid;
        for (let i = 0; i < Math.abs(n); i++) {
          if (n > 0) want = want.plus(tickSizeIn(ctx.table, want, ctx.asset));
          else {
            const below = tickSizeIn(ctx.table, want.minus('1e-12'), ctx.asset);
            if (want.lte(below)) break;
            want = want.minus(below);
          }
        }
        expect(stepTicks(price(bid), n, ctx).eq(want)).toBe(true);
      }),
      RUNS,
    );
  });

  it('puts every band edge, and the points one tick and half a tick on either side, where the table says', () => {
    for (const ctx of KRW_TICK_TABLES.flatMap((t) => [{ table: t }, { table: t, asset: 'ADA' }]))
      for (const edge of BAND_EDGES) {
        const e = new Decimal(edge);
        const t = tickSizeIn(ctx.table, e, ctx.asset);
        for (const p of [e, e.plus(t), e.minus(t.div(10)), e.plus(t.div(2)), e.minus(t.div(2))].filter((q) =>
          q.gt(0),
        ))
          for (const m of ['bid', 'ask', 'nearest'] as const)
            expect(roundToTick(price(p), m, ctx).eq(reference(p, m, ctx))).toBe(true);
      }
  });
});
