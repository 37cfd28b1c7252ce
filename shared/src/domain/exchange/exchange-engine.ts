import { baseCurrency, type Market } from '../market/market-id';
import { KRW_MARKET_RULES, type MarketRules, tickTableFor } from '../market/market-rules';
import type { TickContext } from '../market/tick-rounding';
import { tickSizeIn } from '../market/tick-table';
import { type Decimal, ZERO } from '../money/decimal';
import { type Price, price as toPrice, volume as toVolume, type Volume } from '../money/quantities';
import type { OrderSide } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import { AccountLedger } from './account-ledger';
import { type EngineState, restoreOrder, saveOrder } from './engine-state';
import type { ExchangeEvent } from './exchange-events';
import { type ExchangeOrder, isOpen, type OrderSnapshot, snapshotOrder } from './exchange-order';
import { fillRestingFromTape, uncrossResting } from './external-fills';
import { bookFill, bookReduce, releaseResidual, tradeTimeUs } from './fill-accounting';
import { type LiquidityLevel, MarketBook } from './market-book';
import type { MatchingContext } from './matching-context';
import { newOrder } from './new-order';
import { type Admitted, admitOrder, type Refused } from './order-admission';
import { executeIncoming } from './order-execution';
import { type ExchangeError, exchangeError, type RawOrderRequest, UPBIT_MESSAGES } from './order-intake';
import { SeededRandom } from './prng';
import { fillRestingFromQueue, joinQueue, type QueueBook } from './tape-queue-fills';

/** Engine set-up. Everything that varies between runs comes in here; nothing is read from the environment. */
export interface EngineConfig {
  readonly markets: readonly Market[];
  /** PRNG seed for uuids. */
  readonly seed: number;
  /** Default {@link KRW_MARKET_RULES}: the same table the pre-trade checks use. */
  readonly rules?: MarketRules;
  /**
   * Queue-position assumption for tape fills: `true` (default) = a public trade at P fills our orders
   * resting AT P too (we are assumed first in the queue at our price — optimistic); `false` = only orders
   * strictly better than P fill (conservative: we are assumed last in the queue).
   */
  readonly tapeFillsAtPrice?: boolean;
  /**
   * `true` = the backtester's tape fill model (paper venue, tape-replaying sim): a resting order joins
   * the back of its level's queue as the book showed it on arrival and fills only from printed volume
   * beyond its price, or at its price after the queue ahead (`offerTrade`); a replaced book never fills
   * it (a recorded book could not have traded with us). Overrides `tapeFillsAtPrice`.
   */
  readonly tapeQueue?: boolean;
}

/** Result of a placement: the order as accepted (`wait`) and as it stands after immediate matching. */
export type PlaceResult =
  | { readonly ok: true; readonly accepted: OrderSnapshot; readonly final: OrderSnapshot }
  | { readonly ok: false; readonly error: ExchangeError };

/** Refers to an order by uuid or identifier (uuid wins when both are given, as on Upbit). */
export interface OrderLookup {
  readonly uuid?: string;
  readonly identifier?: string;
}

const NOT_FOUND = exchangeError(404, 'order_not_found', UPBIT_MESSAGES.order_not_found ?? 'order not found');

/**
 * A pure, deterministic model of Upbit for one account: per-market books with price-time priority,
 * maker/taker fills against other traders' liquidity and the public tape, exact fee and lock
 * book-keeping, and Upbit's validation order. Time and randomness come in as arguments (`now`, `seed`);
 * results of each call are read from {@link drainEvents}. Used by the fake exchange, the in-memory venue
 * and (later) the backtester's simulated broker.
 */
export class ExchangeEngine {
  readonly rules: MarketRules;
  readonly ledger = new AccountLedger();
  private readonly books = new Map<string, MarketBook>();
  private readonly orders = new Map<string, ExchangeOrder>();
  private readonly byIdentifier = new Map<string, ExchangeOrder>();
  private readonly burnt = new Set<string>();
  private readonly tickOverrides = new Map<string, Price>();
  private readonly tapeFillsAtPrice: boolean;
  /** Queue ahead of each resting order, in tape mode only. */
  private readonly queues: QueueBook | undefined;
  private events: ExchangeEvent[] = [];
  private rng: SeededRandom;
  private seq = 0;
  private tradeCounter = 0;
  /** Trade ids per market, dense (+1 per trade) so a client can see a missed trade as a skipped id. */
  private readonly sequentialIds = new Map<string, number>();

