import type { Market } from '../../../domain/market/market-id';
import { toUpbitString } from '../../../domain/money/quantities';
import type { OrderDraft } from '../../../domain/orders/order-types';
import type { Balance, OrderRef, VenueOrder } from '../../../ports/trading-venue';
import type { JsonBody, QueryParams } from '../auth/query-string';
import {
  type BatchCancelResult,
  type OrderChance,
  parseAccounts,
  parseBatchCancel,
  parseOrder,
  parseOrderChance,
  parseOrderList,
} from './exchange-parsers';
import type { UpbitRestClient } from './upbit-rest-client';

/** Filters for `GET /orders/closed` (window ≤ 7 days; Upbit defaults to the last 7 days). */
export interface ClosedOrdersQuery {
  readonly market?: Market;
  readonly states?: readonly ('done' | 'cancel')[];
  /** ms timestamps, sent as Upbit accepts them. */
  readonly startTime?: number;
  readonly endTime?: number;
  /** ≤ 1000, default 100. */
  readonly limit?: number;
  readonly orderBy?: 'asc' | 'desc';
}

/** Filters for `GET /orders/open`. */
export interface OpenOrdersQuery {
  readonly market?: Market;
  readonly states?: readonly ('wait' | 'watch')[];
  readonly page?: number;
  /** ≤ 100, default 100. */
  readonly limit?: number;
  readonly orderBy?: 'asc' | 'desc';
}

/** Filters for `DELETE /orders/open` (batch cancel; 1 call per 2 s). */
export interface CancelOpenQuery {
  readonly cancelSide?: 'all' | 'bid' | 'ask';
  /** ≤ 20 markets; sent as a raw comma list. */
  readonly pairs?: readonly Market[];
  readonly quoteCurrencies?: readonly string[];
  readonly excludedPairs?: readonly Market[];
  /** ≤ 300, default 20. */
  readonly count?: number;
  readonly orderBy?: 'asc' | 'desc';
}

/** Ids of several orders: uuids or our identifiers, never both (Upbit refuses the mix). */
export type OrderRefs = { readonly uuids: readonly string[] } | { readonly identifiers: readonly string[] };

function refQuery(ref: OrderRef): QueryParams {
  return 'uuid' in ref ? [['uuid', ref.uuid]] : [['identifier', ref.identifier]];
}

function refsQuery(refs: OrderRefs): QueryParams {
  return 'uuids' in refs ? [['uuids[]', refs.uuids]] : [['identifiers[]', refs.identifiers]];
}

/**
 * The JSON body for POST /orders in a fixed key order (the hash follows body order). Fields Upbit
 * wants absent for a type (`volume` on a market buy, `price` on a market sell) are simply not set.
 */
export function orderBody(order: OrderDraft): JsonBody {
  const body: Record<string, string> = { market: order.market, side: order.side };
  if (order.volume !== undefined) body.volume = toUpbitString(order.volume);
  if (order.price !== undefined) body.price = toUpbitString(order.price);
  body.ord_type = order.ordType;
  if (order.timeInForce !== undefined) body.time_in_force = order.timeInForce;
  if (order.smpType !== undefined) body.smp_type = order.smpType;
  if (order.identifier !== undefined) body.identifier = order.identifier;
  return body;
}

/**
 * Upbit Exchange (private, JWT) endpoints the system uses (PROTOCOL.md §5.2), each with its rate-limit
 * group. Returns exact-decimal domain shapes; failures are classified TradingErrors.
 */
export class UpbitExchangeApi {
  constructor(private readonly client: UpbitRestClient) {}

  /** `GET /accounts`: every currency held, available and locked. */
  getAccounts(signal?: AbortSignal): Promise<Balance[]> {
    return this.client.request({
      method: 'GET',
      path: '/accounts',
      group: 'default',
      auth: true,
      parse: parseAccounts,
      context: 'GET /accounts',
      ...(signal ? { signal } : {}),
    });
  }

