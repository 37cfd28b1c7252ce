import fc from 'fast-check';
import { Decimal, decimalFromNumber, Rounding } from '../money/decimal';
import { type Price, price } from '../money/quantities';
import {
  isOnTick,
  roundNumberToTick,
  roundNumberToTickValue,
  roundToTick,
  stepTicks,
  type TickContext,
  type TickRounding,
} from './tick-rounding';
import { KRW_TICK_TABLES, tickSizeIn } from './tick-table';

// The decimal-only rounding as it was before the whole-won fast paths: the reference they must match.
function tickOf(p: Price, ctx: TickContext) {
  return ctx.tick ?? tickSizeIn(ctx.table, p, ctx.asset);
}
function refOnTick(p: Price, ctx: TickContext): boolean {
  if (p.lte(0)) return false;
  return p.mod(tickOf(p, ctx)).isZero();
}
function refInBand(p: Price, mode: TickRounding, ctx: TickContext): Price {
  const tick = tickOf(p, ctx);
  const units = p.div(tick);
  const r = mode === 'down' ? Rounding.floor : mode === 'up' ? Rounding.ceil : Rounding.halfEven;
  return units.toDecimalPlaces(0, r).times(tick) as Price;
}
function refRound(p: Price, side: 'bid' | 'ask' | TickRounding, ctx: TickContext): Price {
  const mode: TickRounding = side === 'bid' ? 'down' : side === 'ask' ? 'up' : side;
  if (refOnTick(p, ctx)) return p;
  let rounded = refInBand(p, mode, ctx);
  for (let i = 0; i < 3 && !refOnTick(rounded, ctx); i++)
    rounded = refInBand(rounded, mode === 'nearest' ? 'down' : mode, ctx);
  if (rounded.isZero()) return tickOf(p, ctx) as Price;
  return rounded;
}
function refStep(p: Price, n: number, ctx: TickContext): Price {
  let current = refRound(p, n >= 0 ? 'up' : 'down', ctx);
  for (let i = 0; i < Math.abs(n); i++) {
    if (n > 0) current = current.plus(tickOf(current, ctx)) as Price;
    else {
      const below = tickOf(current.minus(tickOf(current, ctx).div(1e6)) as Price, ctx);
      if (current.lte(below)) break;
      current = current.minus(below) as Price;
    }
  }
  return current;
}

// Doubles across every band, whole numbers, band edges and exact half-way points weighted up.
const EDGES = [1, 10, 100, 1000, 5000, 10000, 50000, 100000, 500000, 1000000, 2000000];
const anyNumber = fc.oneof(
  fc.double({ min: 1e-6, max: 3e9, noNaN: true }),
  fc.integer({ min: 1, max: 3_000_000_000 }),
  fc.tuple(fc.constantFrom(...EDGES), fc.integer({ min: -3, max: 3 })).map(([e, d]) => Math.max(1e-4, e + d)),
  fc
    .tuple(fc.integer({ min: 1, max: 2_000_000 }), fc.constantFrom(0.5, 2.5, 25, 250, 0.25, 0.75))
    .map(([k, h]) => k * 1000 + h),
  fc.double({ min: 95, max: 1e8, noNaN: true }).map((x) => Math.round(x * 100) / 100),
);
const anyCtx: fc.Arbitrary<TickContext> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...KRW_TICK_TABLES), fc.constantFrom(undefined, 'BTC', 'ADA', 'USDT'))
    .map(([table, asset]) => (asset === undefined ? { table } : { table, asset })),
  fc
    .tuple(fc.constantFrom(...KRW_TICK_TABLES), fc.constantFrom('1', '5', '1000', '0.5', '0.01'))
    .map(([table, tick]) => ({ table, tick: price(tick) })),
);
const anyMode = fc.constantFrom('bid', 'ask', 'nearest', 'down', 'up') as fc.Arbitrary<'bid' | TickRounding>;

const same = (a: Decimal, b: Decimal) => a.eq(b) && a.toFixed() === b.toFixed();

