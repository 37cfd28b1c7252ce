import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import { UpbitAuthenticator, type UpbitCredentials } from './auth/upbit-jwt';
import type { HttpTransport } from './rest/http-transport';
import { UpbitExchangeApi } from './rest/upbit-exchange-api';
import { UpbitQuotationApi } from './rest/upbit-quotation-api';
import { UpbitRestClient } from './rest/upbit-rest-client';
import { UpbitMarketDataSource } from './upbit-market-data-source';
import { UpbitTradingVenue, type UpbitTradingVenueOptions } from './upbit-trading-venue';
import { UpbitMarketDataStream } from './ws/upbit-market-data-stream';

/** The three endpoints the client talks to, fully qualified. */
export interface UpbitUrls {
  /** REST base including `/v1`. */
  readonly rest: string;
  /** Public WebSocket, `…/websocket/v1`. */
  readonly publicWs: string;
  /** Private WebSocket, `…/websocket/v1/private`. */
  readonly privateWs: string;
}

function withDefaultPath(url: string, defaultPath: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`${what} "${url}" is not a URL (e.g. https://api.upbit.com/v1)`);
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  parsed.pathname = path === '' ? defaultPath : path;
  return parsed.toString().replace(/\/+$/, '');
}

/**
 * Resolves `UPBIT_REST_URL` / `UPBIT_WS_URL` as operators write them: a bare origin
 * (`http://127.0.0.1:7070`, handy for the sim) gets Upbit's paths `/v1` and `/websocket/v1`; a URL
 * with a path (`https://api.upbit.com/v1`) is used as given. The private socket is always the public
 * path plus `/private`, as on Upbit.
 */
export function resolveUpbitUrls(restUrl: string, wsUrl: string): UpbitUrls {
  const publicWs = withDefaultPath(wsUrl, '/websocket/v1', 'UPBIT_WS_URL').replace(/\/private$/, '');
  return {
    rest: withDefaultPath(restUrl, '/v1', 'UPBIT_REST_URL'),
    publicWs,
    privateWs: `${publicWs}/private`,
  };
}

/** What a composition root passes in (it reads the environment; the adapters never do). */
export interface UpbitAdaptersOptions {
  readonly restUrl: string;
  readonly wsUrl: string;
  /** Without keys only market data (REST and public WebSocket) is available. */
  readonly credentials?: UpbitCredentials;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Per-call REST timeout; default 5,000 ms. */
  readonly timeoutMs?: number;
  readonly transport?: HttpTransport;
  readonly venue?: Partial<Omit<UpbitTradingVenueOptions, 'api' | 'clock' | 'logger'>>;
  /** True only against the fake exchange, whose trade ids step by one per market (see the stream). */
  readonly denseTradeIds?: boolean;
}

/** The Upbit adapters of one process, sharing one REST client and hence one rate limiter. */
export interface UpbitAdapters {
  readonly urls: UpbitUrls;
  readonly client: UpbitRestClient;
  readonly quotation: UpbitQuotationApi;
  readonly marketData: UpbitMarketDataSource;
  /** Present when keys were given. */
  readonly exchange?: UpbitExchangeApi;
  readonly venue?: UpbitTradingVenue;
  /** Public streams always; myOrder/myAsset only with keys. Resyncs through the same REST client. */
  readonly stream: UpbitMarketDataStream;
}

/**
 * Wires the Upbit REST client, venue, market-data source and stream together the one right way: a
 * single rate limiter per process (Upbit counts per IP and per account, so two limiters would
 * overspend; WebSocket connection attempts and 418 bans included), the private stream signed with the
 * same keys, and REST resync after WebSocket gaps and skipped trades.
 */
export function createUpbitAdapters(options: UpbitAdaptersOptions): UpbitAdapters {
  const urls = resolveUpbitUrls(options.restUrl, options.wsUrl);
  const { clock, logger } = options;
  const authenticator =
    options.credentials === undefined ? undefined : new UpbitAuthenticator(options.credentials);
  const client = new UpbitRestClient({
    baseUrl: urls.rest,
    clock,
    ...(authenticator === undefined ? {} : { authenticator }),
    ...(logger === undefined ? {} : { logger }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.transport === undefined ? {} : { transport: options.transport }),
  });
  const quotation = new UpbitQuotationApi(client);
  const marketData = new UpbitMarketDataSource(quotation);
  const exchange = authenticator === undefined ? undefined : new UpbitExchangeApi(client);
  const venue =
    exchange === undefined
      ? undefined
      : new UpbitTradingVenue({
          api: exchange,
          clock,
          ...(logger === undefined ? {} : { logger }),
          ...options.venue,
        });
  const stream = new UpbitMarketDataStream({
    publicUrl: urls.publicWs,
    privateUrl: urls.privateWs,
    clock,
    marketData,
    // Connection attempts share the REST limiter: Upbit counts and bans them per IP together.
    limiter: client.limiter,
    tradeHistory: (market, count, cursor) => quotation.getTrades(market, count, cursor),
    ...(options.denseTradeIds === undefined ? {} : { denseTradeIds: options.denseTradeIds }),
    ...(authenticator === undefined ? {} : { authenticator }),
    ...(venue === undefined ? {} : { venue }),
    ...(logger === undefined ? {} : { logger }),
  });
  return {
    urls,
    client,
    quotation,
    marketData,
    stream,
    ...(exchange === undefined ? {} : { exchange }),
    ...(venue === undefined ? {} : { venue }),
  };
}
