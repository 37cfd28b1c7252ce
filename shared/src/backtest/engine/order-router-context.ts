import { depthOfOneLevel } from '../../domain/ensemble/ladder-check-guards';
import type { LadderBooks, ViewDepths } from '../../domain/ensemble/ladder-checks';
import { quotesOnGrid, type SyntheticQuotes, syntheticBook } from '../../domain/ensemble/synthetic-book';
import { topOfQuotes } from '../../domain/ensemble/top-of-book';
import type { Candle, OrderbookSnapshot } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import { decimalFromNumber } from '../../domain/money/decimal';
import { numberOf } from '../../domain/money/decimal-units';
import { type Price, price } from '../../domain/money/quantities';
import type { TradeStamp } from '../../domain/risk/cooldown';
import type { Commitment, ExposureBook } from '../../domain/risk/exposure';
import { bestQuotes, type MarketView, wholeWonOfNumber } from '../../domain/risk/fat-finger';
import type { LossStatus } from '../../domain/risk/loss-status';
import type { RiskContext } from '../../domain/risk/pre-trade-check';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import type { EpochMs } from '../../domain/time/epoch';
import type { TradingState } from '../../domain/trading/emergency';
import type { Position } from '../../domain/trading/position';
import type { SimulatedBroker } from '../broker/simulated-broker';
import { QuietBooks } from './quiet-books';
import type { BacktestRiskState } from './risk-state';
import { TickContexts } from './tick-contexts';

/** One market's latest bar, its instant, its quotes and (once asked) its market view. */
interface BarQuotes {
  bar: Candle;
  now: EpochMs;
  q: SyntheticQuotes;
  view: MarketView | undefined;
}

/**
 * What the order router decides against, per market and bar: the synthetic quotes at the bar's
 * close, the risk engine's market view (a one-level synthetic book) and the risk context over the
 * broker's books and the run's risk state. Made once per bar and market: exits, decisions and risk
 * checks all read them.
 */
export class RouterContexts {
  constructor(
    private readonly broker: SimulatedBroker,
    private readonly risk: BacktestRiskState,
    private readonly limits: RiskLimits,
    private readonly rules: MarketRules,
    /** The broker's exposure book as it is now (kept by the engine until the book changes). */
    private readonly exposureOf: () => ExposureBook,
  ) {
    this.ticks = new TickContexts(rules);
    this.quietBooks = new QuietBooks(broker);
  }

  /** Each market's tick context, kept between tick tables (see TickContexts). */
  private readonly ticks: TickContexts;

  // Synthetic quotes and the risk engine's market view at a bar's close, computed once per bar
  // (exits, decisions and risk all need them).
  // One slot per market (its latest bar): a step asks for the same bar several times, a later step
  // for its next bar, so a plain map by market replaces a WeakMap by bar (cheaper to read and write).
  // The slot is rewritten in place for the next bar (the router reads it within the bar's calls
  // only), instead of a new entry per bar.
  private readonly quoteCache = new Map<Market, BarQuotes>();
  /**
   * The slot read last, checked by its bar's market before the map: a bar's exits, decision and
   * checks ask for the same market's slot several times (every call of a single-market run).
   */
  private lastSlot: BarQuotes | undefined = undefined;

  /** The bar's synthetic quotes at `now` (made once per bar, on the first ask). */
  quotesAt(bar: Candle, now: EpochMs): SyntheticQuotes {
    return this.cached(bar, now).q;
  }

  private cached(bar: Candle, now: EpochMs): BarQuotes {
    const last = this.lastSlot;
    // A slot's bar is always of the slot's market (it is rewritten only with that market's bars).
    const slot =
      last !== undefined && last.bar.market === bar.market ? last : this.quoteCache.get(bar.market);
    if (slot !== undefined && slot.bar === bar && slot.now === now) {
      this.lastSlot = slot;
      return slot;
    }
    // The tick table is chosen by time, so a bar reused at a later step is quoted again.
    const q = quotesOnGrid(bar.close, this.ticks.at(bar.market, now));
    if (slot === undefined) {
      const made: BarQuotes = { bar, now, q, view: undefined };
      this.quoteCache.set(bar.market, made);
      this.lastSlot = made;
      return made;
    }
    this.lastSlot = slot;
    slot.bar = bar;
    slot.now = now;
    slot.q = q;
    slot.view = undefined;
    return slot;
  }

