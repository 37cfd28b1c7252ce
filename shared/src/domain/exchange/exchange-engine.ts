import { baseCurrency, type Market } from '../market/market-id';
import { KRW_MARKET_RULES, type MarketRules, tickTableFor } from '../market/market-rules';
import type { TickContext } from '../market/tick-rounding';
import { tickSizeIn } from '../market/tick-table';
import { type Decimal, ZERO } from '../money/decimal';
import { type Price, price as toPrice, volume as toVolume, type Volume } from '../money/quantities';
import type { OrderSide } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import { AccountLedger } from './account-ledger';
import type { EngineConfig, PlaceResult } from './engine-config';
import { EngineEventLog } from './engine-event-log';
import type { EngineState } from './engine-state';
import type { ExchangeEvent } from './exchange-events';
import { isOpen, type OrderSnapshot, snapshotOrder } from './exchange-order';
import { fillRestingFromTape, uncrossResting } from './external-fills';
import { tradeTimeUs } from './fill-accounting';
import { type LiquidityLevel, MarketBook } from './market-book';
import { MatchingCallbacks } from './matching-callbacks';
import { newOrder } from './new-order';
import { type Admitted, admitOrder, type Refused } from './order-admission';
import { executeIncoming } from './order-execution';
import { type ExchangeError, exchangeError, type RawOrderRequest, UPBIT_MESSAGES } from './order-intake';
import { type OrderLookup, OrderRegistry } from './order-registry';
import { SeededRandom } from './prng';
import { fillRestingFromQueue, joinQueue, type QueueBook } from './tape-queue-fills';

const NOT_FOUND = exchangeError(404, 'order_not_found', UPBIT_MESSAGES.order_not_found ?? 'order not found');

/**
 * A pure, deterministic model of Upbit for one account: per-market books with price-time priority,
 * maker/taker fills against other traders' liquidity and the public tape, exact fee and lock
 * book-keeping, and Upbit's validation order. Time and randomness come in as arguments (`now`, `seed`);
 * results of each call are read from {@link drainEvents}. Used by the fake exchange, the in-memory venue
 * and (later) the backtester's simulated broker. This class handles the requests; orders live in an
 * {@link OrderRegistry}, fills are booked by {@link MatchingCallbacks}, events queue in an {@link EngineEventLog}.
 */
export class ExchangeEngine {
  readonly rules: MarketRules;
  readonly ledger = new AccountLedger();
  private readonly books = new Map<string, MarketBook>();
  private readonly orders = new OrderRegistry();
  private readonly tickOverrides = new Map<string, Price>();
  private readonly tapeFillsAtPrice: boolean;
  /** Queue ahead of each resting order, in tape mode only. */
  private readonly queues: QueueBook | undefined;
  private readonly log = new EngineEventLog();
  private rng: SeededRandom;
  private seq = 0;
  private tradeCounter = 0;
  private readonly matching: MatchingCallbacks;

  constructor(config: EngineConfig) {
    this.rules = config.rules ?? KRW_MARKET_RULES;
    this.rng = new SeededRandom(config.seed);
    this.tapeFillsAtPrice = config.tapeFillsAtPrice ?? true;
    this.queues = config.tapeQueue === true ? new Map() : undefined;
    this.matching = new MatchingCallbacks({
      ledger: this.ledger,
      rules: this.rules,
      books: this.books,
      queues: this.queues,
      log: this.log,
      nextTrade: (now) => ({ uuid: this.rng.uuid(), atUs: tradeTimeUs(now, this.tradeCounter++) }),
    });
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
    return this.log.drain();
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
    this.log.assets(this.ledger, now);
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
    const old = this.orders.find(ref);
    if (old === undefined || !isOpen(old)) return { ok: false, error: NOT_FOUND };
    if (raw.market !== old.market || raw.side !== old.side)
      return { ok: false, error: exchangeError(400, 'validation_error', 'market and side cannot change') };
    const admitted = this.admit(raw, now, false, old.locked);
    if (!admitted.ok) return admitted;
    const cancelled = snapshotOrder(old);
    this.matching.finish(old, 'cancel', now);
    this.log.assets(this.ledger, now);
    return { ok: true, cancelled, placed: this.enter(admitted, now, false) };
  }

