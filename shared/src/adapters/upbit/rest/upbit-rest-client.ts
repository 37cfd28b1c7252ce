import { TradingError } from '../../../domain/errors/trading-error';
import type { Clock } from '../../../ports/clock';
import type { Logger } from '../../../ports/logger';
import { bodyHashString, buildQuery, type JsonBody, type QueryParams } from '../auth/query-string';
import type { UpbitAuthenticator } from '../auth/upbit-jwt';
import { fetchTransport, type HttpResponse, type HttpTransport } from './http-transport';
import { UpbitPayloadError } from './json-fields';
import type { RateLimitGroup } from './rate-limit-groups';
import type { UpbitRateLimiter } from './rate-limiter';
import { sharedRateLimiter } from './shared-rate-limiter';
import { errorFromResponse, malformedResponseError, networkError, timeoutError } from './upbit-errors';

/** Options for {@link UpbitRestClient}. Composition roots read UPBIT_REST_URL; the adapter never reads env. */
export interface UpbitRestClientOptions {
  /** REST base including `/v1`, e.g. `https://api.upbit.com/v1` or the fake's `restUrl`. */
  readonly baseUrl: string;
  readonly clock: Clock;
  /** Signs Exchange calls; without it only Quotation endpoints work. */
  readonly authenticator?: UpbitAuthenticator;
  readonly transport?: HttpTransport;
  /** Per-call timeout, covering connect, send and reading the body. Default 5,000 ms. */
  readonly timeoutMs?: number;
  /**
   * The limiter to spend. Default: the process's one limiter for this origin ({@link sharedRateLimiter}),
   * so every client of the process shares Upbit's per-IP and per-account budget.
   */
  readonly limiter?: UpbitRateLimiter;
  readonly logger?: Logger;
  /**
   * How often a GET or DELETE is retried after a 429 (after the limiter's pause; a 429 means the server
   * refused the call before doing anything). Default 3. POSTs are never retried here: an order's retry
   * needs a lookup by identifier first, which `UpbitTradingVenue.placeOrder` does.
   */
  readonly max429Retries?: number;
}

/** One REST call: where, which rate-limit group, what to send, how to read the answer. */
export interface RestCall<T> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base, e.g. `/orders/open`. */
  readonly path: string;
  readonly group: RateLimitGroup;
  /** Query parameters in the order sent (and hashed). */
  readonly query?: QueryParams;
  /** JSON body (POST only), hashed in its key order. */
  readonly body?: JsonBody;
  readonly auth: boolean;
  /**
   * Turns the parsed JSON into the result; throws {@link UpbitPayloadError} on a bad shape. `text` is
   * the body as received, for the few fields a double cannot hold (trade ids beyond 2^53).
   */
  readonly parse: (json: unknown, text: string) => T;
  /** Short description for error messages (`place order`, `GET /accounts`). */
  readonly context: string;
  readonly signal?: AbortSignal;
  /**
   * Called after the rate limiter let this call go and right before each send (retries included);
   * throwing stops the call there, with nothing sent.
   */
  readonly beforeSend?: () => void;
  /** Overrides the client's timeout for this call. */
  readonly timeoutMs?: number;
}

/**
 * The one place every Upbit REST call goes through: rate limiting, signing with a fresh nonce per
 * attempt, a timeout on every call, `Remaining-Req` bookkeeping and error mapping to TradingError.
 * Endpoint wrappers ({@link UpbitExchangeApi}, {@link UpbitQuotationApi}) only describe calls.
 */
export class UpbitRestClient {
  readonly #baseUrl: string;
  readonly #authenticator: UpbitAuthenticator | undefined;
  readonly #transport: HttpTransport;
  readonly #timeoutMs: number;
  readonly #logger: Logger | undefined;
  readonly #max429Retries: number;
  /** The limiter in use, exposed so a WebSocket client or a health page can share or inspect it. */
  readonly limiter: UpbitRateLimiter;

  constructor(options: UpbitRestClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#authenticator = options.authenticator;
    this.#transport = options.transport ?? fetchTransport;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#logger = options.logger;
    this.#max429Retries = options.max429Retries ?? 3;
    this.limiter = options.limiter ?? sharedRateLimiter(this.#baseUrl, options.clock, options.logger);
  }

  /** Sends one call and returns its parsed result, or throws a classified TradingError. */
  async request<T>(call: RestCall<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const ticket = await this.limiter.acquire(call.group, call.signal);
      let response: HttpResponse;
      try {
        call.beforeSend?.();
        response = await this.#send(call);
      } catch (error) {
        this.limiter.abandon(ticket);
        throw error;
      }
      const header = response.header('remaining-req');
      const limited = response.status === 418 || response.status === 429;
      const pauseMs = this.limiter.observe(
        call.group,
        response.status,
        header,
        limited ? response.body : undefined,
        ticket,
      );
      if (response.status >= 200 && response.status < 300) return this.#parse(call, response.body);
      const error = errorFromResponse(response.status, response.body, call.context, pauseMs);
      if (response.status === 429 && call.method !== 'POST' && attempt < this.#max429Retries) {
        this.#logger?.warn('upbit 429, retrying after the pause', { context: call.context, attempt });
        continue;
      }
      if (error.kind === 'fatal')
        this.#logger?.error('upbit call failed fatally', { context: call.context, code: error.code });
      throw error;
    }
  }

  async #send(call: RestCall<unknown>): Promise<HttpResponse> {
    const query = buildQuery(call.query ?? []);
    const url = `${this.#baseUrl}${call.path}${query.encoded.length > 0 ? `?${query.encoded}` : ''}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['Content-Type'] = 'application/json; charset=utf-8';
    }
    if (call.auth) {
      if (this.#authenticator === undefined)
        throw new TradingError('fatal', `Upbit ${call.context} needs API keys but none were configured`, {
          code: 'missing_credentials',
        });
      const hashed = call.body !== undefined ? bodyHashString(call.body) : query.hashed;
      headers.Authorization = this.#authenticator.authorization(hashed.length > 0 ? hashed : null);
    }
    const timeoutMs = call.timeoutMs ?? this.#timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = call.signal === undefined ? timeout : AbortSignal.any([call.signal, timeout]);
    try {
      return await this.#transport({
        method: call.method,
        url,
        headers,
        signal,
        ...(body === undefined ? {} : { body }),
      });
    } catch (error) {
      if (error instanceof TradingError) throw error;
      if (call.signal?.aborted) throw call.signal.reason ?? error;
      if (timeout.aborted) throw timeoutError(call.context, timeoutMs, error);
      throw networkError(call.context, error);
    }
  }

  #parse<T>(call: RestCall<T>, text: string): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw malformedResponseError(call.context, 'not JSON', error);
    }
    try {
      return call.parse(json, text);
    } catch (error) {
      if (error instanceof UpbitPayloadError)
        throw malformedResponseError(call.context, error.message, error);
      if (error instanceof TradingError) throw error;
      throw malformedResponseError(call.context, String(error), error);
    }
  }
}
