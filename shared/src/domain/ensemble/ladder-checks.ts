import type { OrderbookSnapshot } from '../market/market-data';
import type { Market } from '../market/market-id';
import { numberOf, unitsOf } from '../money/decimal-units';
import type { Krw } from '../money/quantities';
import { exposureBook, sellableVolume } from '../risk/exposure';
import { bestQuotes, type MarketView, wonOr } from '../risk/fat-finger';
import type { RiskContext } from '../risk/pre-trade-check';
import type { QuoteLevel } from '../trading/decision';
import { StrategyName } from '../trading/strategy-name';
import {
  depthOf,
  fatFinger,
  MARKET_NOW,
  positionCountPasses,
  STRATEGY_NOW,
  side,
  TOTAL_NOW,
} from './ladder-check-guards';
import { type LevelListColumns, levelListColumns } from './ladder-list-columns';
import { thresholdsOf } from './ladder-thresholds';
import { type QuoteColumns, WHOLE_WON_LEVELS } from './quote-levels';

const MM = StrategyName.marketMaking;

/**
 * The account's books as the ladder reads them, without the risk engine's commitment list: an
 * account that keeps its open orders itself (the backtest's broker) answers from them directly. A
 * multi-market run would otherwise build every other market's exact bid locks and the exposure
 * book's maps before each market's ladder, only for the ladder to read three doubles. Must
 * describe the very books of the context the ladder is given (`ctx.positions`, `ctx.commitments`).
 */
export interface LadderBooks {
  /** How many commitments there are (`ctx.commitments.length`). */
  readonly openOrders: number;
  /**
   * `exposureBook(positions, commitments)`'s total, `strategy`'s and `market`'s entries (0 when
   * absent), each within a few ulps per summed term of the exact amount, or undefined when that
   * cannot be promised (a negative or non-finite term).
   */
  exposure(strategy: StrategyName, market: Market): LadderExposure | undefined;
  /** `openPositionMarkets(positions, commitments, dustThreshold)`: the same set. */
  openMarkets(dustThreshold: Krw): ReadonlySet<Market>;
  /** `sellableVolume(positions, commitments, market, strategy)` in 1e-8 units, exactly; undefined off that grid. */
  sellableUnits(market: Market, strategy: StrategyName): number | undefined;
}

/**
 * A market view that also carries its book's visible size per side as doubles — `depthOf(book.bids)`
 * and `depthOf(book.asks)` — so the checks need not read the book (a view may build it on first
 * read, as the backtest's does). Both present means the view has a book.
 */
export interface ViewDepths {
  readonly bidDepth?: number;
  readonly askDepth?: number;
}

/** Exposure amounts as doubles (see LadderBooks.exposure). */
export interface LadderExposure {
  readonly total: number;
  readonly strategy: number;
  readonly market: number;
}

/** Why the ladder path refused a layer (the pre-trade check's codes it can decide). */
export type LayerRefusal =
  | 'trade_limit'
  | 'total_limit'
  | 'strategy_limit'
  | 'market_limit'
  | 'oversell'
  | 'fat_finger_last_trade'
  | 'fat_finger_band'
  | 'fat_finger_depth';

/**
 * Every layer's pre-trade checks on doubles against per-bar thresholds (see ladderResult): per
 * layer undefined (accepted) or the refusal code, each layer seeing the locks and offered volume of
 * the layers accepted before it. Undefined overall: something is unusual or too close to call, and
 * the full pipeline decides. Records each layer's exchange verdict (limit-facts) on the way. The
 * list is shared scratch space, overwritten by the next ladder (see LADDER_VERDICTS).
 */
