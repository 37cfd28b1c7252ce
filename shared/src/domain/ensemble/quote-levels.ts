import type { Market } from '../market/market-id';
import { baseCurrency } from '../market/market-id';
import { type MarketRules, tickTableFor } from '../market/market-rules';
import { roundNumberToTick, type TickContext } from '../market/tick-rounding';
import { type Decimal, decimalFromNumber, ZERO } from '../money/decimal';
import { compareDecimals, decimalGt, decimalGte, decimalLt, decimalLte } from '../money/decimal-compare';
import { floorOfNumberOver, floorOfQuotient } from '../money/decimal-floors';
import { sumOf } from '../money/decimal-sums';
import { unitsOf } from '../money/decimal-units';
import { LastUnits } from '../money/last-units';
import { type Price, VOLUME_DECIMALS, type Volume } from '../money/quantities';
import { limitTotal } from '../orders/limit-facts';
import type { QuoteHints } from '../strategies/quote-hints';
import type { EpochMs } from '../time/epoch';
import type { QuoteLevel } from '../trading/decision';

import type { TopOfBook } from './top-of-book';
import { copiedColumns, type QuoteColumns, wholeWonColumns, wholeWonLevels } from './whole-won-levels';

export { exactTopOfBook, type TopOfBook } from './top-of-book';
export { type QuoteColumns, WHOLE_WON_LEVELS } from './whole-won-levels';

// A ladder's sizes (base × decay^layer) are the same doubles bar after bar: each is converted from
// its text once. Decimals are immutable, so sharing them is safe; the table is bounded.
const SIZE_CACHE_LIMIT = 256;
const sizeCache = new Map<number, Decimal>();

function sizeDecimal(sizeKrw: number): Decimal {
  let size = sizeCache.get(sizeKrw);
  if (size === undefined) {
    size = decimalFromNumber(sizeKrw);
    if (sizeCache.size >= SIZE_CACHE_LIMIT) sizeCache.clear();
    sizeCache.set(sizeKrw, size);
  }
  return size;
}

/**
 * Turns float quote hints into exact levels the executor can place as post-only orders:
 * bids rounded down and asks up onto the tick table in force at `now` (never a worse price than
 * hinted), volume = KRW size / price floored to 8 decimals, levels under the 5,000 KRW minimum
 * dropped (Upbit would reject them), levels that would cross `book` after rounding dropped (they
 * would take liquidity), and levels landing on the same tick merged so each price is one order.
 * Output: bids best (highest) first, then asks best (lowest) first.
 */
export function toQuoteLevels(
  market: Market,
  hints: QuoteHints,
  now: EpochMs,
  rules: MarketRules,
  book?: TopOfBook,
): QuoteLevel[] {
  const ctx = tickContextOf(market, tickTableFor(rules, now));
  return wholeWonLevels(hints, rules, ctx, book) ?? decimalQuoteLevels(hints, rules, ctx, book);
}

/**
 * {@link toQuoteLevels}' levels by the decimal steps alone ({@link decimalQuoteLevels}), whatever
 * the grid: the same levels (held to each other by the quote levels' property audit), for a caller
 * that wants the general path's code run (see lazy-quotes-intent's warm-up).
 */
export function decimalQuoteLevelsAt(
  market: Market,
  hints: QuoteHints,
  now: EpochMs,
  rules: MarketRules,
  book?: TopOfBook,
): QuoteLevel[] {
  return decimalQuoteLevels(hints, rules, tickContextOf(market, tickTableFor(rules, now)), book);
}

/**
 * {@link toQuoteLevels}' levels as integer columns (copied: see QuoteColumns) when its whole-won
 * path builds them, without their decimals; undefined when the decimal steps are needed.
 */
export function toQuoteColumns(
  market: Market,
  hints: QuoteHints,
  now: EpochMs,
  rules: MarketRules,
  book?: TopOfBook,
): QuoteColumns | undefined {
  const ctx = tickContextOf(market, tickTableFor(rules, now));
  return wholeWonColumns(hints, rules, ctx, book) === undefined ? undefined : copiedColumns();
}

/**
 * {@link toQuoteColumns} without the copy: the number of levels when the whole-won path built the
 * ladder, left in {@link WHOLE_WON_LEVELS}' columns (valid until the next ladder is built), or
 * undefined when the decimal steps are needed.
 */
export function toQuoteColumnsInPlace(
  market: Market,
  hints: QuoteHints,
  now: EpochMs,
  rules: MarketRules,
  book?: TopOfBook,
): number | undefined {
  return wholeWonColumns(hints, rules, tickContextOf(market, tickTableFor(rules, now)), book);
}

// Each market's last tick context: a run quotes the same few markets under one table for months,
// so the same context serves bar after bar instead of a new object and asset text per
// ladder. Kept per market, not for the last ladder only: a multi-market run quotes its markets in
// turn every minute, which made a new context (and its band lookup by a new asset text) per ladder.
const tickContexts = new Map<Market, TickContext>();
// Bounded: a run quotes a handful of markets; a long-lived process starts over.
const MAX_TICK_CONTEXTS = 256;
let lastTickContext: TickContext | undefined;
let lastTickMarket: Market | undefined;

