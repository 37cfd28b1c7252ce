import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { UpbitAuthenticator } from '../../shared/src/adapters/upbit/auth/upbit-jwt';
import type { HttpResponse } from '../../shared/src/adapters/upbit/rest/http-transport';
import { UpbitPayloadError } from '../../shared/src/adapters/upbit/rest/json-fields';
import { UpbitExchangeApi } from '../../shared/src/adapters/upbit/rest/upbit-exchange-api';
import { UpbitQuotationApi } from '../../shared/src/adapters/upbit/rest/upbit-quotation-api';
import { UpbitRestClient } from '../../shared/src/adapters/upbit/rest/upbit-rest-client';
import { FrameDecoder, STATUS_UP } from '../../shared/src/adapters/upbit/ws/frame-decoder';
import { ErrorKind, isTradingError } from '../../shared/src/domain/errors/trading-error';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { price, volume } from '../../shared/src/domain/money/quantities';
import { Secret } from '../../shared/src/domain/security/secret';
import { InstantClock } from './support/instant-clock';

const FIXTURES = join(__dirname, '../fixtures/upbit');
// biome-ignore lint/suspicious/noExplicitAny: fixture files are free-form JSON
const load = (name: string): any => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const lifecycle = load('synthetic-lifecycle-examples.json');
const jkorf = load('jkorf-upbit-net-samples.json');
const BTC = parseMarket('KRW-BTC');
const KINDS: ReadonlySet<string> = new Set(Object.values(ErrorKind));

/** Valid REST bodies that mutations start from, so the fuzzer reaches deep into the parsers. */
const REST_SEEDS: readonly unknown[] = [
  lifecycle.step1_post_limit_bid.response,
  lifecycle.step2_partial_fill_as_maker.get_order_response,
  lifecycle.step4_market_buy_by_amount.get_order_after,
  lifecycle.step1_post_limit_bid.accounts_after,
  [lifecycle.step1_post_limit_bid.response],
  ...Object.values(jkorf.rest as Record<string, unknown>),
  { success: { count: 1, orders: [{ uuid: 'u', market: 'KRW-BTC' }] }, failed: { count: 0, orders: [] } },
  ...(lifecycle.error_bodies as { body: unknown }[]).map((e) => e.body),
];

/** Valid WebSocket frames (DEFAULT and SIMPLE) that mutations start from. */
const WS_SEEDS: readonly unknown[] = [
  lifecycle.step1_post_limit_bid.ws_myOrder,
  lifecycle.step1_post_limit_bid.ws_myAsset,
  lifecycle.step2_partial_fill_as_maker.ws_myOrder_trade_event,
  lifecycle.step2_partial_fill_as_maker.ws_public_trade,
  lifecycle.ws_simple_format.orderbook,
  lifecycle.ws_simple_format.trade,
  ...Object.values(jkorf.websocket as Record<string, unknown>),
  { status: 'UP' },
  { error: { name: 'WRONG_FORMAT', message: 'Format 이 맞지 않습니다.' } },
];

/** Replaces, deletes or re-types one field somewhere in a JSON value (depth-first, index-chosen). */
function mutate(value: unknown, pick: number, replacement: unknown, remove: boolean): unknown {
  const copy: unknown = structuredClone(value);
  const holders: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    const holder = v as Record<string, unknown>;
    for (const key of Object.keys(holder)) {
      holders.push([holder, Array.isArray(v) ? Number(key) : key]);
      walk(holder[key]);
    }
  };
  walk(copy);
  const target = holders[pick % Math.max(1, holders.length)];
  if (target === undefined) return replacement;
  const [holder, key] = target;
  if (Array.isArray(holder)) holder[key as number] = replacement;
  else if (remove) delete holder[key as string];
  else holder[key as string] = replacement;
  return copy;
}

const jsonText = (seeds: readonly unknown[]): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...seeds), fc.nat(), fc.jsonValue(), fc.boolean())
        .map(([s, p, r, d]) => JSON.stringify(mutate(s, p, r, d))),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.nat()).map(([s, cut]) => {
        const t = JSON.stringify(s);
        return t.slice(0, cut % (t.length + 1));
      }),
    },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        'null',
        '[]',
        '{}',
        '<html>502 Bad Gateway</html>',
        'Too many API requests.',
        '{"error":{"name":null}}',
        'Blocked for 1e999 seconds.',
      ),
    },
  );

const STATUSES = [200, 201, 200, 201, 400, 401, 403, 404, 418, 429, 500, 502, 503, 504, 302, 0, 999];

