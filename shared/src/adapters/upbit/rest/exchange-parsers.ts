import { parseMarket } from '../../../domain/market/market-id';
import { type Decimal, ZERO } from '../../../domain/money/decimal';
import { type Krw, krw, price, volume } from '../../../domain/money/quantities';
import type { OrderSide, OrderState, OrdType, TimeInForce } from '../../../domain/orders/order-types';
import type { Balance, VenueOrder, VenueTrade } from '../../../ports/trading-venue';
import {
  asArray,
  asObject,
  dec,
  int,
  isoTime,
  type JsonObject,
  num,
  oneOf,
  optDec,
  optStr,
  str,
  UpbitPayloadError,
} from './json-fields';

const SIDES: ReadonlySet<string> = new Set(['bid', 'ask']);
const ORD_TYPES: ReadonlySet<string> = new Set(['limit', 'price', 'market', 'best']);
const STATES: ReadonlySet<string> = new Set(['wait', 'watch', 'done', 'cancel']);
const TIFS: ReadonlySet<string> = new Set(['ioc', 'fok', 'post_only']);

function market(o: JsonObject, key: string, path: string) {
  const text = str(o, key, path);
  try {
    return parseMarket(text);
  } catch (error) {
    throw new UpbitPayloadError(`${path}.${key}: ${(error as Error).message}`);
  }
}

function parseTrade(value: unknown, path: string): VenueTrade {
  const o = asObject(value, path);
  const p = price(dec(o, 'price', path));
  const v = volume(dec(o, 'volume', path));
  return {
    uuid: str(o, 'uuid', path),
    price: p,
    volume: v,
    funds: krw(optDec(o, 'funds', path) ?? p.times(v)),
    side: oneOf<OrderSide>(o, 'side', SIDES, path),
    createdAt: isoTime(o, 'created_at', path),
  };
}

/**
 * Parses Upbit's order object (PROTOCOL.md §5.3) to exact decimals. Market buys have no `volume`;
 * `trades_count` may arrive as a string (ccxt's sample); `trades` only comes from GET /order.
 */
export function parseOrder(value: unknown, path = 'order'): VenueOrder {
  const o = asObject(value, path);
  const ordType = oneOf<OrdType>(o, 'ord_type', ORD_TYPES, path);
  const p = optDec(o, 'price', path);
  const v = optDec(o, 'volume', path);
  const rv = optDec(o, 'remaining_volume', path);
  const ef = optDec(o, 'executed_funds', path);
  const identifier = optStr(o, 'identifier', path);
  const tif =
    o.time_in_force === undefined || o.time_in_force === null
      ? undefined
      : oneOf<TimeInForce>(o, 'time_in_force', TIFS, path);
  const tradesValue = o.trades;
  const trades =
    tradesValue === undefined || tradesValue === null
      ? undefined
      : asArray(tradesValue, `${path}.trades`).map((t, i) => parseTrade(t, `${path}.trades[${i}]`));
  return {
    uuid: str(o, 'uuid', path),
    ...(identifier === undefined ? {} : { identifier }),
    market: market(o, 'market', path),
    side: oneOf<OrderSide>(o, 'side', SIDES, path),
    ordType,
    state: oneOf<OrderState>(o, 'state', STATES, path),
    ...(p === undefined ? {} : { price: price(p) }),
    ...(v === undefined ? {} : { volume: volume(v) }),
    ...(rv === undefined ? {} : { remainingVolume: volume(rv) }),
    executedVolume: volume(optDec(o, 'executed_volume', path) ?? ZERO),
    ...(ef === undefined ? {} : { executedFunds: krw(ef) }),
    reservedFee: krw(optDec(o, 'reserved_fee', path) ?? ZERO),
    remainingFee: krw(optDec(o, 'remaining_fee', path) ?? ZERO),
    paidFee: krw(optDec(o, 'paid_fee', path) ?? ZERO),
    locked: optDec(o, 'locked', path) ?? ZERO,
    ...(tif === undefined ? {} : { timeInForce: tif }),
    tradesCount: o.trades_count === undefined ? 0 : int(o, 'trades_count', path),
    createdAt: isoTime(o, 'created_at', path),
    ...(trades === undefined ? {} : { trades }),
  };
}

/** Parses a list of order objects (open/closed/by-uuids). */
export function parseOrderList(value: unknown, path = 'orders'): VenueOrder[] {
  return asArray(value, path).map((o, i) => parseOrder(o, `${path}[${i}]`));
}

