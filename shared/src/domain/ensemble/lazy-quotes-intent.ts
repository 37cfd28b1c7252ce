import type { Market } from '../market/market-id';
import type { MarketRules } from '../market/market-rules';
import type { QuoteHints } from '../strategies/quote-hints';
import type { EpochMs } from '../time/epoch';
import type { DecisionIntent, QuoteLevel } from '../trading/decision';
import { type QuoteColumns, type TopOfBook, toQuoteColumns, toQuoteLevels } from './quote-levels';
import { levelsOfColumns } from './whole-won-levels';

type QuotesIntent = Extract<DecisionIntent, { kind: 'quotes' }>;

/**
 * A quotes intent whose levels are made from the ladder's integer columns on first read: the ladder
 * path checks and places a whole-won ladder on its numbers (ladder-checks, the broker's
 * placeQuoteUnits), and a backtest without an observer reads the level decimals only when a layer
 * is refused (it never reads a decision otherwise: the broker reads a layer's decision for its
 * identifier and reason texts). The levels are `levelsOfColumns`, the very decimals the whole-won
 * path builds (toQuoteLevels). A class with a prototype getter, as LazyQuoteOrders (an own accessor
 * costs a runtime call per intent): `toJSON` writes the eager intent's text, but a spread or
 * `Object.keys` does not show `levels`, so only a caller that reads nothing but fates gets one
 * (`PipelineInput.fateOnly`: the ladder path's `lazyLevels`).
 */
export class LazyQuotesIntent implements QuotesIntent {
  readonly kind = 'quotes';
  readonly #columns: QuoteColumns;
  #levels: readonly QuoteLevel[] | undefined = undefined;

  constructor(columns: QuoteColumns) {
    this.#columns = columns;
  }

  get levels(): readonly QuoteLevel[] {
    this.#levels ??= levelsOfColumns(this.#columns);
    return this.#levels;
  }

  toJSON(): QuotesIntent {
    return { kind: this.kind, levels: this.levels };
  }

  /** The intent's columns when it is a lazy one (reading them makes no decimal). */
  static columnsOf(intent: DecisionIntent): QuoteColumns | undefined {
    return intent instanceof LazyQuotesIntent ? intent.#columns : undefined;
  }
}

/**
 * `{ kind: 'quotes', levels: toQuoteLevels(…) }`, as a {@link LazyQuotesIntent} when the levels are
 * whole won (toQuoteColumns), eager otherwise.
 */
export function quotesIntent(
  market: Market,
  hints: QuoteHints,
  now: EpochMs,
  rules: MarketRules,
  book: TopOfBook | undefined,
  lazy: boolean,
): QuotesIntent {
  const columns = lazy ? toQuoteColumns(market, hints, now, rules, book) : undefined;
  if (columns !== undefined) return new LazyQuotesIntent(columns);
  return { kind: 'quotes', levels: toQuoteLevels(market, hints, now, rules, book) };
}
