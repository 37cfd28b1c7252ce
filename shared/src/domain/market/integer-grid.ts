import type { Decimal } from '../money/decimal';
import { unitsOf } from '../money/decimal-units';
import type { TickContext } from './tick-rounding';
import { KRW_TICK_TABLES, type TickTable } from './tick-table';

/** One price band as doubles: NaN where its lower bound or tick is not a whole number. */
interface WholeBand {
  readonly from: number;
  readonly tick: number;
}

function whole(d: Decimal): number {
  return unitsOf(d, 0) ?? Number.NaN;
}

const cache = new WeakMap<TickTable, Map<string, readonly WholeBand[]>>();

/** A table's bands for an asset (its overrides applied, as `tickSizeIn` does), highest first. */
function bandsOf(table: TickTable, asset: string | undefined): readonly WholeBand[] {
  // The same table and asset as the last call (every price of one market in a row: the shadow
  // ledgers' bids, the synthetic book's levels) without the two map lookups.
  if (table === lastTable && asset === lastAsset) return lastBands;
  let byAsset = cache.get(table);
  if (byAsset === undefined) {
    byAsset = new Map();
    cache.set(table, byAsset);
  }
  const key = asset ?? '';
  let bands = byAsset.get(key);
  if (bands === undefined) {
    const overrides = asset === undefined ? undefined : table.overrides[asset];
    bands = table.bands.map((b) => ({
      from: whole(b.from),
      tick: whole((overrides?.find((o) => o.from.eq(b.from)) ?? b).tick),
    }));
    byAsset.set(key, bands);
  }
  lastTable = table;
  lastAsset = asset;
  lastBands = bands;
  return bands;
}

let lastTable: TickTable | undefined;
let lastAsset: string | undefined;
let lastBands: readonly WholeBand[] = [];
/** The context whose table and asset {@link lastBands} belong to (contexts are never changed). */
let lastContext: TickContext | undefined;

/**
 * {@link bandsOf} of a context's table and asset, by the context itself while it is the last one
 * asked (the engine's tick contexts and the quote levels keep one per market), else by its table
 * and asset.
 */
function bandsOfContext(ctx: TickContext): readonly WholeBand[] {
  if (ctx === lastContext) return lastBands;
  const bands = bandsOf(ctx.table, ctx.asset);
  lastContext = ctx;
  return bands;
}

/**
 * The tick (as `tickOf`/`tickSizeIn` choose it) of the band holding the positive double `x`, when
 * that band and every band above it have whole-number bounds and the tick is a whole number;
 * otherwise NaN. Bands are chosen by `x ≥ from`: for a whole-number bound, the double and the
 * decimal of its shortest text compare alike.
 */
export function integerTickAt(x: number, ctx: TickContext): number {
  if (ctx.tick !== undefined) return whole(ctx.tick);
  for (const b of bandsOfContext(ctx)) {
    if (Number.isNaN(b.from)) return Number.NaN;
    if (x >= b.from) return b.tick;
  }
  return Number.NaN;
}

/**
 * The tick of the band just below the whole number `x` (what `stepTicks` looks up at
 * x − tick(x)/10^6): for whole-number bounds, the first band whose bound is below x. NaN when
 * that cannot be decided on doubles.
 */
export function integerTickBelow(x: number, ctx: TickContext): number {
  if (ctx.tick !== undefined) return whole(ctx.tick);
  const own = integerTickAt(x, ctx);
  // x − own/10^6 lies strictly between x − 1 and x only while the tick is below a million won.
  if (!(own > 0 && own < 1e6)) return Number.NaN;
  for (const b of bandsOfContext(ctx)) {
    if (Number.isNaN(b.from)) return Number.NaN;
    if (x > b.from) return b.tick;
  }
  return Number.NaN;
}

/** A price band on whole numbers: every x in [from, to) has the tick `tick` (see integerBandAt). */
export interface IntegerBand {
  readonly from: number;
  readonly to: number;
  readonly tick: number;
}

/**
 * The band holding the positive double `x` as an interval on which {@link integerTickAt} answers the
 * same whole tick: `from` is the band's bound, `to` the lowest bound of the bands checked before it
 * (Infinity for the top band or a known tick), so a y in [from, to) passes over every one of those
 * (y < their bounds) and stops at this band (y ≥ from). Undefined where integerTickAt gives NaN.
 */
export function integerBandAt(x: number, ctx: TickContext): IntegerBand | undefined {
  if (ctx.tick !== undefined) {
    const t = whole(ctx.tick);
    return t > 0 ? { from: 0, to: Number.POSITIVE_INFINITY, tick: t } : undefined;
  }
  let to = Number.POSITIVE_INFINITY;
  for (const b of bandsOfContext(ctx)) {
    if (Number.isNaN(b.from)) return undefined;
    if (x >= b.from) return b.tick > 0 ? { from: b.from, to, tick: b.tick } : undefined;
    if (b.from < to) to = b.from;
  }
  return undefined;
}

// Contexts switched at load, so that the lookups above have type feedback for a switch of context
// and for an asset that is a slice of a market name (not an internalized string) before they are
// optimised. Without it, a run whose first prices came from one context (the benchmark's generator
// rounds its bars with an asset of '') had those lookups compiled for that context alone, and the
// run's first context (another object, asset 'BTC' sliced from the market) threw away the tick
// lookup and every rounding that inlined it, which V8 then compiled again inside the measured run.
// V8 records feedback only once a function has run a few times: 64 lookups, alternating.
const warmContexts: readonly TickContext[] = ['KRW-BTC', 'KRW-ETH'].map((market) => ({
  table: KRW_TICK_TABLES[KRW_TICK_TABLES.length - 1] as TickTable,
  asset: market.slice(4),
}));
for (let i = 0; i < 64; i++) integerTickAt(1_000_000 + i, warmContexts[i & 1] as TickContext);