  marketView(bar: Candle, now: EpochMs): MarketView {
    const slot = this.cached(bar, now);
    let view = slot.view;
    if (view === undefined) {
      // The whole-won twins (MarketView.lastWon) from the integers the decimals are built from:
      // the last trade is decimalFromNumber(close) or the bid equal to it (see SyntheticView), so
      // its won is the close when that is a safe integer; the book's prices are the quotes'
      // numbers, whose won the quotes carry (SyntheticQuotes.bidWon: unitsOf of each, NaN off the
      // whole-won grid).
      view = new SyntheticView(bar, now, this.rules, slot.q, wholeWonOfNumber(bar.close));
      slot.view = view;
    }
    return view;
  }

  /**
   * The risk engine's view at `now`, with a one-level synthetic book built from the market's last
   * bar. With `lazyView` the market view is made on first read ({@link LazyViewContext}): a buy
   * Kelly refuses never reads it. Without it the view is a plain property, cheaper for a decision
   * that reads it often (market making's layers), and the commitments and exposure book are made
   * on first read ({@link BooksOnReadContext}): market making's ladder reads the broker's books
   * directly ({@link ladderBooks}).
   */
  riskContext(bar: Candle, now: EpochMs, lazyView = false): RiskContext {
    const status = this.risk.lossStatus;
    if (!lazyView)
      return new BooksOnReadContext(
        now,
        this.limits,
        this.rules,
        this.risk.state,
        status,
        this.broker.allPositions(),
        this.risk.recentTrades,
        this.marketView(bar, now),
        this.broker,
        this.exposureOf,
      );
    return new LazyViewContext(
      now,
      this.limits,
      this.rules,
      this.risk.state,
      status,
      this.broker.allPositions(),
      this.broker.commitments(),
      this.risk.recentTrades,
      this.exposureOf(),
      this,
      bar,
    );
  }

  /**
   * The broker's books for the ladder path when `ctx` is a context this router made and the books
   * have not changed since (the ladder then reads them in place of `ctx`'s commitments and
   * exposure). Without open orders (a one-market run's ladder meets none, its market's last
   * layers having run at the bar's open) the commitments are an empty list and the exposure book
   * holds positions only: the ladder reads the exposure from `ctx` (kept by the engine between
   * changes), but the spot holdings from the broker's position in units ({@link QuietBooks})
   * rather than as a decimal difference over the empty commitments.
   */
  ladderBooks(ctx: RiskContext): LadderBooks | undefined {
    const broker = this.broker;
    if (!(ctx instanceof BooksOnReadContext && ctx.version === broker.version)) return undefined;
    return broker.openOrders > 0 ? broker : this.quietBooks;
  }

  /** The broker's books while no order is open (see ladderBooks). */
  private readonly quietBooks: LadderBooks;
}

/**
 * A risk context whose commitments and exposure book are made on first read (the market view is a
 * plain property): market making's ladder reads neither when the account hands it the broker's
 * books (RouterContexts.ladderBooks), and in a run of several markets they would build every
 * other market's exact bid locks and the book's maps. Read only while the broker's books are as
 * they were when it was made (a decision reads its context before it places anything): a read
 * after a change would describe other books, so it throws instead.
 */
class BooksOnReadContext implements RiskContext {
  declare readonly lossStatus?: LossStatus;
  /** The broker's book version this context describes. */
  readonly version: number;
  private commitmentList: readonly Commitment[] | undefined = undefined;
  private book: ExposureBook | undefined = undefined;

  constructor(
    readonly now: EpochMs,
    readonly limits: RiskLimits,
    readonly rules: MarketRules,
    readonly state: TradingState,
    status: LossStatus | undefined,
    readonly positions: readonly Position[],
    readonly recentTrades: readonly TradeStamp[],
    readonly market: MarketView,
    private readonly broker: SimulatedBroker,
    private readonly exposureOf: () => ExposureBook,
  ) {
    // Always an own property, undefined while no limit is breached: a context made only after the
    // run's first breach (a latch, ~day 330 of a market-making year) would otherwise have a hidden
    // class of its own and throw away the optimised ladder check and router code that read it.
    (this as { lossStatus: LossStatus | undefined }).lossStatus = status;
    this.version = broker.version;
  }

  get commitments(): readonly Commitment[] {
    this.commitmentList ??= this.unchanged().commitments();
    return this.commitmentList;
  }

  get exposure(): ExposureBook {
    if (this.book === undefined) {
      this.unchanged();
      this.book = this.exposureOf();
    }
    return this.book;
  }

