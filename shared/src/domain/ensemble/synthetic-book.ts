import type { BookLevel, Candle, OrderbookSnapshot } from '../market/market-data';
import { baseCurrency } from '../market/market-id';
import { type MarketRules, tickTableFor } from '../market/market-rules';
import {
  roundNumberOnWholeGrid,
  roundNumberToTick,
  spreadAroundNumber,
  stepOnIntegerGrid,
  stepTicks,
  type TickContext,
} from '../market/tick-rounding';
import { decimalOfUnits, numberOf, unitsOf } from '../money/decimal-units';
import type { Price } from '../money/quantities';
import type { EpochMs } from '../time/epoch';

/** Best bid and ask the simulation assumes around a traded price, exact and on the tick grid. */
export interface SyntheticQuotes {
  readonly bid: Price;
  readonly ask: Price;
  readonly ticks: TickContext;
  /**
   * `unitsOf(bid, 0)` / `unitsOf(ask, 0)`: the prices as whole won (safe integers, and so also their
   * `numberOf`), NaN off the whole-won grid. Made once with the quotes, so the synthetic book, the
   * top of book and the quote levels read the bar's two integers instead of converting the same two
   * decimals again each (NaN rather than undefined: one double field shape for every quote).
   */
  readonly bidWon: number;
  readonly askWon: number;
}

/**
 * Candles carry no spread (the backtest) and the minute analysis decides from the closed bar (the
 * executor re-checks every order against the live book), so both assume the tightest book Upbit can show: the traded
 * price rounded down to the grid is the best bid and one tick above it the best ask. A buyer pays
 * the ask and a seller gets the bid, so every round trip loses at least one tick — the cheapest
 * honest spread model (real books are often wider; add `--slippage-bps` for that).
 */
export function quotesAround(
  traded: number,
  market: Candle['market'],
  at: EpochMs,
  rules: MarketRules,
): SyntheticQuotes {
  return quotesOnGrid(traded, { table: tickTableFor(rules, at), asset: baseCurrency(market) });
}

/** {@link quotesAround} on a tick context the caller already has (`tickTableFor(rules, at)` and the asset). */
export function quotesOnGrid(traded: number, ticks: TickContext): SyntheticQuotes {
  // roundNumberToTick's own integer step (roundNumberOnWholeGrid is its fast path without the
  // decimal), then stepTicks' own integer step from it: on a whole-won grid both prices are known
  // as integers, and their decimals are made only when read (WholeWonQuotes).
  const won = roundNumberOnWholeGrid(traded, 'down', ticks);
  const askWon = won !== undefined && won > 0 ? stepOnIntegerGrid(won, 1, ticks) : undefined;
  if (won !== undefined && askWon !== undefined) return new WholeWonQuotes(won, askWon, ticks);
  const bid =
    won === undefined ? roundNumberToTick(traded, 'down', ticks) : (decimalOfUnits(won, 0) as Price);
  const ask = stepTicks(bid, 1, ticks);
  return {
    bid,
    ask,
    ticks,
    bidWon: won ?? unitsOf(bid, 0) ?? Number.NaN,
    askWon: unitsOf(ask, 0) ?? Number.NaN,
  };
}

/**
 * Synthetic quotes on a whole-won grid, held as their two integers: `bid` and `ask` are
 * `decimalOfUnits(won, 0)` of each, made on first read (the decimals quotesOnGrid's steps build:
 * stepTicks of a bid on the grid steps its won, see stepOnIntegerGrid). Most bars read only the
 * integers (the exits' quiet check, the synthetic book, the top of book, the ladder's checks); a
 * decision that prices an order, an exit that fires or a view's exact prices read the decimals.
 * A class with prototype getters: a spread or `Object.keys` of the quotes would not show `bid` and
 * `ask`; nothing copies quotes (every reader takes their fields).
 */
class WholeWonQuotes implements SyntheticQuotes {
  private bidDecimal: Price | undefined = undefined;
  private askDecimal: Price | undefined = undefined;

  constructor(
    readonly bidWon: number,
    readonly askWon: number,
    readonly ticks: TickContext,
  ) {}

  get bid(): Price {
    this.bidDecimal ??= decimalOfUnits(this.bidWon, 0) as Price;
    return this.bidDecimal;
  }

  get ask(): Price {
    this.askDecimal ??= decimalOfUnits(this.askWon, 0) as Price;
    return this.askDecimal;
  }
}

/**
 * {@link quotesAround}'s bid and ask as doubles (the same numbers as their `toNumber()`), for float
 * statistics such as the shadow ledgers: no decimal is built where the grid is whole won.
 */
export function quoteNumbersAround(
  traded: number,
  market: Candle['market'],
  at: EpochMs,
  rules: MarketRules,
): { readonly bid: number; readonly ask: number } {
  return spreadAroundNumber(traded, { table: tickTableFor(rules, at), asset: baseCurrency(market) });
}

/**
 * A one-level order book for the risk engine's fat-finger and sizing checks, built from a closed bar:
 * the synthetic quotes with the bar's traded base volume as the visible size on each side. Pass the
 * quotes when already computed for this bar (they are the same on every call).
 */
export function syntheticBook(
  bar: Candle,
  at: EpochMs,
  rules: MarketRules,
  quotes: SyntheticQuotes = quotesAround(bar.close, bar.market, at, rules),
): OrderbookSnapshot {
  const q = quotes;
  const size = Math.max(bar.volume, 0);
  // A whole won is its decimal's numberOf (see SyntheticQuotes.bidWon).
  const bids: BookLevel[] = [{ price: Number.isNaN(q.bidWon) ? numberOf(q.bid) : q.bidWon, size }];
  const asks: BookLevel[] = [{ price: Number.isNaN(q.askWon) ? numberOf(q.ask) : q.askWon, size }];
  return { market: bar.market, timestamp: at, bids, asks };
}
