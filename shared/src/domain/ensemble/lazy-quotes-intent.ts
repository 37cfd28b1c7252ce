import type { Market } from '../market/market-id';
import type { MarketRules } from '../market/market-rules';
import type { QuoteHints } from '../strategies/quote-hints';
import type { EpochMs } from '../time/epoch';
import type { DecisionIntent, QuoteLevel } from '../trading/decision';
import {
  decimalQuoteLevelsAt,
  type QuoteColumns,
  type TopOfBook,
  toQuoteColumnsInPlace,
  toQuoteLevels,
  WHOLE_WON_LEVELS,
} from './quote-levels';
import { levelsOfColumns } from './whole-won-levels';

type QuotesIntent = Extract<DecisionIntent, { kind: 'quotes' }>;

/**
 * A quotes intent whose levels are made from the ladder's integer columns on first read: the ladder
 * path checks and places a whole-won ladder on its numbers (ladder-checks, the broker's
 * placeQuoteLadder), and a backtest without an observer reads the level decimals only when a layer
 * is refused (it never reads a decision otherwise: the broker reads a layer's decision for its
 * identifier and reason texts). The levels are `levelsOfColumns`, the very decimals the whole-won
 * path builds (toQuoteLevels). A class with a prototype getter, as LazyQuoteOrders (an own accessor
 * costs a runtime call per intent): `toJSON` writes the eager intent's text, but a spread or
 * `Object.keys` does not show `levels`, so only a caller that reads nothing but fates gets one
 * (`PipelineInput.fateOnly`: the ladder path's `lazyLevels`).
 *
 * Its columns are {@link WHOLE_WON_LEVELS}' own, read in place until its levels are made, instead
 * of a copy per intent: they stay its ladder's until the next ladder is begun there, which the
 * columns' generation tells. Why that is enough (who reads a lazy intent): it is made only by the
 * ladder path for an account that places layers itself (`placeQuotes`, the backtest's broker) and
 * a caller that reads only fates (`fateOnly`: the backtest without a decision observer; an
 * observer gets eager intents). The ladder path reads the columns (checks, placement) within the
 * call that made them, before any other ladder is built. Afterwards the decision is held by the
 * broker's layers (QuoteLayerOrder.quoteOf), which read its id and its signals' reason, never its
 * intent. So no read comes after the next ladder; a read that did would find the columns written
 * again and throws rather than answer with another ladder's levels.
 */
export class LazyQuotesIntent implements QuotesIntent {
  readonly kind = 'quotes';
  private readonly generation: number;
  private made: readonly QuoteLevel[] | undefined = undefined;

  /**
   * The intent of the ladder just built in WHOLE_WON_LEVELS' columns, or of `source`: columns
   * derived from that very ladder before another is begun (the ladder path's kept layers,
   * keptLayers), which are then held to the same generation.
   */
  constructor(private readonly source: QuoteColumns = WHOLE_WON_LEVELS) {
    this.generation = WHOLE_WON_LEVELS.generation;
  }

  /** The intent's columns while they are still its ladder's (see the class comment). */
  private columns(): QuoteColumns {
    if (WHOLE_WON_LEVELS.generation !== this.generation)
      throw new Error(
        'a lazy quotes intent was read after its columns were handed on: only a backtest without a decision observer may make one (see lazy-quotes-intent.ts)',
      );
    return this.source;
  }

  get levels(): readonly QuoteLevel[] {
    this.made ??= levelsOfColumns(this.columns());
    return this.made;
  }

  toJSON(): QuotesIntent {
    return { kind: this.kind, levels: this.levels };
  }

  /**
   * The intent's columns when it is a lazy one (reading them makes no decimal): valid while the
   * ladder path that made the intent runs (see the class comment).
   */
  static columnsOf(intent: DecisionIntent): QuoteColumns | undefined {
    return intent instanceof LazyQuotesIntent ? intent.columns() : undefined;
  }

  /**
   * Writes `made` of a throwaway intent once (settleLazyIntents, at a backtest's warm-up): V8
   * treats a field written only by its initialiser as constant, and code that made an intent relied
   * on that until the first `levels` read wrote it (a market-making year's first refused lazy
   * ladder, ~day 356: `quote`, `quotesIntent`, `quotesDecisionOf` and the intent's constructor
   * thrown away and compiled again).
   * The intent is held (SETTLED): the layout lives only while an object has it.
   */
  static settleFields(): LazyQuotesIntent {
    const settled = new LazyQuotesIntent();
    settled.made = NO_LEVELS;
    settled.made = undefined;
    return settled;
  }
}

const NO_LEVELS: readonly QuoteLevel[] = Object.freeze([]);
// Held for the process's life (a function's list, so that the bundle keeps it): V8 forgets the
// class's field layout, the settled `made` with it, once no object of it is alive (a GC clears
// the transitions to unused layouts).
const SETTLED: LazyQuotesIntent[] = [];

/**
 * Settles the lazy intent's `made` field ({@link LazyQuotesIntent.settleFields}) once, before a
 * backtest's first bar (the backtest's warm-up calls it; idempotent), so that a year's first
 * refused lazy ladder does not throw compiled code away. The executor and the Lambdas never need it.
 */
export function settleLazyIntents(): void {
  if (SETTLED.length === 0) SETTLED.push(LazyQuotesIntent.settleFields());
}

// Lazy ladders still to be made eagerly, on the decimal steps (see eagerLaddersFirst).
let eagerLeft = 0;

/**
 * Makes the next `count` ladders that {@link quotesIntent} would make lazy eager instead, their
 * levels by the decimal steps (decimalQuoteLevelsAt): the same levels (the quote levels' property
 * audit holds the whole-won path to the decimal steps), so the same decisions, orders and fills.
 * Why: a backtest meets its first ladder that is not whole won (an eager intent, its levels as a
 * list, its layers placed without integer units) a day or more in, after V8 compiled the ladder
 * checks, the ladder path and the broker's placement for lazy intents alone, and all of them were
 * thrown away and compiled again (`--trace-deopt`: "wrong map" on the intent and the orders,
 * "Insufficient type feedback" on the list path). A run's first ladders on that path give those
 * functions the eager shapes' feedback before they are compiled. Called at a backtest's start
 * (run-backtest.ts); nothing else reads the count.
 */
export function eagerLaddersFirst(count: number): void {
  eagerLeft = count;
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
  if (lazy && eagerLeft > 0) {
    eagerLeft -= 1;
    return { kind: 'quotes', levels: decimalQuoteLevelsAt(market, hints, now, rules, book) };
  }
  const count = lazy ? toQuoteColumnsInPlace(market, hints, now, rules, book) : undefined;
  if (count !== undefined) return new LazyQuotesIntent();
  return { kind: 'quotes', levels: toQuoteLevels(market, hints, now, rules, book) };
}