  private unchanged(): SimulatedBroker {
    if (this.broker.version !== this.version)
      throw new Error(
        'a risk context was read after the broker changed its books: read a decision context before placing its orders',
      );
    return this.broker;
  }
}

/**
 * A risk context whose market view is made on first read, for a lone directional strategy's
 * decision (most end refused by Kelly without reading it). A class rather than a literal with an
 * own getter: V8 builds a literal with an accessor (and its closure) on its slow path, once per
 * decision. The view is a prototype getter, so a spread or `JSON.stringify` of this context would
 * not show it: nothing on the backtest's order path copies a context (the live path builds its
 * own plain contexts), and the identity check compares every order this path decides.
 */
class LazyViewContext implements RiskContext {
  declare readonly lossStatus?: LossStatus;
  private view: MarketView | undefined = undefined;

  constructor(
    readonly now: EpochMs,
    readonly limits: RiskLimits,
    readonly rules: MarketRules,
    readonly state: TradingState,
    status: LossStatus | undefined,
    readonly positions: readonly Position[],
    readonly commitments: readonly Commitment[],
    readonly recentTrades: readonly TradeStamp[],
    readonly exposure: ExposureBook,
    private readonly contexts: RouterContexts,
    private readonly bar: Candle,
  ) {
    // Always an own property: see BooksOnReadContext.
    (this as { lossStatus: LossStatus | undefined }).lossStatus = status;
  }

  get market(): MarketView {
    this.view ??= this.contexts.marketView(this.bar, this.now);
    return this.view;
  }
}

/**
 * The risk engine's market view of a bar: the whole-won twins and the book's depth per side as
 * plain fields, its one-level synthetic book and its exact prices (the last trade, the best
 * quotes) made on first read, the latter from the bar's quotes, whose decimals are themselves made
 * when read (SyntheticQuotes): the ladder's checks read the numbers only (ViewDepths). Prototype
 * getters (as LazyViewContext's): a spread or `JSON.stringify` of the view would not show `book`,
 * `lastTradePrice` and `best`; nothing on the backtest's order path copies a view.
 */
class SyntheticView implements MarketView, ViewDepths {
  readonly bidWon: number;
  readonly askWon: number;
  /** `depthOf` of each side of the book: one level of `max(volume, 0)` (NaN where depthOf is). */
  readonly bidDepth: number;
  readonly askDepth: number;
  private snapshot: OrderbookSnapshot | undefined = undefined;
  private last: Price | undefined = undefined;

  constructor(
    private readonly bar: Candle,
    private readonly at: EpochMs,
    private readonly rules: MarketRules,
    private readonly quotes: SyntheticQuotes,
    readonly lastWon: number,
  ) {
    this.bidWon = quotes.bidWon;
    this.askWon = quotes.askWon;
    // syntheticBook's size on both sides, one level each.
    const depth = depthOfOneLevel(Math.max(bar.volume, 0));
    this.bidDepth = depth;
    this.askDepth = depth;
  }

  get book(): OrderbookSnapshot {
    this.snapshot ??= syntheticBook(this.bar, this.at, this.rules, this.quotes);
    return this.snapshot;
  }

  /**
   * The close as a price. A whole-won close on the tick grid is the synthetic bid's value (the
   * book's bid price, numberOf of the bid, or its won): the bid's decimal, immutable and equal to
   * decimalFromNumber(close), serves as the last trade instead of a second decimal.
   */
  get lastTradePrice(): Price {
    if (this.last === undefined) {
      const close = this.bar.close;
      const q = this.quotes;
      // The book's bid price as syntheticBook sets it, without building the book.
      const bookBid = Number.isNaN(q.bidWon) ? numberOf(q.bid) : q.bidWon;
      this.last =
        Number.isSafeInteger(close) && close > 0 && bookBid === close
          ? q.bid
          : price(decimalFromNumber(close));
    }
    return this.last;
  }

  /**
   * `bestQuotes(book)`: the quotes' own decimals when parsing the book's numbers gives them back
   * (exactTopOfBook decides: its `exact`), else the book parsed, as a reader would without `best`.
   */
  get best(): { readonly bid: Price; readonly ask: Price } {
    const exact = topOfQuotes(this.quotes).exact;
    if (exact !== undefined) return exact as { readonly bid: Price; readonly ask: Price };
    const parsed = bestQuotes(this.book);
    if (parsed === undefined) throw new Error('a synthetic book has one bid and one ask level');
    return parsed;
  }
}