  constructor(config: EngineConfig) {
    this.rules = config.rules ?? KRW_MARKET_RULES;
    this.rng = new SeededRandom(config.seed);
    this.tapeFillsAtPrice = config.tapeFillsAtPrice ?? true;
    this.queues = config.tapeQueue === true ? new Map() : undefined;
    for (const m of config.markets) this.books.set(m, new MarketBook(m));
  }

  /** Listed markets, in configuration order. */
  markets(): Market[] {
    return [...this.books.keys()] as Market[];
  }

  /** True when the market is listed. */
  isListed(market: string): boolean {
    return this.books.has(market);
  }

  /** The book of a listed market (read-only use: views, best quotes). */
  book(market: string): MarketBook | undefined {
    return this.books.get(market);
  }

  /** Events produced since the last call, oldest first. */
  drainEvents(): ExchangeEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  /** Forces a tick size for one market (what `/orderbook/instruments` would report); undefined clears it. */
  setTickOverride(market: string, tick: Price | undefined): void {
    if (tick === undefined) this.tickOverrides.delete(market);
    else this.tickOverrides.set(market, tick);
  }

  /** Tick of a market at a price: the override, else the tick table in force at `now`. */
  tickFor(market: Market, at: Decimal, now: EpochMs): Price {
    return (
      this.tickOverrides.get(market) ??
      toPrice(tickSizeIn(tickTableFor(this.rules, now), at, baseCurrency(market)))
    );
  }

  /** Tick grid of a market at `now` (override or table), for code that builds prices on it. */
  tickContext(market: Market, now: EpochMs): TickContext {
    const tick = this.tickOverrides.get(market);
    return {
      table: tickTableFor(this.rules, now),
      asset: baseCurrency(market),
      ...(tick === undefined ? {} : { tick }),
    };
  }

  /** Sets an available balance (test drivers, starting balances) and publishes the asset change. */
  setBalance(currency: string, amount: Decimal, now: EpochMs): void {
    this.ledger.setBalance(currency, amount);
    this.flushAssets(now);
  }

  /** Validates and, unless `dryRun`, places an order (POST /orders; `/orders/test` with `dryRun`). */
  placeOrder(raw: RawOrderRequest, now: EpochMs, dryRun = false): PlaceResult {
    const admitted = this.admit(raw, now, dryRun, ZERO);
    if (!admitted.ok) return admitted;
    return this.enter(admitted, now, dryRun);
  }

  /**
   * POST /orders/cancel_and_new as one step (PROTOCOL.md §5.2): the new order (`raw`, same market and
   * side as the old one) is validated completely first — fields, identifier reuse, and funds counting
   * what the cancel will release — and only then is the old order cancelled and the new one placed. A
   * refusal leaves the old order untouched. Returns the old order as it stood and the new placement.
   */
  cancelAndReplace(
    ref: OrderLookup,
    raw: RawOrderRequest,
    now: EpochMs,
  ):
    | { readonly ok: true; readonly cancelled: OrderSnapshot; readonly placed: PlaceResult }
    | { readonly ok: false; readonly error: ExchangeError } {
    const old = this.find(ref);
    if (old === undefined || !isOpen(old)) return { ok: false, error: NOT_FOUND };
    if (raw.market !== old.market || raw.side !== old.side)
      return { ok: false, error: exchangeError(400, 'validation_error', 'market and side cannot change') };
    const admitted = this.admit(raw, now, false, old.locked);
    if (!admitted.ok) return admitted;
    const cancelled = snapshotOrder(old);
    this.finish(old, 'cancel', now);
    this.flushAssets(now);
    return { ok: true, cancelled, placed: this.enter(admitted, now, false) };
  }

  private admit(raw: RawOrderRequest, now: EpochMs, dryRun: boolean, releasing: Decimal): Admitted | Refused {
    return admitOrder(raw, now, {
      rules: this.rules,
      books: this.books,
      burnt: this.burnt,
      tickOverrides: this.tickOverrides,
      available: (currency) => this.ledger.available(currency).plus(releasing),
      burn: !dryRun,
    });
  }

  /** Books an admitted request: locks its funds, emits `wait`, matches it (or only describes it, dry run). */
  private enter(a: Admitted, now: EpochMs, dryRun: boolean): PlaceResult {
    const order = newOrder(a.draft, {
      uuid: this.rng.uuid(),
      identifier: a.identifier,
      locked: a.lock.amount,
      book: a.book,
      rules: this.rules,
      now,
      seq: ++this.seq,
    });
    const accepted = snapshotOrder(order);
    if (dryRun) return { ok: true, accepted, final: accepted };
    this.orders.set(order.uuid, order);
    if (a.identifier !== undefined) this.byIdentifier.set(a.identifier, order);
    this.ledger.lock(a.lock.currency, a.lock.amount);
    this.emitOrder('wait', order, now);
    this.flushAssets(now);
    executeIncoming(order, a.book, this.matchingContext(now));
    if (this.queues !== undefined && isOpen(order)) joinQueue(a.book, order, this.queues);
    this.flushAssets(now);
    return { ok: true, accepted, final: snapshotOrder(order) };
  }