function tickContextOf(market: Market, table: TickContext['table']): TickContext {
  if (lastTickContext !== undefined && lastTickMarket === market && lastTickContext.table === table)
    return lastTickContext;
  let ctx = tickContexts.get(market);
  if (ctx === undefined || ctx.table !== table) {
    if (ctx === undefined && tickContexts.size >= MAX_TICK_CONTEXTS) tickContexts.clear();
    // Not frozen: the `{ table, asset }` literal's own hidden class, the one every other tick
    // context of a run has (synthetic books, risk checks); a frozen one is a second class, and the
    // tick lookups compiled on one were thrown away at the first of the other (`integerTickAt`,
    // `roundOnIntegerGrid`: a day-0 deopt, recompiled ~day 93). Callers only read contexts.
    ctx = { table, asset: baseCurrency(market) };
    tickContexts.set(market, ctx);
  }
  lastTickContext = ctx;
  lastTickMarket = market;
  return ctx;
}

/**
 * {@link toQuoteLevels} step by step on decimals, for any grid and size (exported so a property
 * test can hold the whole-won path to it).
 */
export function decimalQuoteLevels(
  hints: QuoteHints,
  rules: MarketRules,
  ctx: TickContext,
  book?: TopOfBook,
): QuoteLevel[] {
  // Levels per side, each price once (a handful per side: a scan beats keying a map by price text).
  const bids: QuoteLevel[] = [];
  const asks: QuoteLevel[] = [];
  // Converted once, on first use: every hint is compared with the same top of book.
  let bestAsk: Decimal | undefined;
  let bestBid: Decimal | undefined;
  for (let h = 0; h < hints.count; h++) {
    const hint = hints.at(h);
    if (!(Number.isFinite(hint.price) && hint.price > 0 && Number.isFinite(hint.sizeKrw) && hint.sizeKrw > 0))
      continue;
    const price = roundNumberToTick(hint.price, hint.side, ctx);
    if (decimalLte(price, ZERO)) continue;
    if (book !== undefined && hint.side === 'bid') {
      bestAsk ??= book.exact?.ask ?? decimalFromNumber(book.bestAsk);
      if (!decimalLt(price, bestAsk)) continue;
    }
    if (book !== undefined && hint.side === 'ask') {
      bestBid ??= book.exact?.bid ?? decimalFromNumber(book.bestBid);
      if (!decimalGt(price, bestBid)) continue;
    }
    // Decided from the double when certain; the size's decimal is built only when it is not.
    const volume = (floorOfNumberOver(hint.sizeKrw, price, VOLUME_DECIMALS) ??
      floorOfQuotient(sizeDecimal(hint.sizeKrw), price, VOLUME_DECIMALS)) as Volume;
    if (decimalLte(volume, ZERO)) continue;
    mergeLevel(hint.side === 'bid' ? bids : asks, hint.side, price, volume);
  }
  const bidLevels = keptBestFirst(bids, rules.minTotal, -1);
  const askLevels = keptBestFirst(asks, rules.minTotal, 1);
  return bidLevels.length === 0
    ? askLevels
    : askLevels.length === 0
      ? bidLevels
      : bidLevels.concat(askLevels);
}

/**
 * The levels whose total reaches `minTotal`, best price first (`order` −1: highest first, for bids;
 * 1: lowest first, for asks). Prices on a side are distinct (merged), so an insertion sort of the
 * handful of levels gives what a stable sort would, without a filter copy and comparator closures
 * per call. The total is kept with the (price, volume) pair: validation and the locks reuse it
 * (limit-facts).
 */
function keptBestFirst(levels: readonly QuoteLevel[], minTotal: Decimal, order: 1 | -1): QuoteLevel[] {
  const out: QuoteLevel[] = [];
  for (const l of levels) {
    if (!reachesTotal(l.price, l.volume, minTotal)) continue;
    let i = out.length;
    while (i > 0 && compareDecimals(l.price, (out[i - 1] as QuoteLevel).price) === -order) {
      out[i] = out[i - 1] as QuoteLevel;
      i -= 1;
    }
    out[i] = l;
  }
  return out;
}

/**
 * `price × volume ≥ total` for a limit order's (price, volume) pair. On whole-won prices (every
 * KRW price from 100 up) the product in 1e-8 units is a safe integer for totals below ~90 million
 * won, compared with the total's units exactly; anything else compares the exact product
 * (limitTotal). Exported for the ladder path's maximum-total check.
 */
export function reachesTotal(price: Price, volume: Volume, total: Decimal): boolean {
  const p = unitsOf(price, 0);
  if (p !== undefined) {
    const t = TOTAL_UNITS.of(total);
    const v = unitsOf(volume, 8);
    if (t !== undefined && v !== undefined) {
      const product = p * v;
      if (product <= Number.MAX_SAFE_INTEGER) return product >= t;
    }
  }
  return decimalGte(limitTotal(price, volume), total);
}

// The totals asked (the market's minimum, the exchange's maximum) in 1e-8 units (see LastUnits).
const TOTAL_UNITS = new LastUnits(8);

/** Adds a level to its side, summing the volume into an existing level at the same price. */
function mergeLevel(list: QuoteLevel[], side: QuoteLevel['side'], price: Price, volume: Volume): void {
  for (let i = 0; i < list.length; i++) {
    const prior = list[i] as QuoteLevel;
    if (compareDecimals(prior.price, price) === 0) {
      list[i] = { side, price, volume: sumOf(prior.volume, volume) as Volume };
      return;
    }
  }
  list.push({ side, price, volume });
}
