import type { Candle, OrderbookSnapshot, Ticker, Trade } from '../../../domain/market/market-data';
import type { Market } from '../../../domain/market/market-id';
import type { Timeframe } from '../../../domain/market/timeframe';
import type { QueryParams } from '../auth/query-string';
import {
  type OrderbookInstrument,
  parseCandles,
  parseInstruments,
  parseMarkets,
  parseOrderbooks,
  parseTickers,
  parseTrades,
  type UpbitMarketInfo,
} from './quotation-parsers';
import type { UpbitRestClient } from './upbit-rest-client';

const CANDLE_PATHS: Readonly<Record<Timeframe, string>> = {
  '1s': '/candles/seconds',
  '1m': '/candles/minutes/1',
  '3m': '/candles/minutes/3',
  '5m': '/candles/minutes/5',
  '15m': '/candles/minutes/15',
  '60m': '/candles/minutes/60',
  '240m': '/candles/minutes/240',
  '1d': '/candles/days',
};

/**
 * Upbit's `to` in UTC with a zone (`2025-06-24T04:56:53Z`). Rounded up to the second: `to` is
 * exclusive and second-resolution, so rounding down could drop the candle that starts at that second.
 */
export function formatCandleTo(to: number): string {
  const seconds = Math.ceil(to / 1000) * 1000;
  return `${new Date(seconds).toISOString().slice(0, 19)}Z`;
}

/** Upbit Quotation (public) endpoints (PROTOCOL.md §5.1); no keys needed, limits per IP. */
export class UpbitQuotationApi {
  constructor(private readonly client: UpbitRestClient) {}

  /** `GET /market/all`; `details` adds the warning flag. */
  getMarkets(details = false, signal?: AbortSignal): Promise<UpbitMarketInfo[]> {
    return this.client.request({
      method: 'GET',
      path: '/market/all',
      group: 'market',
      auth: false,
      query: [['is_details', details ? true : undefined]],
      parse: parseMarkets,
      context: 'GET /market/all',
      ...(signal ? { signal } : {}),
    });
  }

  /** One page (1–200) of candles, newest first as Upbit sends them. */
  getCandles(
    market: Market,
    timeframe: Timeframe,
    count: number,
    to?: number,
    signal?: AbortSignal,
  ): Promise<Candle[]> {
    if (!Number.isInteger(count) || count < 1 || count > 200)
      throw new RangeError(`candle count must be 1–200 (Upbit's page size), got ${count}`);
    const query: QueryParams = [
      ['market', market],
      ['to', to === undefined ? undefined : formatCandleTo(to)],
      ['count', count],
    ];
    return this.client.request({
      method: 'GET',
      path: CANDLE_PATHS[timeframe],
      group: 'candle',
      auth: false,
      query,
      parse: (json) => parseCandles(json, timeframe),
      context: `GET ${CANDLE_PATHS[timeframe]}`,
      ...(signal ? { signal } : {}),
    });
  }

  /** `GET /trades/ticks`, newest first; `cursor` is a `sequential_id` to page back from. */
  getTrades(market: Market, count: number, cursor?: string, signal?: AbortSignal): Promise<Trade[]> {
    if (!Number.isInteger(count) || count < 1 || count > 500)
      throw new RangeError(`trade count must be 1–500, got ${count}`);
    return this.client.request({
      method: 'GET',
      path: '/trades/ticks',
      group: 'trade',
      auth: false,
      query: [
        ['market', market],
        ['count', count],
        ['cursor', cursor],
      ],
      parse: parseTrades,
      context: 'GET /trades/ticks',
      ...(signal ? { signal } : {}),
    });
  }

  /** `GET /ticker` for a comma list of markets. */
  getTickers(markets: readonly Market[], signal?: AbortSignal): Promise<Ticker[]> {
    return this.client.request({
      method: 'GET',
      path: '/ticker',
      group: 'ticker',
      auth: false,
      query: [['markets', markets.join(',')]],
      parse: parseTickers,
      context: 'GET /ticker',
      ...(signal ? { signal } : {}),
    });
  }

  /** `GET /orderbook`: whole books (≤ 30 levels) for several markets. */
  getOrderbooks(
    markets: readonly Market[],
    count?: number,
    signal?: AbortSignal,
  ): Promise<OrderbookSnapshot[]> {
    return this.client.request({
      method: 'GET',
      path: '/orderbook',
      group: 'orderbook',
      auth: false,
      query: [
        ['markets', markets.join(',')],
        ['count', count],
      ],
      parse: parseOrderbooks,
      context: 'GET /orderbook',
      ...(signal ? { signal } : {}),
    });
  }

  /** `GET /orderbook/instruments`: the authoritative tick size per market. */
  getInstruments(markets: readonly Market[], signal?: AbortSignal): Promise<OrderbookInstrument[]> {
    return this.client.request({
      method: 'GET',
      path: '/orderbook/instruments',
      group: 'orderbook',
      auth: false,
      query: [['markets', markets.join(',')]],
      parse: parseInstruments,
      context: 'GET /orderbook/instruments',
      ...(signal ? { signal } : {}),
    });
  }
}
