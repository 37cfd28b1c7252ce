import type { Market } from '../market/market-id';
import type { MarketRules } from '../market/market-rules';
import type { QuoteHints } from '../strategies/quote-hints';
import type { EpochMs } from '../time/epoch';
import type { DecisionIntent, QuoteLevel } from '../trading/decision';
import {
  type QuoteColumns,
  type TopOfBook,
  toQuoteColumnsInPlace,
  toQuoteLevels,
  WHOLE_WON_LEVELS,
} from './quote-levels';
import { levelsOfColumns } from './whole-won-levels';

type QuotesIntent = Extract<DecisionIntent, { kind: 'quotes' }>;

/**
 * Where lazy intents keep their columns: a ring of slots, each rewritten in place by the lazy
 * intent made {@link RING} intents after the one it held, instead of two new arrays and a columns
 * object per intent (copiedColumns: a ladder a bar). A slot's arrays only grow: entries from
 * `count` on are a longer earlier ladder's (QuoteColumns' readers stop at `count`; setting the
 * length every time the count changes was a runtime call per intent). `generations[i]` counts the
 * intents slot i has held, so an intent can tell that its slot was handed on.
 *
 * Why a slot can be reused (who reads a lazy intent): it is made only by the ladder path for an
 * account that places layers itself (`placeQuotes`, the backtest's broker) and a caller that reads
 * only fates (`fateOnly`: the backtest without a decision observer; an observer gets eager
 * intents). The ladder path reads the columns (checks, placement) within the call that made them.
 * Afterwards the decision is held by the result's routed entry (LazyQuoteOrders, whose `orders`
 * read the levels), which the engine drops after tallying its fates, and by the broker's layers
 * (QuoteLayerOrder.quoteOf), which read its id and its signals' reason, never its intent. So no
 * read comes after the next ladder, let alone {@link RING} ladders later; a read that did would
 * find its slot handed on and throws rather than answer with another ladder's levels.
 */
const RING = 8;
const slots: { count: number; bids: number; won: number[]; units: number[] }[] = [];
const generations: number[] = [];
let nextSlot = 0;

for (let i = 0; i < RING; i++) {
  slots.push({ count: 0, bids: 0, won: [], units: [] });
  generations.push(0);
}

/**
 * A quotes intent whose levels are made from the ladder's integer columns on first read: the ladder
 * path checks and places a whole-won ladder on its numbers (ladder-checks, the broker's
 * placeQuoteUnits), and a backtest without an observer reads the level decimals only when a layer
 * is refused (it never reads a decision otherwise: the broker reads a layer's decision for its
 * identifier and reason texts). The levels are `levelsOfColumns`, the very decimals the whole-won
 * path builds (toQuoteLevels). A class with a prototype getter, as LazyQuoteOrders (an own accessor
 * costs a runtime call per intent): `toJSON` writes the eager intent's text, but a spread or
 * `Object.keys` does not show `levels`, so only a caller that reads nothing but fates gets one
 * (`PipelineInput.fateOnly`: the ladder path's `lazyLevels`). Its columns live in a ring slot (see
 * {@link RING}) until its levels are made.
 */
export class LazyQuotesIntent implements QuotesIntent {
  readonly kind = 'quotes';
  readonly #slot: number;
  readonly #generation: number;
  #levels: readonly QuoteLevel[] | undefined = undefined;

  /** The intent of the ladder in WHOLE_WON_LEVELS' columns (`count` levels), copied into a slot. */
  constructor(count: number) {
    const i = nextSlot;
    nextSlot = i + 1 === RING ? 0 : i + 1;
    const slot = slots[i] as (typeof slots)[number];
    const won = slot.won;
    const units = slot.units;
    for (let k = 0; k < count; k++) {
      won[k] = WHOLE_WON_LEVELS.won[k] as number;
      units[k] = WHOLE_WON_LEVELS.units[k] as number;
    }
    slot.count = count;
    slot.bids = WHOLE_WON_LEVELS.bids;
    const generation = (generations[i] as number) + 1;
    generations[i] = generation;
    this.#slot = i;
    this.#generation = generation;
  }

  /** The intent's columns while its slot holds them (see RING: nothing reads them later). */
  #columns(): QuoteColumns {
    if (generations[this.#slot] !== this.#generation)
      throw new Error(
        'a lazy quotes intent was read after its columns were handed on: only a backtest without a decision observer may make one (see lazy-quotes-intent.ts)',
      );
    return slots[this.#slot] as QuoteColumns;
  }

  get levels(): readonly QuoteLevel[] {
    this.#levels ??= levelsOfColumns(this.#columns());
    return this.#levels;
  }

  toJSON(): QuotesIntent {
    return { kind: this.kind, levels: this.levels };
  }

  /**
   * The intent's columns when it is a lazy one (reading them makes no decimal): valid while the
   * ladder path that made the intent runs (see RING).
   */
  static columnsOf(intent: DecisionIntent): QuoteColumns | undefined {
    return intent instanceof LazyQuotesIntent ? intent.#columns() : undefined;
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
  const count = lazy ? toQuoteColumnsInPlace(market, hints, now, rules, book) : undefined;
  if (count !== undefined) return new LazyQuotesIntent(count);
  return { kind: 'quotes', levels: toQuoteLevels(market, hints, now, rules, book) };
}