describe('tick rounding on whole-won grids', () => {
  it('rounds doubles exactly as converting them to decimals first would', () => {
    fc.assert(
      fc.property(anyNumber, anyCtx, anyMode, (x, ctx, mode) => {
        const expected = refRound(price(decimalFromNumber(x)), mode, ctx);
        expect(same(roundNumberToTick(x, mode, ctx), expected)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('rounds, tests and steps decimals exactly as the decimal arithmetic does', () => {
    fc.assert(
      fc.property(anyNumber, anyCtx, anyMode, fc.integer({ min: -4, max: 4 }), (x, ctx, mode, n) => {
        const p = price(new Decimal(String(x)));
        expect(same(roundToTick(p, mode, ctx), refRound(p, mode, ctx))).toBe(true);
        expect(isOnTick(p, ctx)).toBe(refOnTick(p, ctx));
        const on = refRound(p, 'bid', ctx);
        expect(isOnTick(on, ctx)).toBe(refOnTick(on, ctx));
        expect(same(stepTicks(p, n, ctx), refStep(p, n, ctx))).toBe(true);
        expect(same(stepTicks(on, n, ctx), refStep(on, n, ctx))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the same doubles over a sequence of tables and assets (the last table and asset are remembered)', () => {
    // Consecutive calls with the same and with other contexts: a remembered band list must never
    // leak from one table or asset into the next call's rounding.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(anyNumber, anyCtx, anyMode), { minLength: 2, maxLength: 12 }),
        (calls) => {
          for (const [x, ctx, mode] of calls)
            expect(roundNumberToTickValue(x, mode, ctx)).toBe(
              refRound(price(decimalFromNumber(x)), mode, ctx).toNumber(),
            );
        },
      ),
      { numRuns: 1000 },
    );
  });

  // The tables with per-asset overrides (ADA's 100–1,000 won band ticks 1 won, not 0.1), and prices
  // in that band: where a context's bands taken for another asset's would round differently.
  const sameTableCtx: fc.Arbitrary<TickContext> = fc
    .tuple(fc.constantFrom(...KRW_TICK_TABLES.slice(2, 4)), fc.constantFrom(undefined, 'BTC', 'ADA', 'USDT'))
    .map(([table, asset]) => (asset === undefined ? { table } : { table, asset }));
  const overriddenBand = fc.double({ min: 100, max: 1000, noNaN: true }).map((x) => Math.round(x * 10) / 10);

  it('gives the same doubles when the same context objects are asked again in any order (the last context is remembered)', () => {
    // A few contexts made once and reused, as the engine's tick contexts are, interleaved with fresh
    // copies of them: the bands remembered for the last context object must be those of its own
    // table and asset, whichever context or copy was asked before.
    fc.assert(
      fc.property(
        fc.array(fc.oneof(anyCtx, sameTableCtx), { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(3), fc.boolean(), fc.oneof(anyNumber, overriddenBand), anyMode), {
          minLength: 2,
          maxLength: 16,
        }),
        (pool, calls) => {
          for (const [i, fresh, x, mode] of calls) {
            const kept = pool[i % pool.length] as TickContext;
            const ctx = fresh ? { ...kept } : kept;
            expect(roundNumberToTickValue(x, mode, ctx)).toBe(
              refRound(price(decimalFromNumber(x)), mode, ctx).toNumber(),
            );
          }
        },
      ),
      { seed: 20261207, numRuns: 1000 },
    );
  });

  it('refuses non-finite and negative input as before', () => {
    const ctx = { table: KRW_TICK_TABLES[4] as TickContext['table'] };
    expect(() => roundNumberToTick(Number.NaN, 'bid', ctx)).toThrow(/not a finite decimal/);
    expect(() => roundNumberToTick(-5, 'bid', ctx)).toThrow(/must not be negative/);
    expect(roundNumberToTick(0, 'bid', ctx).toFixed()).toBe(refRound(price('0'), 'bid', ctx).toFixed());
  });
});
