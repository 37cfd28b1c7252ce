import { TradingError } from '../../domain/errors/trading-error';
import type { EngineState } from '../../domain/exchange/engine-state';
import { ExchangeEngine } from '../../domain/exchange/exchange-engine';
import type { ExchangeEvent } from '../../domain/exchange/exchange-events';
import type { LiquidityLevel } from '../../domain/exchange/market-book';
import type { OrderbookSnapshot, Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import { type Decimal, decimalFromNumber, parseDecimal } from '../../domain/money/decimal';
import { price as toPrice, volume as toVolume } from '../../domain/money/quantities';
import type { OrderSide } from '../../domain/orders/order-types';
import type { EpochMs } from '../../domain/time/epoch';
import type { Clock } from '../../ports/clock';
import {
  type Balance,
  type OrderRef,
  type PlaceOrderRequest,
  SEND_BLOCKED,
  type SendGuard,
  type TradingVenue,
  type VenueOrder,
} from '../../ports/trading-venue';
import { toLookup, toRawRequest, toTradingError, toVenueOrder } from './memory-trading-venue-mapping';

/** Decimal text (Upbit style) or an exact decimal. */
export type DecimalLike = string | Decimal;

/** Other traders' book as `[price, size]` rows, best first (the fake exchange's `BookSpec` shape). */
export interface PaperBook {
  readonly bids: readonly (readonly [DecimalLike, DecimalLike])[];
  readonly asks: readonly (readonly [DecimalLike, DecimalLike])[];
}

/** Set-up of the paper venue; everything that varies comes in here, nothing from the environment. */
export interface MemoryTradingVenueOptions {
  /** Listed markets; orders on any other market are refused with `notfoundmarket` as on Upbit. */
  readonly markets: readonly Market[];
  /** Time of every placement, fill and cancel. */
  readonly clock: Clock;
  /** Starting available balances, e.g. `{ KRW: '10000000' }`. */
  readonly balances?: Readonly<Record<string, DecimalLike>>;
  /** Seed of the uuid generator: same seed and same calls, same uuids. Default 1. */
  readonly seed?: number;
  /** Default the KRW rules in force (0.05 % fees, 5,000 KRW minimum, tick tables by date). */
  readonly rules?: MarketRules;
  /** Queue-position assumption at exactly the trade price; see the engine's `tapeFillsAtPrice`. */
  readonly tapeFillsAtPrice?: boolean;
  /** The backtester's tape fill model (queue from the book on arrival); see the engine's `tapeQueue`. */
  readonly tapeQueue?: boolean;
}

function toDecimal(value: DecimalLike): Decimal {
  return typeof value === 'string' ? parseDecimal(value) : value;
}

function levels(rows: PaperBook['bids']): LiquidityLevel[] {
  return rows.map(([p, s]) => ({ price: toDecimal(p), size: toDecimal(s) }));
}

/**
 * The paper venue: the TradingVenue port on top of the same pure exchange engine the fake exchange
 * and the backtester use, so a strategy fills identically in paper, sim and backtest. Market prices
 * come in through {@link setBook}/{@link printTrade} (or the live feed via {@link applyOrderbook} and
 * {@link applyTrade}); resting orders fill as makers when the market crosses them. Validation, fees
 * (0.05 %), locks and error names are the engine's, i.e. the shared `validateOrder` and Upbit's names.
 *
 * Differences from Upbit, on purpose: `placeOrder` answers with the order as it stands after immediate
 * matching (Upbit's 201 says `wait`), which is simply a later view of the same order.
 */
export class MemoryTradingVenue implements TradingVenue {
  readonly #engine: ExchangeEngine;
  readonly #clock: Clock;
  readonly #listeners = new Set<(event: ExchangeEvent) => void>();
  #listenerErrors = 0;

  constructor(options: MemoryTradingVenueOptions) {
    this.#clock = options.clock;
    this.#engine = new ExchangeEngine({
      markets: options.markets,
      seed: options.seed ?? 1,
      ...(options.rules === undefined ? {} : { rules: options.rules }),
      ...(options.tapeFillsAtPrice === undefined ? {} : { tapeFillsAtPrice: options.tapeFillsAtPrice }),
      ...(options.tapeQueue === undefined ? {} : { tapeQueue: options.tapeQueue }),
    });
    for (const [currency, amount] of Object.entries(options.balances ?? {})) this.fund(currency, amount);
  }

  async placeOrder(request: PlaceOrderRequest, guard?: SendGuard): Promise<VenueOrder> {
    const blocked = guard?.();
    if (blocked !== undefined)
      throw new TradingError('rejected', `order ${request.identifier} not sent: ${blocked}`, {
        code: SEND_BLOCKED,
      });
    const result = this.#run((e, now) => e.placeOrder(toRawRequest(request), now));
    if (result.ok) return toVenueOrder(result.final, false);
    if (result.error.name !== 'duplicated_identifier') throw toTradingError(result.error, 'placeOrder');
    // Upbit's duplicated_identifier means "already used": hand back that order, never make a second one.
    const existing = this.#engine.getOrder({ identifier: request.identifier });
    if (existing !== undefined) return toVenueOrder(existing, true);
    throw toTradingError(
      result.error,
      'placeOrder',
      `; identifier ${request.identifier} was burnt by an earlier refused request: ` +
        'derive the next attempt with orderIdentifier(decisionId, leg, attempt + 1)',
    );
  }

  async cancelOrder(ref: OrderRef): Promise<VenueOrder> {
    const result = this.#run((e, now) => e.cancelOrder(toLookup(ref), now));
    if (!result.ok) throw toTradingError(result.error, 'cancelOrder');
    return toVenueOrder(result.order, false);
  }

  async getOrder(ref: OrderRef): Promise<VenueOrder | undefined> {
    const order = this.#engine.getOrder(toLookup(ref));
    return order === undefined ? undefined : toVenueOrder(order, true);
  }

  async listOpenOrders(market?: Market): Promise<VenueOrder[]> {
    const open = this.#engine.queryOrders(
      (o) => (o.state === 'wait' || o.state === 'watch') && (market === undefined || o.market === market),
    );
    // Newest first, as Upbit's /orders/open answers by default.
    return open.reverse().map((o) => toVenueOrder(o, false));
  }

  async getBalances(): Promise<Balance[]> {
    return this.#engine.ledger.list().map((a) => ({
      currency: a.currency,
      balance: a.balance,
      locked: a.locked,
      avgBuyPrice: a.avgBuyPrice,
    }));
  }

  /** Sets the available balance of a currency (deposits in paper mode); locked amounts are untouched. */
  fund(currency: string, amount: DecimalLike): void {
    this.#run((e, now) => e.setBalance(currency, toDecimal(amount), now));
  }

  /** Replaces other traders' liquidity of a market; resting orders the new book crosses fill as makers. */
  setBook(market: Market, book: PaperBook): void {
    this.#run((e, now) => e.setLiquidity(market, levels(book.bids), levels(book.asks), now));
  }

  /**
   * Prints another trader's trade: `takerSide` `ask` (a seller hit the bids) fills our bids at or
   * above the price, `bid` our asks at or below it, at our own limit price.
   */
  printTrade(market: Market, price: DecimalLike, volume: DecimalLike, takerSide: OrderSide): void {
    this.#run((e, now) =>
      e.tapeTrade(market, toPrice(toDecimal(price)), toVolume(toDecimal(volume)), takerSide, now),
    );
  }

  /** Feeds a live order-book snapshot (float64 from the feed, read back exactly via its shortest text). */
  applyOrderbook(snapshot: OrderbookSnapshot): void {
    const toRows = (rows: OrderbookSnapshot['bids']) =>
      rows.map((l) => [decimalFromNumber(l.price), decimalFromNumber(l.size)] as const);
    this.setBook(snapshot.market, { bids: toRows(snapshot.bids), asks: toRows(snapshot.asks) });
  }

  /** Feeds a live public trade. */
  applyTrade(trade: Trade): void {
    this.printTrade(
      trade.market,
      decimalFromNumber(trade.price),
      decimalFromNumber(trade.volume),
      trade.takerSide,
    );
  }

  /**
   * Subscribes to the engine's events (order changes, fills, balance changes, public trades) in the
   * order they happened, e.g. to drive a paper `myOrder` stream. Returns the unsubscribe function.
   */
  onEvent(listener: (event: ExchangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Events a listener threw on; the venue never lets a listener undo or hide an order that happened. */
  get listenerErrors(): number {
    return this.#listenerErrors;
  }

  /** Balances, orders and burnt identifiers as plain text, so a paper account survives a restart. */
  exportState(): EngineState {
    return this.#engine.exportState();
  }

  /** Replaces the account with a saved one; open orders go back into their books. */
  restoreState(state: EngineState): void {
    this.#engine.restoreState(state);
  }

  #run<T>(op: (engine: ExchangeEngine, now: EpochMs) => T): T {
    const result = op(this.#engine, this.#clock.now());
    // Always drain, even with no listener: the engine buffers events until read.
    const events = this.#engine.drainEvents();
    for (const event of events)
      for (const listener of this.#listeners) {
        try {
          listener(event);
        } catch {
          this.#listenerErrors += 1;
        }
      }
    return result;
  }
}
