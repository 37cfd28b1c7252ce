import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MemoryTradingVenue } from '../../../shared/src/adapters/memory/memory-trading-venue';
import type { EngineState } from '../../../shared/src/domain/exchange/engine-state';
import type { OrderbookSnapshot, Trade } from '../../../shared/src/domain/market/market-data';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { MS } from '../../../shared/src/domain/time/epoch';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import type {
  Balance,
  OrderRef,
  PlaceOrderRequest,
  SendGuard,
  TradingVenue,
  VenueOrder,
} from '../../../shared/src/ports/trading-venue';
import type { FeedListener } from '../feed/market-feed';

/** Final orders kept in the saved paper account (lookups by identifier after a restart need them). */
const KEEP_FINAL_MS = 24 * MS.hour;
const KEEP_FINAL_MAX = 5_000;

/** Options of {@link PaperVenue}. */
export interface PaperVenueOptions {
  readonly markets: readonly Market[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where the account is saved; read at start when it exists. */
  readonly stateFile: string;
  /** KRW of a fresh account (no state file yet). */
  readonly balanceKrw: number;
}

/**
 * Paper trading: the TradingVenue port on the shared exchange engine (the same matching, fees, locks
 * and Upbit error names as the fake exchange and the backtester), fed by the live or sim book and
 * tape. A resting order fills by the backtester's tape fill model, through the same code
 * (`offerTrade`): from printed volume beyond its price, or at its price once the queue the book showed
 * ahead of it on arrival has traded; a touch, or a book that crosses it, is not a fill. The account is saved to `stateFile` after every change to our orders
 * or balances, before the change is reported, so a killed executor restarts with the paper account
 * its stored orders and fills describe. Our order changes are announced to `onOrderChange`.
 */
export class PaperVenue implements TradingVenue, FeedListener {
  readonly #venue: MemoryTradingVenue;
  readonly #options: PaperVenueOptions;
  readonly #listeners = new Set<(identifier: string | undefined, uuid: string) => void>();
  readonly #changed: { identifier: string | undefined; uuid: string }[] = [];
  /**
   * The latest feed book of each market not yet given to the engine. A book replaces the market's
   * liquidity wholesale and, under the tape fill model, never fills or changes one of our orders;
   * public trades fill from our queues, not from the liquidity (tape-queue-fills.ts). Only a
   * placement reads it (to match against it, or to join the queue it shows), so only the last book
   * before one matters: converting every book's prices and sizes to decimals on arrival was the
   * executor's largest allocation per frame (bench/history/executor-memory.md, "A margin").
   * test/executor/paper-venue-books.property.test.ts holds this against applying every book.
   */
  readonly #books = new Map<Market, OrderbookSnapshot>();
  #dirty = false;

  constructor(options: PaperVenueOptions) {
    this.#options = options;
    this.#venue = new MemoryTradingVenue({
      markets: options.markets,
      clock: options.clock,
      // One code path with the backtester: its tape fill model decides every resting fill.
      tapeQueue: true,
    });
    this.#venue.onEvent((event) => {
      if (event.type === 'asset') this.#dirty = true;
      if (event.type === 'order') {
        this.#dirty = true;
        this.#changed.push({ identifier: event.order.identifier, uuid: event.order.uuid });
      }
    });
    if (existsSync(options.stateFile)) {
      this.#venue.restoreState(JSON.parse(readFileSync(options.stateFile, 'utf8')) as EngineState);
      options.logger.info('paper account restored', { stateFile: options.stateFile });
    } else {
      this.#venue.fund('KRW', String(options.balanceKrw));
      options.logger.info('paper account opened', { stateFile: options.stateFile, krw: options.balanceKrw });
    }
    this.#settle();
  }

  /** Our order changes (fills, cancels), after they are saved. */
  onOrderChange(listener: (identifier: string | undefined, uuid: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async placeOrder(request: PlaceOrderRequest, guard?: SendGuard): Promise<VenueOrder> {
    this.#applyBook(request.market);
    try {
      return await this.#venue.placeOrder(request, guard);
    } finally {
      this.#settle();
    }
  }

  async cancelOrder(ref: OrderRef): Promise<VenueOrder> {
    try {
      return await this.#venue.cancelOrder(ref);
    } finally {
      this.#settle();
    }
  }

  getOrder(ref: OrderRef): Promise<VenueOrder | undefined> {
    return this.#venue.getOrder(ref);
  }

  listOpenOrders(market?: Market): Promise<VenueOrder[]> {
    return this.#venue.listOpenOrders(market);
  }

  getBalances(): Promise<Balance[]> {
    return this.#venue.getBalances();
  }

  /** Kept until the engine needs the market's book (see `#books`): the engine's state is unchanged. */
  onBook(book: OrderbookSnapshot): void {
    this.#books.set(book.market, book);
  }

  onTrade(trade: Trade): void {
    this.#venue.applyTrade(trade);
    this.#settle();
  }

  /** Sets a balance behind the executor's back (tests of reconciliation, paper deposits). */
  fund(currency: string, amount: string): void {
    this.#venue.fund(currency, amount);
    this.#settle();
  }

  /** Gives the engine a market's pending feed book, if any. */
  #applyBook(market: Market): void {
    const book = this.#books.get(market);
    if (book === undefined) return;
    this.#books.delete(market);
    this.#venue.applyOrderbook(book);
  }

  /** Writes the account if it changed, then tells listeners which orders changed. */
  #settle(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    this.#save();
    const changed = this.#changed.splice(0);
    for (const c of changed)
      for (const l of this.#listeners) {
        try {
          l(c.identifier, c.uuid);
        } catch (error) {
          this.#options.logger.warn('paper order listener failed', { error: String(error) });
        }
      }
  }

  #save(): void {
    const state = this.#venue.exportState();
    const now = this.#options.clock.now();
    const open = state.orders.filter((o) => o.state === 'wait' || o.state === 'watch');
    const recent = state.orders
      .filter((o) => o.state !== 'wait' && o.state !== 'watch' && now - o.createdAt < KEEP_FINAL_MS)
      .slice(-KEEP_FINAL_MAX);
    const pruned: EngineState = {
      ...state,
      orders: [...open, ...recent].sort((a, b) => a.seq - b.seq),
      burntIdentifiers: state.burntIdentifiers.slice(-KEEP_FINAL_MAX),
    };
    const file = this.#options.stateFile;
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(pruned));
    renameSync(tmp, file);
    // Compact memory too once enough old orders piled up (weeks of paper quotes).
    if (state.orders.length > pruned.orders.length + 1_000) this.#venue.restoreState(pruned);
  }
}
