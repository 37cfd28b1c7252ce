import type { BookLevel, OrderbookSnapshot } from '../market/market-data';
import { type Decimal, decimalFromNumber, ZERO } from '../money/decimal';
import { decimalGt, decimalLt } from '../money/decimal-compare';
import { sumOf } from '../money/decimal-sums';
import { approximately, numberOf, productOf, unitsOf } from '../money/decimal-units';
import type { Price } from '../money/quantities';
import type { OrderDraft } from '../orders/order-types';
import type { FatFingerLimits } from './risk-limits';

/** Market facts the fat-finger guards compare an order against. */
export interface MarketView {
  /** Last traded price (ticker `trade_price`). */
  readonly lastTradePrice?: Price;
  /** Latest order-book snapshot (float64 levels, converted exactly here). */
  readonly book?: OrderbookSnapshot;
  /**
   * `bestQuotes(book)` when the caller holds the exact prices already (the backtest's synthetic
   * book is built from them); must be exactly that value, or absent.
   */
  readonly best?: { readonly bid: Price; readonly ask: Price };
  /**
   * The same prices as whole won, for the guards' double pre-checks (the ladder path reads them bar
   * after bar instead of converting the decimals): `lastWon` is `unitsOf(lastTradePrice, 0)`,
   * `bidWon` / `askWon` are `unitsOf` of `bestQuotes(book)`'s bid and ask, each a safe integer (so
   * also the decimal's `numberOf`), NaN off the whole-won grid or when the price is absent. All
   * three or none; absent, the guards read the decimals. Fill them with {@link withWholeWon} (or,
   * a producer holding the integers already, from the very values it builds the decimals from).
   */
  readonly lastWon?: number;
  readonly bidWon?: number;
  readonly askWon?: number;
}

/** The whole-won prices of a view (see MarketView.lastWon), from its own decimals and book. */
export function withWholeWon(view: MarketView): MarketView {
  const last = view.lastTradePrice;
  const bid = view.book?.bids[0];
  const ask = view.book?.asks[0];
  const twoSided = bid !== undefined && ask !== undefined;
  return {
    ...view,
    lastWon: last === undefined ? Number.NaN : (unitsOf(last, 0) ?? Number.NaN),
    bidWon: twoSided ? wholeWonOfNumber(bid.price) : Number.NaN,
    askWon: twoSided ? wholeWonOfNumber(ask.price) : Number.NaN,
  };
}

/**
 * `unitsOf(decimalFromNumber(x), 0) ?? NaN` (what a book level's price is as an exact decimal, in
 * whole won): a safe integer's shortest text is its own digits, and no other double is a whole
 * number within the safe integers. −0 is 0, as its decimal is.
 */
export function wholeWonOfNumber(x: number): number {
  return Number.isSafeInteger(x) ? x + 0 : Number.NaN;
}

/** `numberOf(x)` from a whole-won twin when it holds one (see MarketView.lastWon). */
export function wonOr(won: number | undefined, x: Decimal): number {
  return won !== undefined && Number.isSafeInteger(won) ? won : numberOf(x);
}

/** Which guard refused, with a message that names the numbers. */
export interface FatFingerRefusal {
  readonly code: 'missing_market_data' | 'fat_finger_last_trade' | 'fat_finger_band' | 'fat_finger_depth';
  readonly message: string;
}

/** Best bid and ask of a book as exact decimals; undefined when either side is empty. */
export function bestQuotes(
  book: OrderbookSnapshot,
): { readonly bid: Price; readonly ask: Price } | undefined {
  const bid = book.bids[0];
  const ask = book.asks[0];
  if (bid === undefined || ask === undefined) return undefined;
  return { bid: decimalFromNumber(bid.price) as Price, ask: decimalFromNumber(ask.price) as Price };
}

/** Total visible size of book levels, exact. */
export function depthOf(levels: readonly BookLevel[]): Decimal {
  let total = ZERO;
  for (const l of levels) total = sumOf(total, sizeOf(l.size));
  return total;
}

// A one-level synthetic book shows the same size on both sides: convert the last size once.
let lastSize = Number.NaN;
let lastSizeDecimal: Decimal = ZERO;

function sizeOf(size: number): Decimal {
  if (!Object.is(size, lastSize)) {
    lastSizeDecimal = decimalFromNumber(size);
    lastSize = size;
  }
  return lastSizeDecimal;
}

// 1 − tolerance and 1 + tolerance for the last tolerance asked (one per run): not rebuilt per check.
let lastTolerance: Decimal | undefined;
let lastFactors = { below: ZERO, above: ZERO };

function bandFactors(tolerance: Decimal): { readonly below: Decimal; readonly above: Decimal } {
  if (tolerance !== lastTolerance) {
    lastFactors = { below: tolerance.negated().plus(1), above: tolerance.plus(1) };
    lastTolerance = tolerance;
  }
  return lastFactors;
}

/**
 * Refuses orders whose price or size looks like a typo: a limit price too far from the last trade or
 * outside the best bid/ask band, or a size above a fraction of the visible depth on the side the order
 * would take from (asks for a buy, bids for a sell). Fails closed: without a last trade and a two-sided
 * book nothing passes, because then nothing can be checked. Market buys by amount are sized at the best
 * ask to estimate their volume.
 */
export function checkFatFinger(
  draft: OrderDraft,
  view: MarketView,
  limits: FatFingerLimits,
): FatFingerRefusal | undefined {
  return fatFingerChecker(view, limits)(draft);
}

