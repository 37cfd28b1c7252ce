import { CANDLE_UNITS, type CandleUnit } from '../domain/exchange/market-tape';
import { type CandlePeriod, periodCandles } from '../domain/exchange/period-candles';
import { Decimal } from '../domain/money/decimal';
import type { FakeExchangeCore } from './exchange-core';
import {
  QUOTATION_MESSAGES as M,
  type QueryParams,
  quotationError,
  type Route,
  type RouteReply,
} from './http-types';
import {
  candleJson,
  orderbookUnits,
  periodCandleJson,
  tickerJson,
  totalSize,
  tradeTickJson,
} from './upbit-json';

const NAMES: Readonly<Record<string, readonly [string, string]>> = {
  BTC: ['비트코인', 'Bitcoin'],
  ETH: ['이더리움', 'Ethereum'],
  XRP: ['엑스알피(리플)', 'XRP'],
  ADA: ['에이다', 'Cardano'],
  SOL: ['솔라나', 'Solana'],
  DOGE: ['도지코인', 'Dogecoin'],
};

function intParam(q: QueryParams, key: string, def: number, max: number): number | RouteReply {
  const text = q.get(key);
  if (text === undefined) return def;
  if (!/^\d+$/.test(text)) return quotationError(400, M.type);
  const n = Number(text);
  if (n < 1 || n > max) return quotationError(400, M.invalid);
  return n;
}

