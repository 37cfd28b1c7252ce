import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { UpbitAuthenticator } from '../../shared/src/adapters/upbit/auth/upbit-jwt';
import { UpbitExchangeApi } from '../../shared/src/adapters/upbit/rest/upbit-exchange-api';
import { UpbitQuotationApi } from '../../shared/src/adapters/upbit/rest/upbit-quotation-api';
import { UpbitRestClient } from '../../shared/src/adapters/upbit/rest/upbit-rest-client';
import { UpbitMarketDataSource } from '../../shared/src/adapters/upbit/upbit-market-data-source';
import { UpbitTradingVenue } from '../../shared/src/adapters/upbit/upbit-trading-venue';
import { Secret } from '../../shared/src/domain/security/secret';
import { startFakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { describeMarketDataSourceContract } from '../../shared/testing/market-data-source-contract';
import { describeTradingVenueContract } from '../../shared/testing/trading-venue-contract';

// The port contracts the in-memory adapters pass, run against the real Upbit adapters talking HTTP to
// the fake exchange: the executor can swap paper trading for Upbit without changing behaviour.

describeTradingVenueContract('UpbitTradingVenue over HTTP against the fake exchange', async () => {
  const clock = new SystemClock();
  const fake = await startFakeExchange({
    clock,
    autoMarket: false,
    markets: ['KRW-BTC', 'KRW-ETH'],
    balances: {},
  });
  const client = new UpbitRestClient({
    baseUrl: fake.restUrl,
    clock,
    authenticator: new UpbitAuthenticator({
      accessKey: fake.accessKey,
      secretKey: new Secret(fake.secretKey),
    }),
  });
  // preValidate off: the suite must see the exchange's own refusals, not the client's shortcut.
  const venue = new UpbitTradingVenue({ api: new UpbitExchangeApi(client), clock, preValidate: false });
  return {
    venue,
    fund: (currency, amount) => fake.controls.setBalance(currency, amount),
    setBook: (market, book) => fake.controls.setBook(market, book),
    printTrade: (market, p, v, side) => fake.controls.trade(market, p, v, side),
    dispose: () => fake.close(),
  };
});

describeMarketDataSourceContract('UpbitMarketDataSource over HTTP against the fake exchange', async () => {
  const sim = new ManualClock(Date.UTC(2026, 10, 25, 12, 30));
  // The sim clock only moves when the suite says so, so the fake's per-second windows would never roll:
  // rate limiting is covered by upbit-vs-fake-rate-limit.test.ts instead.
  const fake = await startFakeExchange({
    clock: sim,
    autoMarket: false,
    markets: ['KRW-BTC', 'KRW-ETH'],
    rateLimits: false,
  });
  const client = new UpbitRestClient({ baseUrl: fake.restUrl, clock: new SystemClock() });
  return {
    source: new UpbitMarketDataSource(new UpbitQuotationApi(client)),
    now: () => sim.now(),
    pass: (ms) => sim.advance(ms),
    printTrade: (market, p, v, side) => fake.controls.trade(market, p, v, side),
    setBook: (market, book) => fake.controls.setBook(market, book),
    dispose: () => fake.close(),
  };
});
