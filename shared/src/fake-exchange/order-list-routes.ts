import type { OrderSnapshot } from '../domain/exchange/exchange-order';
import { MS } from '../domain/time/epoch';
import type { FakeExchangeCore } from './exchange-core';
import { exchangeErrorReply, type QueryParams, type Route, type RouteReply } from './http-types';
import { orderJson } from './upbit-json';

function orderBy(q: QueryParams): 'asc' | 'desc' | undefined {
  const v = q.get('order_by') ?? 'desc';
  return v === 'asc' || v === 'desc' ? v : undefined;
}

function sortOrders(list: OrderSnapshot[], dir: 'asc' | 'desc'): OrderSnapshot[] {
  return list.sort((a, b) => (dir === 'asc' ? a.seq - b.seq : b.seq - a.seq));
}

function limitParam(q: QueryParams, key: string, def: number, max: number): number | undefined {
  const t = q.get(key);
  if (t === undefined) return def;
  const n = Number(t);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
}

/** Reads `start_time`/`end_time`: ISO 8601 with offset or epoch ms. */
function timeParam(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

const BAD = (what: string) =>
  exchangeErrorReply(400, 'validation_error', `${what} does not have a valid value`);

function idsFilter(q: QueryParams, max: number): { key: 'uuid' | 'identifier'; ids: string[] } | RouteReply {
  const uuids = q.all('uuids');
  const identifiers = q.all('identifiers');
  if (uuids.length > 0 && identifiers.length > 0) return BAD('uuids and identifiers together');
  if (uuids.length === 0 && identifiers.length === 0)
    return exchangeErrorReply(400, 'validation_error', 'uuids or identifiers is required');
  const ids = uuids.length > 0 ? uuids : identifiers;
  if (ids.length > max) return BAD(`more than ${max} ids`);
  return { key: uuids.length > 0 ? 'uuid' : 'identifier', ids };
}

function cancelMany(core: FakeExchangeCore, targets: readonly OrderSnapshot[]): RouteReply {
  const success: Record<string, unknown>[] = [];
  const failed: Record<string, unknown>[] = [];
  for (const o of targets) {
    const r = core.run((e, now) => e.cancelOrder({ uuid: o.uuid }, now));
    const row: Record<string, unknown> = { uuid: o.uuid, market: o.market };
    if (o.identifier !== undefined) row.identifier = o.identifier;
    (r.ok ? success : failed).push(row);
  }
  return {
    status: 200,
    body: {
      success: { count: success.length, orders: success },
      failed: { count: failed.length, orders: failed },
    },
  };
}

/** Order list and batch-cancel routes (PROTOCOL.md §5.2): uuids, open, closed. */
export function orderListRoutes(core: FakeExchangeCore): Route[] {
  const r = (
    method: Route['method'],
    path: RegExp,
    group: Route['group'],
    handle: Route['handle'],
  ): Route => ({
    method,
    path,
    group,
    kind: 'exchange',
    handle,
  });
  return [
    r('GET', /^\/orders\/uuids$/, 'default', ({ query }) => {
      const f = idsFilter(query, 100);
      if ('status' in f) return f;
      const dir = orderBy(query);
      if (dir === undefined) return BAD('order_by');
      const market = query.get('market');
      const wanted = new Set(f.ids);
      const list = core.engine.queryOrders(
        (o) =>
          wanted.has((f.key === 'uuid' ? o.uuid : o.identifier) ?? '') &&
          (market === undefined || o.market === market),
      );
      return { status: 200, body: sortOrders(list, dir).map((o) => orderJson(o, { executedFunds: true })) };
    }),
    r('GET', /^\/orders\/open$/, 'default', ({ query }) => {
      const states = query.all('states');
      const state = query.get('state');
      if (state !== undefined && states.length > 0) return BAD('state and states');
      const wanted = new Set(states.length > 0 ? states : [state ?? 'wait']);
      if ([...wanted].some((s) => s !== 'wait' && s !== 'watch')) return BAD('state');
      const dir = orderBy(query);
      const limit = limitParam(query, 'limit', 100, 100);
      const page = limitParam(query, 'page', 1, 1_000_000);
      if (dir === undefined || limit === undefined || page === undefined)
        return BAD('order_by, limit or page');
      const market = query.get('market');
      const list = sortOrders(
        core.engine.queryOrders((o) => wanted.has(o.state) && (market === undefined || o.market === market)),
        dir,
      );
      return {
        status: 200,
        body: list.slice((page - 1) * limit, page * limit).map((o) => orderJson(o, { executedFunds: true })),
      };
    }),
    r('GET', /^\/orders\/closed$/, 'default', ({ query, now }) => {
      const states = query.all('states');
      const state = query.get('state');
      if (state !== undefined && states.length > 0) return BAD('state and states');
      const wanted = new Set(states.length > 0 ? states : state !== undefined ? [state] : ['done', 'cancel']);
      if ([...wanted].some((s) => s !== 'done' && s !== 'cancel')) return BAD('state');
      const start = timeParam(query.get('start_time'));
      const end = timeParam(query.get('end_time'));
      if (start === null || end === null) return BAD('start_time or end_time');
      const week = 7 * MS.day;
      const from = start ?? (end !== undefined ? end - week : now - week);
      const to = end ?? (start !== undefined ? start + week : now);
      if (to - from > week || to < from) return BAD('time window (at most 7 days)');
      const dir = orderBy(query);
      const limit = limitParam(query, 'limit', 100, 1000);
      if (dir === undefined || limit === undefined) return BAD('order_by or limit');
      const market = query.get('market');
      const list = core.engine.queryOrders(
        (o) =>
          wanted.has(o.state) &&
          (market === undefined || o.market === market) &&
          o.createdAt >= from &&
          o.createdAt <= to,
      );
      return {
        status: 200,
        body: sortOrders(list, dir)
          .slice(0, limit)
          .map((o) => orderJson(o, { executedFunds: true })),
      };
    }),
    r('DELETE', /^\/orders\/uuids$/, 'default', ({ query }) => {
      const f = idsFilter(query, 20);
      if ('status' in f) return f;
      const targets: OrderSnapshot[] = [];
      const failed: OrderSnapshot[] = [];
      for (const id of f.ids) {
        const o = core.engine.getOrder(f.key === 'uuid' ? { uuid: id } : { identifier: id });
        if (o !== undefined) (o.state === 'wait' ? targets : failed).push(o);
      }
      const reply = cancelMany(core, targets);
      const body = reply.body as { failed: { count: number; orders: Record<string, unknown>[] } };
      for (const o of failed)
        body.failed.orders.push({
          uuid: o.uuid,
          market: o.market,
          ...(o.identifier === undefined ? {} : { identifier: o.identifier }),
        });
      body.failed.count = body.failed.orders.length;
      return reply;
    }),
    r('DELETE', /^\/orders\/open$/, 'order-cancel-all', ({ query }) => {
      const side = query.get('cancel_side') ?? 'all';
      if (side !== 'all' && side !== 'bid' && side !== 'ask') return BAD('cancel_side');
      const pairs = query.get('pairs')?.split(',');
      const quotes = query.get('quote_currencies')?.split(',');
      if (pairs !== undefined && quotes !== undefined) return BAD('pairs and quote_currencies');
      const excluded = new Set((query.get('excluded_pairs') ?? query.get('exclude_pairs'))?.split(',') ?? []);
      const count = limitParam(query, 'count', 20, 300);
      const dir = orderBy(query);
      if (count === undefined || dir === undefined) return BAD('count or order_by');
      const list = sortOrders(
        core.engine.queryOrders(
          (o) =>
            o.state === 'wait' &&
            (side === 'all' || o.side === side) &&
            (pairs === undefined || pairs.includes(o.market)) &&
            (quotes === undefined || quotes.includes('KRW')) &&
            !excluded.has(o.market),
        ),
        dir,
      ).slice(0, count);
      return cancelMany(core, list);
    }),
  ];
}
