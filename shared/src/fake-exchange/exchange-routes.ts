import type { OrderSnapshot } from '../domain/exchange/exchange-order';
import { echo } from '../domain/exchange/order-intake';
import type { OrderLookup } from '../domain/exchange/order-registry';
import { baseCurrency, type Market } from '../domain/market/market-id';
import { formatDecimal } from '../domain/money/decimal';
import type { FakeExchangeCore } from './exchange-core';
import { exchangeErrorReply, QueryParams, type Route, type RouteReply } from './http-types';
import { orderListRoutes } from './order-list-routes';
import { accountJson, orderJson } from './upbit-json';

const MISSING_ID = exchangeErrorReply(400, 'validation_error', 'uuid or identifier is required');

/** Reads `uuid` / `identifier` (uuid wins when both are given, as on Upbit). */
export function lookupFrom(
  q: QueryParams | Readonly<Record<string, unknown>>,
  uuidKey = 'uuid',
  idKey = 'identifier',
): OrderLookup | undefined {
  const get = (k: string) => {
    const v = q instanceof QueryParams ? q.get(k) : q[k];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const uuid = get(uuidKey);
  const identifier = get(idKey);
  if (uuid !== undefined) return { uuid };
  if (identifier !== undefined) return { identifier };
  return undefined;
}

function accountRow(core: FakeExchangeCore, currency: string) {
  return accountJson(core.engine.ledger.account(currency));
}

/** The Exchange (private) REST routes: accounts, chance, placing, reading and cancelling orders. */
export function exchangeRoutes(core: FakeExchangeCore): Route[] {
  const r = (
    method: Route['method'],
    path: RegExp,
    group: Route['group'],
    handle: Route['handle'],
    placesOrder = false,
  ): Route => ({ method, path, group, kind: 'exchange', placesOrder, handle });
  return [
    r('GET', /^\/accounts$/, 'default', () => ({
      status: 200,
      body: core.engine.ledger.list().map(accountJson),
    })),
    r('GET', /^\/orders\/chance$/, 'default', ({ query }) => {
      const market = query.get('market');
      if (market === undefined) return exchangeErrorReply(400, 'validation_error', 'market is missing');
      if (!core.engine.isListed(market))
        return exchangeErrorReply(400, 'notfoundmarket', `다음 마켓에 없는 종목입니다: ${echo(market)}`);
      const fee = formatDecimal(core.engine.rules.takerFee);
      const maker = formatDecimal(core.engine.rules.makerFee);
      const base = baseCurrency(market as Market);
      return {
        status: 200,
        body: {
          bid_fee: fee,
          ask_fee: fee,
          maker_bid_fee: maker,
          maker_ask_fee: maker,
          market: {
            id: market,
            name: `${base}/KRW`,
            order_types: ['limit'],
            order_sides: ['ask', 'bid'],
            bid_types: ['best_fok', 'best_ioc', 'limit', 'limit_fok', 'limit_ioc', 'price'],
            ask_types: ['best_fok', 'best_ioc', 'limit', 'limit_fok', 'limit_ioc', 'market'],
            bid: { currency: 'KRW', min_total: formatDecimal(core.engine.rules.minTotal) },
            ask: { currency: base, min_total: formatDecimal(core.engine.rules.minTotal) },
            max_total: formatDecimal(core.engine.rules.maxTotal),
            state: 'active',
          },
          bid_account: accountRow(core, 'KRW'),
          ask_account: accountRow(core, base),
        },
      };
    }),
    r('POST', /^\/orders$/, 'order', ({ body }) => place(core, body ?? {}, false), true),
    r('POST', /^\/orders\/test$/, 'order-test', ({ body }) => place(core, body ?? {}, true)),
    r('GET', /^\/order$/, 'default', ({ query }) => {
      const ref = lookupFrom(query);
      if (ref === undefined) return MISSING_ID;
      const o = core.engine.getOrder(ref);
      if (o === undefined) return exchangeErrorReply(404, 'order_not_found', '주문을 찾지 못했습니다.');
      return { status: 200, body: orderJson(o, { trades: true }) };
    }),
    r('DELETE', /^\/order$/, 'default', ({ query }) => {
      const ref = lookupFrom(query);
      if (ref === undefined) return MISSING_ID;
      const result = core.run((e, now) => e.cancelOrder(ref, now));
      if (!result.ok) return exchangeErrorReply(result.error.status, result.error.name, result.error.message);
      return { status: 200, body: orderJson(result.order) };
    }),
    r('POST', /^\/orders\/cancel_and_new$/, 'order', ({ body }) => cancelAndNew(core, body ?? {}), true),
    ...orderListRoutes(core),
  ];
}

function place(core: FakeExchangeCore, body: Readonly<Record<string, unknown>>, dryRun: boolean): RouteReply {
  const result = core.run((e, now) => e.placeOrder(body, now, dryRun));
  if (!result.ok) return exchangeErrorReply(result.error.status, result.error.name, result.error.message);
  return { status: 201, body: orderJson(result.accepted) };
}

/**
 * POST /orders/cancel_and_new (PROTOCOL.md §5.2): the new order (same market and side) is validated in
 * full — fields, `new_identifier` reuse, funds counting what the cancel frees — before the old order is
 * touched, so a refused request leaves it open; then the old order is cancelled and the new one placed.
 * An old order that is no longer open answers `order_not_found`.
 */
function cancelAndNew(core: FakeExchangeCore, body: Readonly<Record<string, unknown>>): RouteReply {
  const ref = lookupFrom(body, 'prev_order_uuid', 'prev_order_identifier');
  if (ref === undefined)
    return exchangeErrorReply(
      400,
      'validation_error',
      'prev_order_uuid or prev_order_identifier is required',
    );
  const old = core.engine.getOrder(ref);
  if (old === undefined || (old.state !== 'wait' && old.state !== 'watch'))
    return exchangeErrorReply(404, 'order_not_found', '주문을 찾지 못했습니다.');
  const built = newOrderBody(old, body);
  if (!built.ok) return built.reply;
  const result = core.run((e, now) => e.cancelAndReplace(ref, built.body, now));
  if (!result.ok) return exchangeErrorReply(result.error.status, result.error.name, result.error.message);
  const reply: Record<string, unknown> = orderJson(result.cancelled);
  if (result.placed.ok) {
    reply.new_order_uuid = result.placed.accepted.uuid;
    if (result.placed.accepted.identifier !== undefined)
      reply.new_order_identifier = result.placed.accepted.identifier;
  }
  return { status: 201, body: reply };
}

function newOrderBody(
  old: OrderSnapshot,
  body: Readonly<Record<string, unknown>>,
): { ok: true; body: Record<string, unknown> } | { ok: false; reply: RouteReply } {
  const ordType = body.new_ord_type;
  if (typeof ordType !== 'string')
    return { ok: false, reply: exchangeErrorReply(400, 'validation_error', 'new_ord_type is missing') };
  const out: Record<string, unknown> = { market: old.market, side: old.side, ord_type: ordType };
  let v = body.new_volume;
  if (v === 'remain_only')
    v = old.remainingVolume === undefined ? undefined : formatDecimal(old.remainingVolume);
  if (v !== undefined && v !== null) out.volume = v;
  if (body.new_price !== undefined && body.new_price !== null) out.price = body.new_price;
  if (typeof body.new_time_in_force === 'string') out.time_in_force = body.new_time_in_force;
  if (typeof body.new_smp_type === 'string') out.smp_type = body.new_smp_type;
  if (typeof body.new_identifier === 'string') out.identifier = body.new_identifier;
  return { ok: true, body: out };
}