/** Parses Upbit's candle `to`: ISO with zone, or `yyyy-MM-dd[T ]HH:mm:ss` read as UTC. */
export function parseCandleTo(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (m === null) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ''}${m[4] ?? 'Z'}`);
  return Number.isNaN(ms) ? undefined : ms;
}

function marketsParam(core: FakeExchangeCore, q: QueryParams, key: string): string[] | RouteReply {
  const text = q.get(key);
  if (text === undefined || text === '') return quotationError(400, M.missing);
  const markets = text.split(',').map((s) => s.trim().toUpperCase());
  if (markets.some((m) => !core.engine.isListed(m))) return quotationError(404, M.notFound);
  return markets;
}

/** The market, count and `to` every candle route takes, or the Quotation error to answer. */
function candleQuery(
  core: FakeExchangeCore,
  q: QueryParams,
): { market: string; count: number; to: number | undefined } | RouteReply {
  const market = q.get('market')?.toUpperCase();
  if (market === undefined) return quotationError(400, M.missing);
  if (!core.tapes.has(market)) return quotationError(404, M.notFound);
  const count = intParam(q, 'count', 1, 200);
  if (typeof count !== 'number') return count;
  const toText = q.get('to');
  const to = toText === undefined || toText === '' ? undefined : parseCandleTo(toText);
  if (toText !== undefined && toText !== '' && to === undefined) return quotationError(400, M.invalid);
  return { market, count, to };
}

function candles(core: FakeExchangeCore, q: QueryParams, unit: CandleUnit | undefined): RouteReply {
  if (unit === undefined) return quotationError(400, M.invalid);
  const c = candleQuery(core, q);
  if ('status' in c) return c;
  const tape = core.tapes.get(c.market);
  const list = tape?.candlesBefore(unit, c.count, c.to) ?? [];
  return { status: 200, body: list.map((candle) => candleJson(c.market, unit, candle)) };
}

/** `/candles/weeks|months|years`: merged from the day candles (UTC days; weeks start on Monday). */
function periods(core: FakeExchangeCore, q: QueryParams, period: CandlePeriod): RouteReply {
  const c = candleQuery(core, q);
  if ('status' in c) return c;
  const days = [...(core.tapes.get(c.market)?.candlesBefore('1d', Number.MAX_SAFE_INTEGER) ?? [])].reverse();
  return {
    status: 200,
    body: periodCandles(days, period, c.count, c.to).map((p) => periodCandleJson(c.market, p)),
  };
}

/** The Quotation (public) REST routes: markets, candles, trades, ticker, orderbook, instruments. */
export function quotationRoutes(core: FakeExchangeCore): Route[] {
  const q = (method: 'GET', path: RegExp, group: Route['group'], handle: Route['handle']): Route => ({
    method,
    path,
    group,
    kind: 'quotation',
    handle,
  });
  return [
    q('GET', /^\/market\/all$/, 'market', ({ query }) => {
      const details = query.get('is_details') === 'true';
      return {
        status: 200,
        body: core.engine.markets().map((m) => {
          const [ko, en] = NAMES[m.slice(4)] ?? [m.slice(4), m.slice(4)];
          const row: Record<string, unknown> = { market: m, korean_name: ko, english_name: en };
          if (details)
            row.market_event = {
              warning: false,
              caution: {
                PRICE_FLUCTUATIONS: false,
                TRADING_VOLUME_SOARING: false,
                DEPOSIT_AMOUNT_SOARING: false,
                GLOBAL_PRICE_DIFFERENCES: false,
                CONCENTRATION_OF_SMALL_ACCOUNTS: false,
              },
            };
          return row;
        }),
      };
    }),
    q('GET', /^\/candles\/seconds$/, 'candle', ({ query }) => candles(core, query, '1s')),
    q('GET', /^\/candles\/minutes\/(\d+)$/, 'candle', ({ query, pathParams }) => {
      const unit = `${pathParams[0]}m`;
      return candles(
        core,
        query,
        unit !== '1dm' && Object.hasOwn(CANDLE_UNITS, unit) ? (unit as CandleUnit) : undefined,
      );
    }),
    q('GET', /^\/candles\/days$/, 'candle', ({ query }) => candles(core, query, '1d')),
    q('GET', /^\/candles\/weeks$/, 'candle', ({ query }) => periods(core, query, 'week')),
    q('GET', /^\/candles\/months$/, 'candle', ({ query }) => periods(core, query, 'month')),
    q('GET', /^\/candles\/years$/, 'candle', ({ query }) => periods(core, query, 'year')),
    q('GET', /^\/trades\/ticks$/, 'trade', ({ query }) => {
      const market = query.get('market')?.toUpperCase();
      if (market === undefined) return quotationError(400, M.missing);
      const tape = core.tapes.get(market);
      if (tape === undefined) return quotationError(404, M.notFound);
      const count = intParam(query, 'count', 1, 500);
      if (typeof count !== 'number') return count;
      const cursorText = query.get('cursor');
      const cursor = cursorText === undefined ? undefined : Number(cursorText);
      if (cursor !== undefined && !Number.isFinite(cursor)) return quotationError(400, M.type);
      return { status: 200, body: tape.recentTrades(count, cursor).map((t) => tradeTickJson(market, t)) };
    }),
    q('GET', /^\/ticker$/, 'ticker', ({ query, now }) => {
      const markets = marketsParam(core, query, 'markets');
      if (!Array.isArray(markets)) return markets;
      return { status: 200, body: tickers(core, markets, now) };
    }),
    q('GET', /^\/ticker\/all$/, 'ticker', ({ query, now }) => {
      const quotes = (query.get('quote_currencies') ?? 'KRW').split(',');
      const markets = quotes.includes('KRW') ? core.engine.markets() : [];
      return { status: 200, body: tickers(core, markets, now) };
    }),
    q('GET', /^\/orderbook$/, 'orderbook', ({ query }) => {
      const markets = marketsParam(core, query, 'markets');
      if (!Array.isArray(markets)) return markets;
      const level = query.get('level') ?? '0';
      if (Number(level) !== 0) return { status: 200, body: [] }; // only level 0 is supported by the fake
      const countText = query.get('count');
      const count = countText === undefined ? 30 : Math.min(30, Math.max(1, Number(countText) || 30));
      return { status: 200, body: markets.map((m) => orderbookJson(core, m, count)) };
    }),
    q('GET', /^\/orderbook\/instruments$/, 'orderbook', ({ query, now }) => {
      const markets = marketsParam(core, query, 'markets');
      if (!Array.isArray(markets)) return markets;
      return {
        status: 200,
        body: markets.map((m) => ({
          market: m,
          quote_currency: 'KRW',
          tick_size: core.engine.tickFor(m as never, referencePrice(core, m), now).toFixed(),
          supported_levels: ['0'],
        })),
      };
    }),
  ];
}

function tickers(core: FakeExchangeCore, markets: readonly string[], now: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const m of markets) {
    const t = core.tapes.get(m)?.ticker(now);
    if (t !== undefined) out.push(tickerJson(m, t, now));
  }
  return out;
}

/** REST orderbook object of a market. */
export function orderbookJson(
  core: FakeExchangeCore,
  market: string,
  depth: number,
): Record<string, unknown> {
  const book = core.engine.book(market);
  const asks = book?.visible('ask', depth) ?? [];
  const bids = book?.visible('bid', depth) ?? [];
  return {
    market,
    timestamp: book?.updatedAt ?? 0,
    total_ask_size: totalSize(asks),
    total_bid_size: totalSize(bids),
    orderbook_units: orderbookUnits(asks, bids),
    level: 0,
  };
}

/** Price that picks the tick band of a market: last trade, else best bid/ask, else 0. */
export function referencePrice(core: FakeExchangeCore, market: string): Decimal {
  const last = core.tapes.get(market)?.lastTrade()?.price;
  if (last !== undefined) return new Decimal(String(last));
  const book = core.engine.book(market);
  return book?.best('bid') ?? book?.best('ask') ?? new Decimal(0);
}
