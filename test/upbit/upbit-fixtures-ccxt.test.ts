import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { UpbitAuthenticator } from '../../shared/src/adapters/upbit/auth/upbit-jwt';
import {
  parseOrder,
  parseOrderChance,
  parseOrderList,
} from '../../shared/src/adapters/upbit/rest/exchange-parsers';
import {
  parseCandles,
  parseTickers,
  parseTrades,
} from '../../shared/src/adapters/upbit/rest/quotation-parsers';
import { errorFromResponse } from '../../shared/src/adapters/upbit/rest/upbit-errors';
import { orderBody, UpbitExchangeApi } from '../../shared/src/adapters/upbit/rest/upbit-exchange-api';
import { UpbitQuotationApi } from '../../shared/src/adapters/upbit/rest/upbit-quotation-api';
import { UpbitRestClient } from '../../shared/src/adapters/upbit/rest/upbit-rest-client';
import { json, RecordingTransport } from '../../shared/src/adapters/upbit/test-support/recording-transport';
import type { Market } from '../../shared/src/domain/market/market-id';
import { price, volume } from '../../shared/src/domain/money/quantities';
import { Secret } from '../../shared/src/domain/security/secret';

const DIR = join(__dirname, '../fixtures/upbit');
// biome-ignore lint/suspicious/noExplicitAny: fixture files are free-form JSON read for tests
const load = (name: string): any => JSON.parse(readFileSync(join(DIR, name), 'utf8'));

/** Replaces a non-KRW market code so shape/type parsing can be checked on foreign samples. */
function asKrw<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/"(USDT|BTC|SGD)-[A-Z]+"/g, '"KRW-BTC"')) as T;
}

describe('ccxt-upbit-ts-comment-samples.json', () => {
  const f = load('ccxt-upbit-ts-comment-samples.json');

  it('parses the order chance (numeric min_total of the old shape)', () => {
    const chance = parseOrderChance(f.orders_chance_KRW_BTC.response);
    expect(chance.minTotalBid.toFixed()).toBe('5000');
    expect(chance.maxTotal.toFixed()).toBe('1000000000');
    expect(chance.bidFee.toFixed()).toBe('0.0005');
    expect(chance.bidAccount.locked.toFixed()).toBe('4999.99999922');
  });

  it('parses orders of every era, including the old trade shape and string trades_count', () => {
    expect(parseOrder(f.post_orders_limit_bid_2018.response).locked.toFixed()).toBe('1.0015');
    expect(parseOrder(f.delete_order_2018.response).state).toBe('wait');
    const old = parseOrder(f.get_order_limit_done_2018_old_trade_shape.response);
    expect(old.trades?.map((t) => t.volume.toFixed())).toEqual(['0.77368323', '0.22631677']);
    expect(parseOrder(f.get_order_market_ask_2025.response).trades?.[0]?.funds.toFixed()).toBe('7394.19175');
    expect(parseOrder(f.post_orders_cancel_and_new_2025.response).tradesCount).toBe(0);
  });

  it('refuses the Singapore (non-KRW) sample with a clear reason, and parses its shape once re-coded', () => {
    expect(() => parseOrderList(f.get_orders_open_region_SG.response)).toThrow(/KRW market/);
    expect(parseOrderList(asKrw(f.get_orders_open_region_SG.response))[0]?.executedFunds?.toFixed()).toBe(
      '0',
    );
  });

  it('maps every error body', () => {
    for (const body of f.error_bodies.examples) {
      const status = typeof body.error.name === 'number' ? body.error.name : 400;
      const error = errorFromResponse(status, JSON.stringify(body), 'test');
      expect(error.code).toBe(String(body.error.name));
      const fatal = [
        'out_of_scope',
        'invalid_access_key',
        'jwt_verification',
        'thirdparty_agreement_required',
      ];
      expect(error.kind).toBe(fatal.includes(error.code) ? 'fatal' : 'rejected');
    }
  });

  it('parses BTC-market trades and candles once re-coded (this system only accepts KRW markets)', () => {
    expect(() => parseTrades(f.trades_ticks_BTC_ETH_2018.response)).toThrow(/KRW market/);
    expect(parseTrades(asKrw(f.trades_ticks_BTC_ETH_2018.response))).toHaveLength(2);
    expect(parseCandles(asKrw(f.candles_minutes_1_BTC_ETH_2018.response), '1m')[1]?.openTime).toBe(
      Date.parse('2018-11-22T10:06:00Z'),
    );
  });
});

