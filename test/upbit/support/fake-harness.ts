import { SystemClock } from '../../../shared/src/adapters/system/system-clock';
import {
  UpbitAuthenticator,
  type UpbitJwtAlgorithm,
} from '../../../shared/src/adapters/upbit/auth/upbit-jwt';
import { fetchTransport, type HttpTransport } from '../../../shared/src/adapters/upbit/rest/http-transport';
import { UpbitRateLimiter } from '../../../shared/src/adapters/upbit/rest/rate-limiter';
import { UpbitExchangeApi } from '../../../shared/src/adapters/upbit/rest/upbit-exchange-api';
import { UpbitQuotationApi } from '../../../shared/src/adapters/upbit/rest/upbit-quotation-api';
import { UpbitRestClient } from '../../../shared/src/adapters/upbit/rest/upbit-rest-client';
import { UpbitMarketDataSource } from '../../../shared/src/adapters/upbit/upbit-market-data-source';
import {
  UpbitTradingVenue,
  type UpbitTradingVenueOptions,
} from '../../../shared/src/adapters/upbit/upbit-trading-venue';
import { parseMarket } from '../../../shared/src/domain/market/market-id';
import { Secret } from '../../../shared/src/domain/security/secret';
import {
  type FakeExchange,
  type FakeExchangeOptions,
  startFakeExchange,
} from '../../../shared/src/fake-exchange/fake-exchange';

/** The markets every contract test lists. */
export const BTC = parseMarket('KRW-BTC');
/** See {@link BTC}. */
export const ETH = parseMarket('KRW-ETH');

/** A fixed book around 100,000,000 KRW (tick 1,000) so fills and fees are predictable. */
export const BTC_BOOK = {
  bids: [
    ['99000000', '0.5'],
    ['98000000', '1'],
  ],
  asks: [
    ['100000000', '0.01'],
    ['101000000', '1'],
  ],
} as const;

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  readonly fake?: FakeExchangeOptions;
  readonly venue?: Partial<Omit<UpbitTradingVenueOptions, 'api' | 'clock'>>;
  /** Wraps the real HTTP transport (to tamper with requests for auth tests, or count them). */
  readonly wrapTransport?: (inner: HttpTransport) => HttpTransport;
  readonly timeoutMs?: number;
  readonly algorithm?: UpbitJwtAlgorithm;
}

/** A fake exchange on a free port plus the real client stack pointed at it. */
export interface Harness {
  readonly fake: FakeExchange;
  readonly clock: SystemClock;
  readonly authenticator: UpbitAuthenticator;
  readonly client: UpbitRestClient;
  readonly exchange: UpbitExchangeApi;
  readonly quotation: UpbitQuotationApi;
  readonly marketData: UpbitMarketDataSource;
  readonly venue: UpbitTradingVenue;
  /** A second client stack with other options (same fake, same keys). */
  clientWith(options: Omit<HarnessOptions, 'fake'>): {
    exchange: UpbitExchangeApi;
    quotation: UpbitQuotationApi;
    venue: UpbitTradingVenue;
    client: UpbitRestClient;
  };
  close(): Promise<void>;
}

/**
 * Starts the fake Upbit on wall time with its synthetic market switched off (prices only move when a
 * test says so; rate-limit windows are real seconds on both sides) and
 * builds the production client against its URLs, exactly as a composition root would with
 * `UPBIT_REST_URL`. Rate limits stay on, because the contract includes `Remaining-Req`.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = new SystemClock();
  const fake = await startFakeExchange({
    clock,
    autoMarket: false,
    markets: [BTC, ETH],
    balances: { KRW: '10000000', BTC: '1' },
    ...options.fake,
  });
  fake.controls.setBook(BTC, BTC_BOOK);
  // One limiter per process, as in production (`createUpbitAdapters`): a second client stack must not
  // spend the same server budget unseen, or its calls earn 429s the main stack never expected.
  const limiter = new UpbitRateLimiter({ clock });
  const build = (o: Omit<HarnessOptions, 'fake'>) => {
    const authenticator = new UpbitAuthenticator(
      { accessKey: fake.accessKey, secretKey: new Secret(fake.secretKey) },
      o.algorithm === undefined ? {} : { algorithm: o.algorithm },
    );
    const client = new UpbitRestClient({
      baseUrl: fake.restUrl,
      clock,
      authenticator,
      transport: o.wrapTransport === undefined ? fetchTransport : o.wrapTransport(fetchTransport),
      timeoutMs: o.timeoutMs ?? 3_000,
      limiter,
    });
    const exchange = new UpbitExchangeApi(client);
    const venue = new UpbitTradingVenue({ api: exchange, clock, preValidate: false, ...o.venue });
    return { authenticator, client, exchange, quotation: new UpbitQuotationApi(client), venue };
  };
  const main = build(options);
  return {
    fake,
    clock,
    ...main,
    marketData: new UpbitMarketDataSource(main.quotation),
    clientWith: (o) => build(o),
    close: () => fake.close(),
  };
}