  /** Saves balances, orders, burnt identifiers and counters (synthetic liquidity is not saved). */
  exportState(): EngineState {
    return {
      version: 1,
      rngState: this.rng.seed,
      seq: this.seq,
      sequentialId: Math.max(0, ...this.sequentialIds.values()),
      sequentialIds: Object.fromEntries(this.sequentialIds),
      accounts: this.ledger.list().map((a) => ({
        currency: a.currency,
        balance: a.balance.toFixed(),
        locked: a.locked.toFixed(),
        avgBuyPrice: a.avgBuyPrice.toFixed(),
      })),
      orders: [...this.orders.values()].map(saveOrder),
      burntIdentifiers: [...this.burnt],
    };
  }

  /** Replaces the account with a saved one; open orders go back into their books. */
  restoreState(state: EngineState): void {
    this.ledger.restore(state.accounts);
    this.orders.clear();
    this.byIdentifier.clear();
    this.burnt.clear();
    this.queues?.clear();
    for (const b of this.books.values()) {
      b.restingBids.length = 0;
      b.restingAsks.length = 0;
    }
    for (const saved of state.orders) {
      const o = restoreOrder(saved);
      if (!this.books.has(o.market)) continue;
      this.orders.set(o.uuid, o);
      if (o.identifier !== undefined) this.byIdentifier.set(o.identifier, o);
      if (isOpen(o) && o.limitPrice !== undefined) this.books.get(o.market)?.addResting(o);
    }
    for (const id of state.burntIdentifiers) this.burnt.add(id);
    this.rng = new SeededRandom(state.rngState);
    this.seq = state.seq;
    this.sequentialIds.clear();
    // Older state files hold one counter for every market: resuming each market from it keeps ids unique.
    for (const market of this.books.keys())
      this.sequentialIds.set(market, state.sequentialIds?.[market] ?? state.sequentialId);
    this.ledger.drainChanged();
  }

  /** Cancels an open order: returns it as it stood (`wait`), then moves it to `cancel` (PROTOCOL §8). */
  cancelOrder(
    ref: OrderLookup,
    now: EpochMs,
  ): { ok: true; order: OrderSnapshot } | { ok: false; error: ExchangeError } {
    const order = this.find(ref);
    if (order === undefined || !isOpen(order)) return { ok: false, error: NOT_FOUND };
    const before = snapshotOrder(order);
    this.finish(order, 'cancel', now);
    this.flushAssets(now);
    return { ok: true, order: before };
  }

  /** One order with its trades, or undefined. */
  getOrder(ref: OrderLookup): OrderSnapshot | undefined {
    const o = this.find(ref);
    return o === undefined ? undefined : snapshotOrder(o);
  }

  /** Orders matching a predicate, oldest first (callers sort/paginate as their endpoint needs). */
  queryOrders(predicate: (o: OrderSnapshot) => boolean): OrderSnapshot[] {
    const out: OrderSnapshot[] = [];
    for (const o of this.orders.values()) if (predicate(o)) out.push(snapshotOrder(o));
    return out;
  }

  /**
   * Replaces other traders' liquidity in a market. If the new book crosses our resting orders, those
   * fill as makers at their own price (the crossing liquidity is the taker), as a real market would.
   */
  setLiquidity(
    market: Market,
    bids: readonly LiquidityLevel[],
    asks: readonly LiquidityLevel[],
    now: EpochMs,
  ): void {
    const book = this.requireBook(market);
    book.setLiquidity(bids, asks);
    if (this.queues === undefined) {
      const ctx = this.matchingContext(now);
      uncrossResting(book, 'bid', ctx);
      uncrossResting(book, 'ask', ctx);
    }
    book.updatedAt = now;
    this.events.push({ type: 'book', market, at: now });
    this.flushAssets(now);
  }

