import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAccounts, parseOrder } from '../../shared/src/adapters/upbit/rest/exchange-parsers';
import {
  parseCandles,
  parseInstruments,
  parseMarkets,
  parseOrderbooks,
  parseTickers,
  parseTrades,
} from '../../shared/src/adapters/upbit/rest/quotation-parsers';
import { parseRemainingReq } from '../../shared/src/adapters/upbit/rest/rate-limit-groups';
import { errorFromResponse } from '../../shared/src/adapters/upbit/rest/upbit-errors';
import { FrameDecoder } from '../../shared/src/adapters/upbit/ws/frame-decoder';

const DIR = join(__dirname, '../fixtures/upbit');
// biome-ignore lint/suspicious/noExplicitAny: fixture files are free-form JSON read for tests
const load = (name: string): any => JSON.parse(readFileSync(join(DIR, name), 'utf8'));
const EXPECTED_FILES = [
  'auth-test-vectors.json',
  'ccxt-static-request-upbit.json',
  'ccxt-static-response-upbit.json',
  'ccxt-upbit-ts-comment-samples.json',
  'jkorf-upbit-net-samples.json',
  'synthetic-lifecycle-examples.json',
];

describe('fixture inventory', () => {
  it('has a copy of every upstream fixture file', () => {
    const local = readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(local).toEqual(EXPECTED_FILES);
    const upstream = join(__dirname, '../../../shared/upbit/fixtures');
    if (existsSync(upstream)) {
      const files = readdirSync(upstream)
        .filter((f) => f.endsWith('.json'))
        .sort();
      expect(files).toEqual(EXPECTED_FILES);
      for (const f of files)
        expect(readFileSync(join(DIR, f), 'utf8')).toBe(readFileSync(join(upstream, f), 'utf8'));
    }
  });
});

describe('synthetic-lifecycle-examples.json', () => {
  const f = load('synthetic-lifecycle-examples.json');

  it('parses the limit-bid order through its whole life with exact decimals', () => {
    const placed = parseOrder(f.step1_post_limit_bid.response);
    expect(placed).toMatchObject({
      state: 'wait',
      side: 'bid',
      ordType: 'limit',
      identifier: 'syn-0001',
      tradesCount: 0,
    });
    expect(placed.locked.toFixed()).toBe('300150');
    expect(placed.reservedFee.toFixed()).toBe('150');
    expect(placed.createdAt).toBe(Date.parse('2026-11-25T13:00:00Z'));
    const partial = parseOrder(f.step2_partial_fill_as_maker.get_order_response);
    expect(partial.remainingVolume?.toFixed()).toBe('0.0015');
    expect(partial.locked.toFixed()).toBe('225112.5');
    expect(partial.trades).toHaveLength(1);
    expect(partial.trades?.[0]?.funds.toFixed()).toBe('75000');
    expect(partial.trades?.[0]?.createdAt).toBe(Date.parse('2026-11-25T13:00:05.123Z'));
    expect(parseOrder(f.step3_cancel.response).state).toBe('wait');
    expect(parseOrder(f.step3_cancel.get_order_after).state).toBe('cancel');
  });

  it('parses the market buy (no volume) and market sell', () => {
    const buy = parseOrder(f.step4_market_buy_by_amount.get_order_after);
    expect(buy.volume).toBeUndefined();
    expect(buy.remainingVolume).toBeUndefined();
    expect(buy).toMatchObject({ ordType: 'price', state: 'cancel' });
    expect(buy.price?.toFixed()).toBe('10000');
    expect(buy.paidFee.toFixed()).toBe('4.999831');
    expect(buy.locked.toFixed()).toBe('0.338169');
    const sell = parseOrder(f.step5_market_sell_by_volume.get_order_after);
    expect(sell.price).toBeUndefined();
    expect(sell).toMatchObject({ ordType: 'market', state: 'done' });
    expect(sell.paidFee.toFixed()).toBe('37.475');
  });

  it('parses every accounts snapshot', () => {
    for (const step of ['step1_post_limit_bid', 'step2_partial_fill_as_maker', 'step3_cancel']) {
      const balances = parseAccounts(f[step].accounts_after);
      expect(balances.length).toBeGreaterThan(0);
    }
    const [krwBalance] = parseAccounts(f.step3_cancel.accounts_after);
    expect(krwBalance?.balance.toFixed()).toBe('924962.5');
  });

  it('maps every error body to the right kind and keeps Upbit’s name', () => {
    const kinds: Record<string, string> = {};
    for (const e of f.error_bodies) {
      const error = errorFromResponse(e.status, JSON.stringify(e.body), 'test');
      expect(error.code).toBe(String(e.body.error.name));
      expect(error.message).toContain(e.body.error.message.slice(0, 10));
      kinds[error.code] = error.kind;
    }
    expect(kinds).toEqual({
      '400': 'rejected',
      '404': 'rejected',
      under_min_total_bid: 'rejected',
      invalid_price_bid: 'rejected',
      insufficient_funds_bid: 'rejected',
      duplicated_identifier: 'rejected',
      invalid_post_only: 'rejected',
      invalid_query_payload: 'fatal',
      jwt_verification: 'fatal',
      nonce_used: 'fatal',
      no_authorization_token: 'fatal',
      order_not_found: 'rejected',
    });
  });

  it('reads every Remaining-Req header example', () => {
    for (const example of Object.values(f.headers) as string[]) {
      const parsed = parseRemainingReq(example.replace(/^Remaining-Req: /, '').replace(/ \(.*\)$/, ''));
      expect(parsed?.sec).toBeGreaterThanOrEqual(0);
    }
  });

  it('decodes the DEFAULT myOrder/myAsset/trade frames and the SIMPLE frames', () => {
    const priv = new FrameDecoder('private');
    const wait = priv.decode(JSON.stringify(f.step1_post_limit_bid.ws_myOrder));
    expect(wait).toMatchObject({
      type: 'myOrder',
      order: { state: 'wait', identifier: 'syn-0001', side: 'bid' },
    });
    const trade = priv.decode(JSON.stringify(f.step2_partial_fill_as_maker.ws_myOrder_trade_event));
    if (trade === undefined || typeof trade === 'symbol' || trade.type !== 'myOrder')
      throw new Error('not myOrder');
    expect(trade.order.tradeUuid).toBe('33333333-3333-4333-8333-333333333333');
    expect(trade.order.isMaker).toBe(true);
    expect(trade.order.tradeFee?.toFixed()).toBe('37.5');
    expect(trade.order.locked.toFixed()).toBe('225112.5');
    const asset = priv.decode(JSON.stringify(f.step1_post_limit_bid.ws_myAsset));
    expect(asset).toMatchObject({ type: 'myAsset', assets: [{ currency: 'KRW' }] });
    const pub = new FrameDecoder('public');
    expect(pub.decode(JSON.stringify(f.step2_partial_fill_as_maker.ws_public_trade))).toMatchObject({
      type: 'trade',
      trade: { takerSide: 'ask', price: 150000000, sequentialId: '17956116051230000' },
    });
    expect(pub.decode(JSON.stringify(f.ws_simple_format.trade))).toMatchObject({
      type: 'trade',
      trade: { market: 'KRW-BTC', volume: 0.0005, takerSide: 'ask' },
      streamType: 'REALTIME',
    });
    expect(pub.decode(JSON.stringify(f.ws_simple_format.orderbook))).toMatchObject({
      type: 'orderbook',
      book: {
        asks: [{ price: 150100000, size: 0.25 }, { price: 150200000 }],
        bids: [{ price: 150000000 }, { price: 149900000 }],
      },
    });
  });
});