/**
 * {@link checkFatFinger} for several orders against one market view: the band and the depth caps
 * depend only on the view, so they are computed once (on first use) instead of once per order —
 * the quote layers of one decision are all checked against the same book.
 */
export function fatFingerChecker(
  view: MarketView,
  limits: FatFingerLimits,
  /** `bestQuotes(view.book)` when the caller already has it (the pre-trade check does). */
  known?: { readonly bid: Price; readonly ask: Price },
): (draft: OrderDraft) => FatFingerRefusal | undefined {
  const last = view.lastTradePrice;
  const quotes = view.book === undefined ? undefined : (known ?? bestQuotes(view.book));
  let band: { readonly low: Decimal; readonly high: Decimal } | undefined;
  // Per side (bid: the asks' depth, ask: the bids'), on first use; plain slots, not maps, per checker.
  let nearBid: number | undefined;
  let nearAsk: number | undefined;
  let depthBid: Depth | undefined;
  let depthAsk: Depth | undefined;
  return (draft) => {
    if (last === undefined || !decimalGt(last, ZERO) || view.book === undefined || quotes === undefined)
      return {
        code: 'missing_market_data',
        message: `no last trade or two-sided book for ${draft.market}; cannot check the order`,
      };
    if (draft.ordType === 'limit' && draft.price !== undefined) {
      const p = draft.price;
      if (deviatesMore(p, last, wonOr(view.lastWon, last), limits.maxDeviationFromLastTrade)) {
        const deviation = p.minus(last).abs().div(last);
        return {
          code: 'fat_finger_last_trade',
          message: `price ${p} is ${deviation.times(100).toFixed(2)} % from the last trade ${last}; limit ${limits.maxDeviationFromLastTrade.times(100)} %`,
        };
      }
      band ??= {
        low: productOf(quotes.bid, bandFactors(limits.bookBandTolerance).below),
        high: productOf(quotes.ask, bandFactors(limits.bookBandTolerance).above),
      };
      const { low, high } = band;
      if (decimalLt(p, low) || decimalGt(p, high))
        return {
          code: 'fat_finger_band',
          message: `price ${p} is outside the book band [${low}, ${high}] around bid ${quotes.bid} / ask ${quotes.ask}`,
        };
    }
    const size =
      draft.volume ??
      (draft.side === 'bid' && draft.price !== undefined ? draft.price.div(quotes.ask) : undefined);
    if (size === undefined) return { code: 'fat_finger_depth', message: 'order has no size to check' };
    const levels = draft.side === 'bid' ? view.book.asks : view.book.bids;
    const isBid = draft.side === 'bid';
    if (isBid) nearBid ??= nearCap(levels, limits.maxDepthFraction);
    else nearAsk ??= nearCap(levels, limits.maxDepthFraction);
    // Surely under the cap on doubles (see nearCap): the exact depth is not needed.
    if (approximately(size) < ((isBid ? nearBid : nearAsk) as number)) return undefined;
    if (isBid) depthBid ??= depthWithCap(levels, limits.maxDepthFraction);
    else depthAsk ??= depthWithCap(levels, limits.maxDepthFraction);
    const side = (isBid ? depthBid : depthAsk) as Depth;
    if (decimalGt(size, side.cap))
      return {
        code: 'fat_finger_depth',
        message: `size ${size.toSignificantDigits(12)} exceeds ${limits.maxDepthFraction.times(100)} % of the visible ${draft.side === 'bid' ? 'ask' : 'bid'} depth ${side.depth}`,
      };
    return undefined;
  };
}

interface Depth {
  readonly depth: Decimal;
  readonly cap: Decimal;
}

function depthWithCap(levels: readonly BookLevel[], fraction: Decimal): Depth {
  const depth = depthOf(levels);
  return { depth, cap: productOf(depth, fraction) };
}

/**
 * A double under which a size is surely below `depthOf(levels) × fraction`: the depth summed in
 * doubles (sizes are ≥ 0, so each addition adds at most an ulp of the total to the error, and each
 * size is within half an ulp of its decimal) times the fraction, less 1e-9 of it, far more than that
 * error for books of up to 10^4 levels. −Infinity (decide exactly) for anything unusual.
 */
function nearCap(levels: readonly BookLevel[], fraction: Decimal): number {
  if (levels.length > 10_000) return Number.NEGATIVE_INFINITY;
  let depth = 0;
  for (const l of levels) {
    const size = l.size;
    if (!(size >= 0 && size < 1e250)) return Number.NEGATIVE_INFINITY;
    depth += size;
  }
  const cap = depth * approximately(fraction);
  return cap >= 1e-250 && cap < 1e250 ? cap * (1 - 1e-9) : Number.NEGATIVE_INFINITY;
}

/**
 * `|p − last| / last > max` (last > 0; `l` is `numberOf(last)`), as decimal.js decides it. Doubles decide when their
 * deviation is more than 1e-9 away from `max`: each operand is within half an ulp of its decimal,
 * so the double deviation is within ~1e-15 × (1 + deviation) of the exact one and of decimal.js's
 * 40-digit quotient. Closer than that (or anything non-finite), the decimal division decides.
 */
function deviatesMore(p: Decimal, last: Decimal, l: number, max: Decimal): boolean {
  const m = numberOf(max);
  const deviation = Math.abs(numberOf(p) - l) / l;
  const margin = 1e-9 * (1 + deviation);
  if (deviation > m + margin) return true;
  if (deviation < m - margin) return false;
  return p.minus(last).abs().div(last).gt(max);
}
