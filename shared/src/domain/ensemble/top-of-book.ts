import type { Decimal } from '../money/decimal';
import { numberOf, unitsOf } from '../money/decimal-units';
import type { SyntheticQuotes } from './synthetic-book';

/** Best bid/ask at decision time, used to re-check post-only after rounding. */
export interface TopOfBook {
  readonly bestBid: number;
  readonly bestAsk: number;
  /**
   * `decimalFromNumber(bestBid)` / `decimalFromNumber(bestAsk)` when the caller already holds them
   * (use {@link exactTopOfBook}); converted from the numbers otherwise.
   */
  readonly exact?: { readonly bid: Decimal; readonly ask: Decimal };
}

/**
 * A top of book from exact prices, carrying them along: `exact` is set only when each price has at
 * most 15 significant digits (fewer than 10^15 units as a whole number or at 8 decimals), where
 * the double's shortest text is the price's own digits, so `decimalFromNumber(bestBid)` is that
 * very value.
 */
export function exactTopOfBook(bid: Decimal, ask: Decimal): TopOfBook {
  // The same quotes are asked for twice per bar (the risk engine's market view, the quote levels):
  // the last answer is kept for the same pair of (immutable) decimals. Shared: callers only read it.
  if (bid === lastTopBid && ask === lastTopAsk && lastTop !== undefined) return lastTop;
  const bestBid = numberOf(bid);
  const bestAsk = numberOf(ask);
  const top: TopOfBook =
    fitsShortText(bid) && fitsShortText(ask)
      ? { bestBid, bestAsk, exact: { bid, ask } }
      : { bestBid, bestAsk };
  lastTopBid = bid;
  lastTopAsk = ask;
  lastTop = top;
  return top;
}

/**
 * {@link exactTopOfBook} of synthetic quotes (`q.bid`, `q.ask`), from their whole won when both are
 * (SyntheticQuotes.bidWon): each is then its decimal's `numberOf`, and a whole number under 10^15
 * units has the short text, so this is the very top exactTopOfBook builds, with its `exact` pair
 * made on first read (QuotesTop: the quotes' decimals are made when read, and the whole-won ladder
 * reads only the two numbers). The last quotes' top is kept: a bar asks for it twice (the risk
 * engine's market view, the quote levels). Shared: callers only read it.
 */
export function topOfQuotes(q: SyntheticQuotes): TopOfBook {
  if (q === lastQuotes && lastQuotesTop !== undefined) return lastQuotesTop;
  const bestBid = q.bidWon;
  const bestAsk = q.askWon;
  const top =
    bestBid > 0 && bestBid < 1e15 && bestAsk > 0 && bestAsk < 1e15
      ? new QuotesTop(q)
      : exactTopOfBook(q.bid, q.ask);
  lastQuotes = q;
  lastQuotesTop = top;
  return top;
}

let lastTopBid: Decimal | undefined;
let lastTopAsk: Decimal | undefined;
let lastTop: TopOfBook | undefined;
let lastQuotes: SyntheticQuotes | undefined;
let lastQuotesTop: TopOfBook | undefined;

/**
 * The top of whole-won synthetic quotes: `exact` is `{ bid: q.bid, ask: q.ask }`, made on first
 * read (a prototype getter: a spread of the top would not show it; readers take its fields).
 */
class QuotesTop implements TopOfBook {
  readonly bestBid: number;
  readonly bestAsk: number;
  private pair: { readonly bid: Decimal; readonly ask: Decimal } | undefined = undefined;

  constructor(private readonly quotes: SyntheticQuotes) {
    this.bestBid = quotes.bidWon;
    this.bestAsk = quotes.askWon;
  }

  get exact(): { readonly bid: Decimal; readonly ask: Decimal } {
    this.pair ??= { bid: this.quotes.bid, ask: this.quotes.ask };
    return this.pair;
  }
}

function fitsShortText(x: Decimal): boolean {
  if (x.isZero()) return false;
  // Whole numbers first (KRW prices of large coins), then at 8 decimals: fewer than 10^15 units
  // either way means at most 15 significant digits.
  const units = unitsOf(x, 0) ?? unitsOf(x, 8);
  return units !== undefined && Math.abs(units) < 1e15;
}
