import type { Market } from '../domain/market/market-id';
import type { Decimal } from '../domain/money/decimal';
import type { Krw, Price, Volume } from '../domain/money/quantities';
import type { OrderIdentifier } from '../domain/orders/identifiers';
import type { OrderDraft, OrderSide, OrderState, OrdType, TimeInForce } from '../domain/orders/order-types';
import type { EpochMs } from '../domain/time/epoch';

/** An order to place: a draft plus the identifier derived from its decision (always sent). */
export interface PlaceOrderRequest extends OrderDraft {
  readonly identifier: OrderIdentifier;
}

/**
 * Asked right before every send of one placement — the first and each re-send after a 429 or an
 * unknown outcome, after any rate-limit back-off: a reason not to send any more (an emergency latch
 * raised while the request waited), or undefined to go on. Without it a placement that waits out a
 * back-off of seconds would still go out after the latch, and an IOC buy would fill.
 */
export type SendGuard = () => string | undefined;

/**
 * The `code` of the `rejected` TradingError a venue throws when a {@link SendGuard} stopped a
 * placement before anything of it was sent (after an earlier send with an unknown outcome it throws
 * that outcome instead: the order may exist).
 */
export const SEND_BLOCKED = 'send_blocked';

/** Refers to an order by exchange uuid or by our identifier. */
export type OrderRef = { readonly uuid: string } | { readonly identifier: string };

/** One fill of an order as the venue reports it. */
export interface VenueTrade {
  readonly uuid: string;
  readonly price: Price;
  readonly volume: Volume;
  /** price × volume in KRW. */
  readonly funds: Krw;
  readonly side: OrderSide;
  readonly createdAt: EpochMs;
}

/** An order as the venue knows it (Upbit's order object, parsed to exact decimals). */
export interface VenueOrder {
  readonly uuid: string;
  readonly identifier?: string;
  readonly market: Market;
  readonly side: OrderSide;
  readonly ordType: OrdType;
  readonly state: OrderState;
  /** Unit price for limit orders; KRW total for market/best buys; absent for market sells. */
  readonly price?: Price;
  /** Requested volume; absent for market buys. */
  readonly volume?: Volume;
  readonly remainingVolume?: Volume;
  readonly executedVolume: Volume;
  readonly executedFunds?: Krw;
  readonly reservedFee: Krw;
  readonly remainingFee: Krw;
  readonly paidFee: Krw;
  /** Still held: KRW incl. fee for bids, base volume for asks. */
  readonly locked: Decimal;
  readonly timeInForce?: TimeInForce;
  readonly tradesCount: number;
  readonly createdAt: EpochMs;
  /** Present only when the venue returns fills (Upbit: GET /order by one id). */
  readonly trades?: readonly VenueTrade[];
}

/** One currency's balance: `balance` is available, `locked` is held by open orders. */
export interface Balance {
  readonly currency: string;
  readonly balance: Decimal;
  readonly locked: Decimal;
  readonly avgBuyPrice: Decimal;
}

/**
 * Where orders go: Upbit, the fake exchange over HTTP, or the in-memory paper venue.
 *
 * Contract (shared/testing/trading-venue-contract.ts): `placeOrder` is idempotent on the identifier —
 * placing an identifier that already exists returns that order instead of creating another (Upbit's
 * `duplicated_identifier` means "already placed"). Refusals throw a `TradingError` of kind `rejected`
 * with Upbit's error name as `code`; transport failures are `retryable`; auth problems are `fatal`.
 */
export interface TradingVenue {
  /** `guard` is asked before every send of this placement (see {@link SendGuard}). */
  placeOrder(request: PlaceOrderRequest, guard?: SendGuard): Promise<VenueOrder>;
  /** Requests cancellation; like Upbit the answer may still say `wait`. Unknown or closed → `order_not_found`. */
  cancelOrder(ref: OrderRef): Promise<VenueOrder>;
  /** The order with its trades, or undefined if the venue has never seen it. */
  getOrder(ref: OrderRef): Promise<VenueOrder | undefined>;
  /** Orders still `wait`/`watch`, optionally for one market. */
  listOpenOrders(market?: Market): Promise<VenueOrder[]>;
  getBalances(): Promise<Balance[]>;
}