/** Parses one `/accounts` row. */
export function parseBalance(value: unknown, path = 'account'): Balance {
  const o = asObject(value, path);
  return {
    currency: str(o, 'currency', path),
    balance: dec(o, 'balance', path),
    locked: dec(o, 'locked', path),
    avgBuyPrice: optDec(o, 'avg_buy_price', path) ?? ZERO,
  };
}

/** Parses `GET /accounts`. */
export function parseAccounts(value: unknown): Balance[] {
  return asArray(value, 'accounts').map((a, i) => parseBalance(a, `accounts[${i}]`));
}

/** What `GET /orders/chance` says about one market: fees, limits, allowed types and both accounts. */
export interface OrderChance {
  readonly market: string;
  readonly bidFee: Decimal;
  readonly askFee: Decimal;
  readonly makerBidFee: Decimal;
  readonly makerAskFee: Decimal;
  readonly bidTypes: readonly string[];
  readonly askTypes: readonly string[];
  readonly minTotalBid: Krw;
  readonly minTotalAsk: Krw;
  readonly maxTotal: Krw;
  readonly state: string;
  readonly bidAccount: Balance;
  readonly askAccount: Balance;
}

function stringList(o: JsonObject, key: string, path: string): string[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  return asArray(v, `${path}.${key}`).map((x, i) => {
    if (typeof x !== 'string') throw new UpbitPayloadError(`${path}.${key}[${i}]: expected a string`);
    return x;
  });
}

/**
 * Parses `GET /orders/chance`. Fees are read here at runtime because promotions change them
 * (PROTOCOL.md §6.1); `min_total` was a number in older responses and a string now.
 */
export function parseOrderChance(value: unknown): OrderChance {
  const o = asObject(value, 'chance');
  const m = asObject(o.market, 'chance.market');
  const bid = asObject(m.bid, 'chance.market.bid');
  const ask = asObject(m.ask, 'chance.market.ask');
  const bidFee = dec(o, 'bid_fee', 'chance');
  const askFee = dec(o, 'ask_fee', 'chance');
  return {
    market: str(m, 'id', 'chance.market'),
    bidFee,
    askFee,
    makerBidFee: optDec(o, 'maker_bid_fee', 'chance') ?? bidFee,
    makerAskFee: optDec(o, 'maker_ask_fee', 'chance') ?? askFee,
    bidTypes: stringList(m, 'bid_types', 'chance.market'),
    askTypes: stringList(m, 'ask_types', 'chance.market'),
    minTotalBid: krw(dec(bid, 'min_total', 'chance.market.bid')),
    minTotalAsk: krw(dec(ask, 'min_total', 'chance.market.ask')),
    maxTotal: krw(dec(m, 'max_total', 'chance.market')),
    state: str(m, 'state', 'chance.market'),
    bidAccount: parseBalance(o.bid_account, 'chance.bid_account'),
    askAccount: parseBalance(o.ask_account, 'chance.ask_account'),
  };
}

/** One order named in a batch-cancel answer. */
export interface CancelledRef {
  readonly uuid: string;
  readonly market: string;
  readonly identifier?: string;
}

/** Result of `DELETE /orders/uuids` or `/orders/open`: what was cancelled and what could not be. */
export interface BatchCancelResult {
  readonly success: readonly CancelledRef[];
  readonly failed: readonly CancelledRef[];
}

function refs(value: unknown, path: string): CancelledRef[] {
  if (value === undefined || value === null) return [];
  const o = asObject(value, path);
  const count = num(o, 'count', path);
  const orders = asArray(o.orders ?? [], `${path}.orders`).map((r, i) => {
    const x = asObject(r, `${path}.orders[${i}]`);
    const identifier = optStr(x, 'identifier', path);
    return {
      uuid: str(x, 'uuid', `${path}.orders[${i}]`),
      market: str(x, 'market', `${path}.orders[${i}]`),
      ...(identifier === undefined ? {} : { identifier }),
    };
  });
  if (count !== orders.length && orders.length > 0 && count < orders.length)
    throw new UpbitPayloadError(`${path}.count ${count} disagrees with ${orders.length} orders`);
  return orders;
}

/** Parses a batch-cancel answer (`{"success":{count,orders},"failed":{count,orders}}`). */
export function parseBatchCancel(value: unknown): BatchCancelResult {
  const o = asObject(value, 'cancel');
  return { success: refs(o.success, 'cancel.success'), failed: refs(o.failed, 'cancel.failed') };
}