describe('ccxt-static-response-upbit.json', () => {
  const f = load('ccxt-static-response-upbit.json');
  it('accepts numeric strings where Quotation normally sends numbers', () => {
    const [trade] = parseTrades(asKrw(f.methods.fetchTrades[0].httpResponse));
    expect(trade).toMatchObject({ price: 73249.665, takerSide: 'ask', sequentialId: '17103275719220001' });
    expect(trade?.timestamp).toBe(f.methods.fetchTrades[0].parsedResponse[0].timestamp);
    const [ticker] = parseTickers(asKrw(f.methods.fetchTicker[0].httpResponse));
    expect(ticker?.highPrice).toBe(f.methods.fetchTicker[0].parsedResponse.high);
    const [candle] = parseCandles(asKrw(f.methods.fetchOHLCV[0].httpResponse), '60m');
    const [t, o, h, l, c, v] = f.methods.fetchOHLCV[0].parsedResponse[0];
    expect([
      candle?.openTime,
      candle?.open,
      candle?.high,
      candle?.low,
      candle?.close,
      candle?.volume,
    ]).toEqual([t, o, h, l, c, v]);
  });
});

describe('ccxt-static-request-upbit.json', () => {
  const f = load('ccxt-static-request-upbit.json');
  const transport = new RecordingTransport(json(200, []));
  const client = new UpbitRestClient({
    baseUrl: 'https://api.upbit.com/v1',
    clock: new SystemClock(),
    transport: transport.transport,
  });
  const quotation = new UpbitQuotationApi(client);
  const m = (s: string) => s as Market;
  const lastUrl = () => transport.requests[transport.requests.length - 1]?.url;

  it('builds the same Quotation URLs as ccxt', async () => {
    await quotation.getMarkets();
    expect(lastUrl()).toBe(f.methods.fetchMarkets[0].url);
    await quotation.getTrades(m('USDT-BTC'), 200);
    expect(lastUrl()).toBe(f.methods.fetchTrades[0].url);
    await quotation.getOrderbooks([m('USDT-BTC')]);
    expect(lastUrl()).toBe(f.methods.fetchOrderBook[0].url);
    await quotation.getTickers([m('USDT-BTC')]);
    expect(lastUrl()).toBe(f.methods.fetchTicker[0].url);
    await quotation.getTickers([m('USDT-BTC'), m('USDT-ETH')]);
    expect(lastUrl()).toBe(f.methods.fetchTickers[0].url);
    await quotation.getCandles(m('USDT-BTC'), '1m', 200);
    expect(lastUrl()).toBe(f.methods.fetchOHLCV[0].url);
  });

  it('builds the same order bodies as ccxt (key order aside) and the same cancel URL', async () => {
    const cases: [unknown, Parameters<typeof orderBody>[0]][] = [
      [
        f.methods.createOrder[1].output,
        { market: m('USDT-BTC'), side: 'bid', ordType: 'price', price: price('5') },
      ],
      [
        f.methods.createOrder[3].output,
        {
          market: m('USDT-BTC'),
          side: 'bid',
          ordType: 'limit',
          price: price('42000'),
          volume: volume('0.00015'),
        },
      ],
      [
        f.methods.createOrder[4].output,
        {
          market: m('USDT-BTC'),
          side: 'ask',
          ordType: 'limit',
          price: price('55000'),
          volume: volume('0.00015'),
        },
      ],
      [
        f.methods.createOrder[5].output,
        { market: m('USDT-BTC'), side: 'ask', ordType: 'market', volume: volume('0.00015') },
      ],
      [
        f.methods.createOrder[6].output,
        {
          market: m('SGD-XRP'),
          side: 'ask',
          ordType: 'limit',
          price: price('1.5'),
          volume: volume('10'),
          timeInForce: 'ioc',
        },
      ],
      [
        f.methods.createOrder[7].output,
        {
          market: m('SGD-XRP'),
          side: 'ask',
          ordType: 'limit',
          price: price('1.5'),
          volume: volume('10'),
          timeInForce: 'fok',
        },
      ],
    ];
    for (const [expected, draft] of cases) expect(orderBody(draft)).toEqual(JSON.parse(expected as string));
    const cancelTransport = new RecordingTransport(
      json(200, load('ccxt-upbit-ts-comment-samples.json').delete_order_2018.response),
    );
    const exchange = new UpbitExchangeApi(
      new UpbitRestClient({
        baseUrl: 'https://sg-api.upbit.com/v1',
        clock: new SystemClock(),
        transport: cancelTransport.transport,
        authenticator: new UpbitAuthenticator({ accessKey: 'a', secretKey: new Secret('s') }),
      }),
    );
    await exchange.cancelOrder({ uuid: '4321cb06-94cc-4fd5-bb15-a514c721ff56' });
    expect(cancelTransport.requests[0]?.url).toBe(f.methods.cancelOrder[0].url);
    expect(cancelTransport.requests[0]?.method).toBe('DELETE');
  });
});