export function checkLadder(
  /** The decision's levels, or their integer columns (a LazyQuotesIntent's: no decimal is read). */
  levels: readonly QuoteLevel[] | QuoteColumns,
  ctx: RiskContext,
  market: Market,
  /** The same books as `ctx.positions` / `ctx.commitments` in doubles and units (see LadderBooks). */
  books?: LadderBooks,
): readonly (LayerRefusal | undefined)[] | undefined {
  if (ctx.state !== 'running') return undefined;
  if (ctx.lossStatus !== undefined && ctx.lossStatus.breaches.length > 0) return undefined;
  const view: MarketView & ViewDepths = ctx.market;
  // The book's depth per side: the view's own doubles when it carries them (see ViewDepths).
  let bidDepth = view.bidDepth;
  let askDepth = view.askDepth;
  if (bidDepth === undefined || askDepth === undefined) {
    const book = view.book;
    if (book === undefined) return undefined;
    bidDepth = depthOf(book.bids);
    askDepth = depthOf(book.asks);
  }
  // A safe-integer `lastWon` is the last trade's units, so the price is present: its decimal is
  // not read (a view may make it on first read, as the backtest's does).
  const lastWon = view.lastWon;
  let lastN: number;
  if (lastWon !== undefined && Number.isSafeInteger(lastWon)) lastN = lastWon;
  else {
    const last = view.lastTradePrice;
    if (last === undefined) return undefined;
    lastN = wonOr(lastWon, last);
  }
  if (!(lastN > 0 && Number.isFinite(lastN))) return undefined;
  // The best prices' doubles: the view's whole won when it carries them (no decimal is read or
  // built), else `numberOf` of the exact best quotes.
  let bidN = view.bidWon;
  let askN = view.askWon;
  if (
    !(bidN !== undefined && Number.isSafeInteger(bidN) && askN !== undefined && Number.isSafeInteger(askN))
  ) {
    // The view has a book: checked above, or promised by its depths (ViewDepths).
    const best = view.best ?? bestQuotes(view.book as OrderbookSnapshot);
    if (best === undefined) return undefined;
    bidN = numberOf(best.bid);
    askN = numberOf(best.ask);
  }
  const l = ctx.limits;
  // The limits' and rules' doubles: converted once per run (see thresholdsOf).
  const t = thresholdsOf(l, ctx.rules);
  // Per-bar thresholds, once.
  const maxDev = t.maxDev;
  const tol = t.tol;
  const low = bidN * (1 - tol);
  const high = askN * (1 + tol);
  const fraction = t.fraction;
  const capBid = askDepth * fraction;
  const capAsk = bidDepth * fraction;
  if (!(Number.isFinite(low) && Number.isFinite(high) && Number.isFinite(capBid) && Number.isFinite(capAsk)))
    return undefined;
  const fee = t.fee;
  const maxTrade = t.maxTrade;
  // The exposure book's three entries as doubles: from the books' own sums when offered (a
  // multi-market run's commitments would build every other market's exact locks first), else from
  // the exact book. Either is within ~1e-13 of the exact amounts (sums of non-negative terms).
  const approx = books?.exposure(MM, market);
  let totalNow: number;
  let strategyNow: number;
  let marketNow: number;
  if (approx !== undefined) {
    totalNow = approx.total;
    strategyNow = approx.strategy;
    marketNow = approx.market;
  } else {
    const exposure = ctx.exposure ?? exposureBook(ctx.positions, ctx.commitments);
    totalNow = TOTAL_NOW.of(exposure.total);
    strategyNow = STRATEGY_NOW.of(exposure.byStrategy.get(MM));
    marketNow = MARKET_NOW.of(exposure.byMarket.get(market));
  }
  const maxTotalExp = t.maxTotalExp;
  const maxStrategyExp = t.maxStrategyExp;
  const maxMarketExp = t.maxMarketExp;
  // The levels' numbers as they were built (see WHOLE_WON_LEVELS), else from the decimals, read
  // into columns out of line (levelListColumns): one loop below reads either.
  let whole: QuoteColumns | undefined;
  let listColumns: LevelListColumns | undefined;
  // A list's own length (the whole-won columns' count describes the same list).
  let listLength = -1;
  if (!Array.isArray(levels)) whole = levels as QuoteColumns;
  else if (WHOLE_WON_LEVELS.levels === levels) {
    whole = WHOLE_WON_LEVELS;
    listLength = levels.length;
  } else listColumns = levelListColumns(levels as readonly QuoteLevel[]);
  // The columns read once: `levels` is one of two shapes (WHOLE_WON_LEVELS, a copy), and reading
  // its fields per layer was a polymorphic load each time.
  let count: number;
  let wonColumn: readonly number[];
  let unitColumn: readonly (number | undefined)[];
  let volumeColumn: readonly number[] | undefined;
  let askColumn: readonly boolean[] | undefined;
  let firstAsk = 0;
  let hasBid: boolean;
  let hasAsk: boolean;
  if (whole !== undefined) {
    count = listLength < 0 ? whole.count : listLength;
    wonColumn = whole.won;
    unitColumn = whole.units;
    firstAsk = whole.bids;
    hasBid = whole.bids > 0;
    hasAsk = whole.count > whole.bids;
  } else {
    const c = listColumns as LevelListColumns;
    count = c.count;
    wonColumn = c.won;
    unitColumn = c.units;
    volumeColumn = c.volumes;
    askColumn = c.asks;
    hasBid = c.hasBid;
    hasAsk = c.hasAsk;
  }
  if (hasBid && !positionCountPasses(ctx, market, books)) return undefined;
  // Spot holdings for asks, in 1e-8 units (exact).
  let sellable = 0;
  if (hasAsk) {
    const s =
      books !== undefined
        ? books.sellableUnits(market, MM)
        : unitsOf(sellableVolume(ctx.positions, ctx.commitments, market, MM), 8);
    if (s === undefined) return undefined;
    sellable = s;
  }
  let locked = 0;
  // The shared list (LADDER_VERDICTS) sized to this ladder; a length store is a runtime call even if equal.
  const out = LADDER_VERDICTS;
  if (out.length !== count) out.length = count;
  // The exchange validation's verdict, by construction: toQuoteLevels puts every price on the tick
  // table in force at `now` (roundToTick re-checks the band it lands in), floors every volume to 8
  // decimals (a merged level adds two such volumes) above zero, and keeps only levels whose total
  // reaches the minimum under these very rules (checked: ctx.rules === input.rules, ctx.now ===
  // input.now). Only the maximum total is left to decide. The ladder path records the verdict as
  // the validation's own (rememberLadderVerdicts) when whoever places the layers will look it up.
  const maxTotal = t.maxTotal;
  const prices = LADDER_DOUBLES.prices;
  const volumes = LADDER_DOUBLES.volumes;
  for (let i = 0; i < count; i++) {
    const p = wonColumn[i] as number;
    const v = volumeColumn === undefined ? (unitColumn[i] as number) / 1e8 : (volumeColumn[i] as number);
    const ask = askColumn === undefined ? i >= firstAsk : askColumn[i] === true;
    prices[i] = p;
    volumes[i] = v;
    const total = p * v;
    // Under the exchange's maximum surely (a total on it or near goes to the full pipeline).
    if (side(total, maxTotal, total + maxTotal) !== -1) return undefined;
    let refusal: LayerRefusal | undefined;
    let lock = 0;
    if (ask) {
      const units = unitColumn[i];
      if (units === undefined) return undefined;
      if (units > sellable) refusal = 'oversell';
      else {
        const f = fatFinger(p, v, lastN, maxDev, low, high, capAsk);
        if (f === null) return undefined;
        refusal = f;
        if (refusal === undefined) sellable -= units;
      }
    } else {
      const t = side(total, maxTrade, total + maxTrade);
      lock = total * (1 + fee);
      if (t === 0) return undefined;
      if (t > 0) refusal = 'trade_limit';
      else {
        const e1 = side(totalNow + locked + lock, maxTotalExp, totalNow + locked + lock + maxTotalExp);
        const e2 = side(
          strategyNow + locked + lock,
          maxStrategyExp,
          strategyNow + locked + lock + maxStrategyExp,
        );
        const e3 = side(marketNow + locked + lock, maxMarketExp, marketNow + locked + lock + maxMarketExp);
        if (e1 === 0) return undefined;
        if (e1 > 0) refusal = 'total_limit';
        else if (e2 === 0) return undefined;
        else if (e2 > 0) refusal = 'strategy_limit';
        else if (e3 === 0) return undefined;
        else if (e3 > 0) refusal = 'market_limit';
        else {
          const f = fatFinger(p, v, lastN, maxDev, low, high, capBid);
          if (f === null) return undefined;
          refusal = f;
        }
      }
      if (refusal === undefined) locked += lock;
    }
    out[i] = refusal;
  }
  return out;
}

/**
 * `numberOf` of each level's price and volume of the last ladder {@link checkLadder} answered, by
 * level index: the ladder path hands them to the account placing the layers (QuoteLayerFacts),
 * which would convert the same decimals again. Overwritten by the next ladder: read them only
 * while placing the ladder just checked.
 */
export const LADDER_DOUBLES: { readonly prices: number[]; readonly volumes: number[] } = {
  prices: [],
  volumes: [],
};

/**
 * The verdicts of the last ladder {@link checkLadder} answered, by level index (what it returns):
 * one list overwritten by every ladder instead of a new one per bar. Read them before the next
 * ladder is checked (the ladder path reads them while routing the ladder just checked).
 */
const LADDER_VERDICTS: (LayerRefusal | undefined)[] = [];