type Call = (exchange: UpbitExchangeApi, quotation: UpbitQuotationApi) => Promise<unknown>;
const CALLS: readonly Call[] = [
  (x) => x.getAccounts(),
  (x) => x.getOrderChance(BTC),
  (x) =>
    x.placeOrder({
      market: BTC,
      side: 'bid',
      ordType: 'limit',
      price: price('100000000'),
      volume: volume('0.001'),
      identifier: 'fuzz',
    }),
  (x) => x.testOrder({ market: BTC, side: 'ask', ordType: 'market', volume: volume('0.001') }),
  (x) => x.getOrder({ identifier: 'fuzz' }),
  (x) => x.getOrders({ uuids: ['a', 'b'] }),
  (x) => x.getOpenOrders({ market: BTC }),
  (x) => x.getClosedOrders({ states: ['done', 'cancel'] }),
  (x) => x.cancelOrder({ uuid: 'a' }),
  (x) => x.cancelOrders({ identifiers: ['a'] }),
  (x) => x.cancelOpenOrders({ pairs: [BTC] }),
  (_x, q) => q.getMarkets(true),
  (_x, q) => q.getCandles(BTC, '1m', 3),
  (_x, q) => q.getCandles(BTC, '1d', 3, Date.UTC(2026, 0, 1)),
  (_x, q) => q.getTrades(BTC, 5),
  (_x, q) => q.getTickers([BTC]),
  (_x, q) => q.getOrderbooks([BTC], 15),
  (_x, q) => q.getInstruments([BTC]),
];

function apis(response: HttpResponse | Error) {
  const clock = new InstantClock();
  const client = new UpbitRestClient({
    baseUrl: 'http://fuzz.invalid/v1',
    clock,
    authenticator: new UpbitAuthenticator({ accessKey: 'fuzz', secretKey: new Secret('fuzz') }),
    transport: async () => {
      if (response instanceof Error) throw response;
      return response;
    },
  });
  return { exchange: new UpbitExchangeApi(client), quotation: new UpbitQuotationApi(client) };
}

describe('fuzz: malformed REST answers become classified TradingErrors', () => {
  it('never lets anything but a retryable/rejected/fatal TradingError out, over thousands of bodies', async () => {
    const remaining = fc.option(
      fc.oneof(fc.constant('group=default; min=1800; sec=0'), fc.string({ maxLength: 60 })),
      { nil: null },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat(CALLS.length - 1),
        fc.constantFrom(...STATUSES),
        jsonText(REST_SEEDS),
        remaining,
        async (which, status, body, header) => {
          const { exchange, quotation } = apis({
            status,
            body,
            header: (n) => (n.toLowerCase() === 'remaining-req' ? header : null),
          });
          const call = CALLS[which] as Call;
          try {
            await call(exchange, quotation);
          } catch (error) {
            if (!isTradingError(error))
              throw new Error(`unclassified ${String(error)} for ${status} ${body.slice(0, 80)}`);
            expect(KINDS.has(error.kind)).toBe(true);
            expect(error.code.length).toBeGreaterThan(0);
            if (status >= 200 && status < 300) expect(error.code).toBe('malformed_response');
            if (status === 418) expect(error.kind).toBe('fatal');
          }
        },
      ),
      { numRuns: 4_000 },
    );
  });

  it('classifies transport failures of any kind as retryable network errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(CALLS.length - 1), fc.string(), async (which, message) => {
        const { exchange, quotation } = apis(new Error(message));
        await expect((CALLS[which] as Call)(exchange, quotation)).rejects.toMatchObject({
          kind: 'retryable',
          code: 'network_error',
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('fuzz: malformed WebSocket frames are refused with a decode error, never a crash', () => {
  const frames = fc.oneof(
    { weight: 3, arbitrary: jsonText(WS_SEEDS).map((t) => Buffer.from(t)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...WS_SEEDS),
          fc.nat(),
          fc.constantFrom(Number.POSITIVE_INFINITY, -0, 1e-320, 2 ** 64, '1e3', 'NaN', null, [], {}),
        )
        .map(([s, p, r]) => Buffer.from(JSON.stringify(mutate(s, p, r, false)).replace('null', '1e999'))),
    },
  );

  it('either decodes or throws UpbitPayloadError/SyntaxError, for thousands of frames in both channels', () => {
    const decoders = [new FrameDecoder('public'), new FrameDecoder('private')];
    fc.assert(
      fc.property(frames, fc.boolean(), (frame, priv) => {
        const decoder = decoders[priv ? 1 : 0] as FrameDecoder;
        try {
          const event = decoder.decode(frame);
          if (event !== STATUS_UP) expect(typeof event.type).toBe('string');
        } catch (error) {
          if (!(error instanceof UpbitPayloadError) && !(error instanceof SyntaxError))
            throw new Error(`decoder threw ${String(error)} for ${frame.toString('utf8').slice(0, 120)}`);
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('still decodes every seed frame exactly (the mutations start from valid input)', () => {
    const decoder = new FrameDecoder('private');
    for (const seed of WS_SEEDS.slice(0, 6))
      expect(() => decoder.decode(Buffer.from(JSON.stringify(seed)))).not.toThrow();
  });
});