describe('jkorf-upbit-net-samples.json', () => {
  const f = load('jkorf-upbit-net-samples.json');

  it('parses every REST sample', () => {
    const markets = parseMarkets(f.rest.market_all_is_details.response);
    expect(markets.map((m) => m.warning)).toEqual([false, true]);
    expect(parseCandles(f.rest.candles_seconds.response, '1s')[0]).toMatchObject({
      openTime: Date.parse('2025-06-30T23:59:59Z'),
      close: 145759000,
    });
    expect(parseTrades(f.rest.trades_ticks.response)[0]).toMatchObject({
      volume: 0.00006043,
      takerSide: 'bid',
    });
    expect(parseTickers(f.rest.ticker_single_clean_entry.response)[0]?.tradePrice).toBe(3510000);
    const instruments = parseInstruments(f.rest.orderbook_instruments.response);
    expect(instruments[0]?.tickSize.toFixed()).toBe('1000');
    expect(instruments[0]?.supportedLevels).toEqual([]);
    const [book] = parseOrderbooks(f.rest.orderbook_level_10000.response);
    expect(book?.asks).toHaveLength(30);
    expect(book?.bids).toHaveLength(30);
    expect(book?.asks[0]?.price).toBeLessThan(book?.asks[1]?.price ?? 0);
    expect(book?.bids[0]?.price).toBeGreaterThan(book?.bids[1]?.price ?? 0);
  });

  it('decodes every WebSocket sample', () => {
    const decoder = new FrameDecoder('public');
    expect(decoder.decode(Buffer.from(JSON.stringify(f.websocket.ticker.receive)))).toMatchObject({
      type: 'ticker',
      ticker: { market: 'KRW-ETH', tradePrice: 36929 },
      streamType: 'SNAPSHOT',
    });
    expect(decoder.decode(Buffer.from(JSON.stringify(f.websocket.trade.receive)))).toMatchObject({
      type: 'trade',
      trade: { volume: 8.428e-5 },
    });
    expect(decoder.decode(Buffer.from(JSON.stringify(f.websocket.orderbook.receive)))).toMatchObject({
      type: 'orderbook',
      book: { market: 'KRW-ETH' },
    });
    expect(decoder.decode(Buffer.from(JSON.stringify(f.websocket.candle_1m.receive)))).toMatchObject({
      type: 'candle',
      candle: { timeframe: '1m', openTime: Date.parse('2025-01-02T04:28:05Z') },
    });
  });
});