  /** `GET /orders/chance`: fees, limits and both balances for one market. */
  getOrderChance(market: Market, signal?: AbortSignal): Promise<OrderChance> {
    return this.client.request({
      method: 'GET',
      path: '/orders/chance',
      group: 'default',
      auth: true,
      query: [['market', market]],
      parse: parseOrderChance,
      context: 'GET /orders/chance',
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * `POST /orders`. Callers wanting idempotency use UpbitTradingVenue.placeOrder, which wraps this.
   * `beforeSend` runs right before each send (after any rate-limit wait); throwing stops the call.
   */
  placeOrder(order: OrderDraft, signal?: AbortSignal, beforeSend?: () => void): Promise<VenueOrder> {
    return this.client.request({
      method: 'POST',
      path: '/orders',
      group: 'order',
      auth: true,
      body: orderBody(order),
      parse: (json) => parseOrder(json),
      context: 'place order',
      ...(signal ? { signal } : {}),
      ...(beforeSend ? { beforeSend } : {}),
    });
  }

  /** `POST /orders/test`: same validation as a real order, creates nothing. */
  testOrder(order: OrderDraft, signal?: AbortSignal): Promise<VenueOrder> {
    return this.client.request({
      method: 'POST',
      path: '/orders/test',
      group: 'order-test',
      auth: true,
      body: orderBody(order),
      parse: (json) => parseOrder(json),
      context: 'test order',
      ...(signal ? { signal } : {}),
    });
  }

  /** `GET /order` by uuid or identifier, with its trades. Unknown → rejected `order_not_found`. */
  getOrder(ref: OrderRef, signal?: AbortSignal): Promise<VenueOrder> {
    return this.client.request({
      method: 'GET',
      path: '/order',
      group: 'default',
      auth: true,
      query: refQuery(ref),
      parse: (json) => parseOrder(json),
      context: 'GET /order',
      ...(signal ? { signal } : {}),
    });
  }

  /** `GET /orders/uuids`: up to 100 orders by uuid or identifier (no trades). */
  getOrders(refs: OrderRefs, market?: Market, signal?: AbortSignal): Promise<VenueOrder[]> {
    return this.client.request({
      method: 'GET',
      path: '/orders/uuids',
      group: 'default',
      auth: true,
      query: [['market', market], ...refsQuery(refs)],
      parse: (json) => parseOrderList(json),
      context: 'GET /orders/uuids',
      ...(signal ? { signal } : {}),
    });
  }

  /** `GET /orders/open`: one page of `wait`/`watch` orders. */
  getOpenOrders(query: OpenOrdersQuery = {}, signal?: AbortSignal): Promise<VenueOrder[]> {
    return this.client.request({
      method: 'GET',
      path: '/orders/open',
      group: 'default',
      auth: true,
      query: [
        ['market', query.market],
        ['states[]', query.states],
        ['page', query.page],
        ['limit', query.limit],
        ['order_by', query.orderBy],
      ],
      parse: (json) => parseOrderList(json),
      context: 'GET /orders/open',
      ...(signal ? { signal } : {}),
    });
  }

  /** `GET /orders/closed`: `done`/`cancel` orders in a ≤ 7-day window. */
  getClosedOrders(query: ClosedOrdersQuery = {}, signal?: AbortSignal): Promise<VenueOrder[]> {
    return this.client.request({
      method: 'GET',
      path: '/orders/closed',
      group: 'default',
      auth: true,
      query: [
        ['market', query.market],
        ['states[]', query.states],
        ['start_time', query.startTime],
        ['end_time', query.endTime],
        ['limit', query.limit],
        ['order_by', query.orderBy],
      ],
      parse: (json) => parseOrderList(json),
      context: 'GET /orders/closed',
      ...(signal ? { signal } : {}),
    });
  }

  /** `DELETE /order`: asynchronous; the answer is the order as accepted for cancel (still `wait`). */
  cancelOrder(ref: OrderRef, signal?: AbortSignal): Promise<VenueOrder> {
    return this.client.request({
      method: 'DELETE',
      path: '/order',
      group: 'default',
      auth: true,
      query: refQuery(ref),
      parse: (json) => parseOrder(json),
      context: 'cancel order',
      ...(signal ? { signal } : {}),
    });
  }

  /** `DELETE /orders/uuids`: cancels up to 20 orders by uuid or identifier. */
  cancelOrders(refs: OrderRefs, signal?: AbortSignal): Promise<BatchCancelResult> {
    return this.client.request({
      method: 'DELETE',
      path: '/orders/uuids',
      group: 'default',
      auth: true,
      query: refsQuery(refs),
      parse: parseBatchCancel,
      context: 'cancel orders',
      ...(signal ? { signal } : {}),
    });
  }

  /** `DELETE /orders/open`: cancels open orders matching filters (emergency flatten; 1 call per 2 s). */
  cancelOpenOrders(query: CancelOpenQuery = {}, signal?: AbortSignal): Promise<BatchCancelResult> {
    return this.client.request({
      method: 'DELETE',
      path: '/orders/open',
      group: 'order-cancel-all',
      auth: true,
      query: [
        ['cancel_side', query.cancelSide],
        ['pairs', query.pairs?.join(',')],
        ['quote_currencies', query.quoteCurrencies?.join(',')],
        ['excluded_pairs', query.excludedPairs?.join(',')],
        ['count', query.count],
        ['order_by', query.orderBy],
      ],
      parse: parseBatchCancel,
      context: 'cancel open orders',
      ...(signal ? { signal } : {}),
    });
  }
}