  private admit(raw: RawOrderRequest, now: EpochMs, dryRun: boolean, releasing: Decimal): Admitted | Refused {
    return admitOrder(raw, now, {
      rules: this.rules,
      books: this.books,
      burnt: this.orders.burnt,
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
    this.orders.add(order);
    this.ledger.lock(a.lock.currency, a.lock.amount);
    this.log.order('wait', order, now);
    this.log.assets(this.ledger, now);
    executeIncoming(order, a.book, this.matching.at(now));
    if (this.queues !== undefined && isOpen(order)) joinQueue(a.book, order, this.queues);
    this.log.assets(this.ledger, now);
    return { ok: true, accepted, final: snapshotOrder(order) };
  }

  /** Saves balances, orders, burnt identifiers and counters (synthetic liquidity is not saved). */
  exportState(): EngineState {
    return {
      version: 1,
      rngState: this.rng.seed,
      seq: this.seq,
      ...this.log.saveCounters(),
      accounts: this.ledger.list().map((a) => ({
        currency: a.currency,
        balance: a.balance.toFixed(),
        locked: a.locked.toFixed(),
        avgBuyPrice: a.avgBuyPrice.toFixed(),
      })),
      ...this.orders.save(),
    };
  }

  /** Replaces the account with a saved one; open orders go back into their books. */
  restoreState(state: EngineState): void {
    this.ledger.restore(state.accounts);
    this.queues?.clear();
    this.orders.restore(state, this.books);
    this.rng = new SeededRandom(state.rngState);
    this.seq = state.seq;
    this.log.restoreCounters(this.books.keys(), state);
    this.ledger.drainChanged();
  }

  /** Cancels an open order: returns it as it stood (`wait`), then moves it to `cancel` (PROTOCOL §8). */
  cancelOrder(
    ref: OrderLookup,
    now: EpochMs,
  ): { ok: true; order: OrderSnapshot } | { ok: false; error: ExchangeError } {
    const order = this.orders.find(ref);
    if (order === undefined || !isOpen(order)) return { ok: false, error: NOT_FOUND };
    const before = snapshotOrder(order);
    this.matching.finish(order, 'cancel', now);
    this.log.assets(this.ledger, now);
    return { ok: true, order: before };
  }

  /** One order with its trades, or undefined. */
  getOrder(ref: OrderLookup): OrderSnapshot | undefined {
    const o = this.orders.find(ref);
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
      const ctx = this.matching.at(now);
      uncrossResting(book, 'bid', ctx);
      uncrossResting(book, 'ask', ctx);
    }
    book.updatedAt = now;
    this.log.book(market, now);
    this.log.assets(this.ledger, now);
  }

  /**
   * Prints a trade of other traders on the tape. A seller-initiated trade (`takerSide` ask) at P fills
   * our resting bids priced ≥ P, a buyer-initiated one our asks ≤ P, best price then earliest first, up
   * to the trade's volume, at our own (maker) price. See {@link EngineConfig.tapeFillsAtPrice} for the
   * queue-position assumption at exactly P. Volume not absorbed by us prints at P.
   */
  tapeTrade(market: Market, p: Price, v: Volume, takerSide: OrderSide, now: EpochMs): void {
    const book = this.requireBook(market);
    const ctx = this.matching.at(now);
    const left =
      this.queues === undefined
        ? fillRestingFromTape(book, p, v, takerSide, this.tapeFillsAtPrice, ctx)
        : fillRestingFromQueue(book, p, v, takerSide, this.queues, ctx);
    if (left.gt(0)) this.log.publicTrade(market, p, toVolume(left), takerSide, now);
    book.updatedAt = now;
    this.log.book(market, now);
    this.log.assets(this.ledger, now);
  }

  /**
   * Reserves `count` consecutive public trade ids of a market (history printed before the engine ran)
   * and returns the first; live trades continue after them, so ids stay dense and increasing.
   */
  reserveSequentialIds(market: Market, count: number): number {
    return this.log.reserveSequentialIds(market, count);
  }

  private requireBook(market: string): MarketBook {
    const book = this.books.get(market);
    if (book === undefined) throw new RangeError(`market ${market} is not listed on this exchange`);
    return book;
  }
}