  /**
   * Prints a trade of other traders on the tape. A seller-initiated trade (`takerSide` ask) at P fills
   * our resting bids priced ≥ P, a buyer-initiated one our asks ≤ P, best price then earliest first, up
   * to the trade's volume, at our own (maker) price. See {@link EngineConfig.tapeFillsAtPrice} for the
   * queue-position assumption at exactly P. Volume not absorbed by us prints at P.
   */
  tapeTrade(market: Market, p: Price, v: Volume, takerSide: OrderSide, now: EpochMs): void {
    const book = this.requireBook(market);
    const ctx = this.matchingContext(now);
    const left =
      this.queues === undefined
        ? fillRestingFromTape(book, p, v, takerSide, this.tapeFillsAtPrice, ctx)
        : fillRestingFromQueue(book, p, v, takerSide, this.queues, ctx);
    if (left.gt(0)) this.publicTrade(market, p, toVolume(left), takerSide, now);
    book.updatedAt = now;
    this.events.push({ type: 'book', market, at: now });
    this.flushAssets(now);
  }

  private matchingContext(now: EpochMs): MatchingContext {
    return {
      fill: (o, p, v, isMaker, takerSide) => {
        const trade = bookFill(o, this.ledger, this.rules, {
          price: p,
          volume: v,
          isMaker,
          takerSide,
          uuid: this.rng.uuid(),
          atUs: tradeTimeUs(now, this.tradeCounter++),
        });
        this.events.push({ type: 'order', state: 'trade', order: snapshotOrder(o), trade, at: now });
        this.publicTrade(o.market, p, v, takerSide, now);
      },
      finish: (o, state) => this.finish(o, state, now),
      prevent: (o) => {
        o.preventedVolume = toVolume(o.remainingVolume ?? ZERO);
        o.preventedLocked = o.locked;
        this.emitOrder('prevented', o, now);
        this.finish(o, 'cancel', now);
      },
      reduce: (o, v, at) => {
        const exhausted = bookReduce(o, this.ledger, this.rules, v, at);
        this.emitOrder('prevented', o, now);
        if (exhausted) this.finish(o, 'cancel', now);
        else if (o.limitPrice !== undefined) this.events.push({ type: 'book', market: o.market, at: now });
      },
      bookChanged: (market) => {
        const b = this.books.get(market);
        if (b !== undefined) b.updatedAt = now;
        this.events.push({ type: 'book', market, at: now });
      },
    };
  }

  private finish(o: ExchangeOrder, state: 'done' | 'cancel', now: EpochMs): void {
    o.state = state;
    this.queues?.delete(o.uuid);
    releaseResidual(o, this.ledger);
    const book = this.books.get(o.market);
    if (book !== undefined && o.limitPrice !== undefined) {
      const before = book.restingBids.length + book.restingAsks.length;
      book.removeResting(o);
      if (book.restingBids.length + book.restingAsks.length !== before) {
        book.updatedAt = now;
        this.events.push({ type: 'book', market: o.market, at: now });
      }
    }
    this.emitOrder(state, o, now);
  }

  private publicTrade(market: Market, p: Price, v: Volume, takerSide: OrderSide, now: EpochMs): void {
    this.events.push({
      type: 'publicTrade',
      market,
      price: p,
      volume: v,
      takerSide,
      at: now,
      sequentialId: this.nextSequentialId(market),
    });
  }

  /**
   * Reserves `count` consecutive public trade ids of a market (history printed before the engine ran)
   * and returns the first; live trades continue after them, so ids stay dense and increasing.
   */
  reserveSequentialIds(market: Market, count: number): number {
    const first = (this.sequentialIds.get(market) ?? 0) + 1;
    this.sequentialIds.set(market, first - 1 + Math.max(0, count));
    return first;
  }

  private nextSequentialId(market: Market): number {
    const next = (this.sequentialIds.get(market) ?? 0) + 1;
    this.sequentialIds.set(market, next);
    return next;
  }

  private emitOrder(state: 'wait' | 'done' | 'cancel' | 'prevented', o: ExchangeOrder, now: EpochMs): void {
    this.events.push({ type: 'order', state, order: snapshotOrder(o), at: now });
  }

  private flushAssets(now: EpochMs): void {
    const changed = this.ledger.drainChanged();
    if (changed.length > 0)
      this.events.push({
        type: 'asset',
        assets: changed.map((a) => ({ currency: a.currency, balance: a.balance, locked: a.locked })),
        at: now,
      });
  }

  private find(ref: OrderLookup): ExchangeOrder | undefined {
    if (ref.uuid !== undefined) return this.orders.get(ref.uuid);
    if (ref.identifier !== undefined) return this.byIdentifier.get(ref.identifier);
    return undefined;
  }

  private requireBook(market: string): MarketBook {
    const book = this.books.get(market);
    if (book === undefined) throw new RangeError(`market ${market} is not listed on this exchange`);
    return book;
  }
}
