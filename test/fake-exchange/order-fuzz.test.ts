import { createHash, createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { parseDecimal } from '../../shared/src/domain/money/decimal';
import type { FakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { fixedMarket } from './support/fixed-market';
import { simHttp } from './support/sim-http';

let fake: FakeExchange;
let api: ReturnType<typeof simHttp>;
const USED_IDENTIFIER = 'fuzz-used-identifier';

beforeAll(async () => {
  ({ fake } = await fixedMarket({ rateLimits: false }));
  api = simHttp(fake);
  // One resting order so identifier reuse is among the refusals and locked balances are non-zero.
  const placed = await api.post('/orders', {
    market: 'KRW-BTC',
    side: 'bid',
    ord_type: 'limit',
    price: '140000000',
    volume: '0.001',
    identifier: USED_IDENTIFIER,
  });
  expect(placed.status).toBe(201);
});
afterAll(() => fake.close());

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** The hashed string of a JSON body exactly as PROTOCOL.md §2.2 says (non-strings rendered as text). */
function hashedBody(body: Record<string, unknown>): string {
  return Object.entries(body)
    .map(
      ([k, v]) =>
        `${k}=${typeof v === 'string' ? v : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`,
    )
    .join('&');
}

function token(headerSegment: string, hashed: string, alg: 'sha512' | 'sha256' = 'sha512'): string {
  const payload = b64(
    JSON.stringify({
      access_key: fake.accessKey,
      nonce: randomUUID(),
      query_hash: createHash('sha512').update(hashed, 'utf8').digest('hex'),
      query_hash_alg: 'SHA512',
    }),
  );
  const sig = createHmac(alg, fake.secretKey).update(`${headerSegment}.${payload}`).digest('base64url');
  return `${headerSegment}.${payload}.${sig}`;
}

const GOOD_HEADER = b64(JSON.stringify({ alg: 'HS512', typ: 'JWT' }));

/** Sends a body as JSON text; every answer must come within 2 s (a hang fails the property). */
async function post(bodyText: string, hashed: string, header = GOOD_HEADER) {
  const res = await fetch(`${fake.restUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token(header, hashed)}` },
    body: bodyText,
    signal: AbortSignal.timeout(2_000),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text };
}

/** An Upbit Exchange error: 4xx, JSON `{"error":{"name":string,"message":string}}`, a short message. */
function expectUpbitRefusal(r: { status: number; type: string; text: string }): void {
  expect(r.status).toBeGreaterThanOrEqual(400);
  expect(r.status).toBeLessThan(500);
  expect(r.type).toContain('application/json');
  const body = JSON.parse(r.text) as { error?: { name?: unknown; message?: unknown } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error?.name).toBe('string');
  expect(typeof body.error?.message).toBe('string');
  expect(String(body.error?.message).length).toBeLessThanOrEqual(300);
}

function positiveDecimal(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0;
  if (typeof v !== 'string') return false;
  try {
    return parseDecimal(v).gt(0);
  } catch {
    return false;
  }
}

/** JSON values that are present (not null) and not strings: every order field wants a string. */
const nonString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(
    fc.string({ maxLength: 5 }).filter((k) => k !== '__proto__'),
    fc.jsonValue(),
    { maxKeys: 3 },
  ),
);
/** Decimal text no order can use: garbage, bounds-breaking exponents and digit runs, non-positive values. */
const badNumber = fc
  .oneof(
    fc.constantFrom(
      '1e1000000000',
      '1e10000000',
      '-1e-10000000',
      '1e65',
      'NaN',
      'Infinity',
      '0x10',
      '1,000',
      '',
      ' ',
      '1.2.3',
      '--1',
      '0',
      '-1',
      '-0.5',
      '１２３',
      '1_000',
    ),
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.stringMatching(/^[0-9]{200,1000}$/),
    fc.string({ minLength: 2_000, maxLength: 8_000 }),
    nonString,
  )
  .filter((v) => !positiveDecimal(v));
const notOneOf = (valid: readonly string[]) =>
  fc.oneof(
    fc.string({ maxLength: 40 }).filter((s) => !valid.includes(s)),
    nonString,
  );

/** For each field, values that make any order refused whatever the other fields hold. */
const INVALID: Record<string, fc.Arbitrary<unknown>> = {
  market: notOneOf(['KRW-BTC', 'KRW-ETH']),
  side: notOneOf(['bid', 'ask']),
  ord_type: notOneOf(['limit', 'price', 'market', 'best']),
  price: badNumber,
  volume: fc.oneof(badNumber, fc.constantFrom('0.000000001', '1.123456789')),
  time_in_force: notOneOf(['ioc', 'fok', 'post_only']),
  smp_type: notOneOf(['cancel_maker', 'cancel_taker', 'reduce', 'none']),
  identifier: fc.oneof(
    fc.string({ minLength: 65, maxLength: 2_000 }),
    fc.constant(''),
    fc.constant(USED_IDENTIFIER),
    nonString,
  ),
};

/** Valid orders the corruptions start from (all would rest or fill if sent as they are). */
const BASES: readonly Record<string, unknown>[] = [
  { market: 'KRW-BTC', side: 'bid', ord_type: 'limit', price: '140000000', volume: '0.001' },
  { market: 'KRW-BTC', side: 'ask', ord_type: 'limit', price: '160000000', volume: '0.001' },
  { market: 'KRW-BTC', side: 'ask', ord_type: 'market', volume: '0.001' },
  { market: 'KRW-BTC', side: 'bid', ord_type: 'price', price: '10000' },
  { market: 'KRW-BTC', side: 'bid', ord_type: 'best', price: '10000', time_in_force: 'ioc' },
];

const corruptedOrder = fc
  .tuple(
    fc.constantFrom(...BASES),
    fc.uniqueArray(fc.constantFrom(...Object.keys(INVALID)), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
  )
  .chain(([base, fields, drop]) =>
    fc.tuple(
      fc.constant(base),
      fc.tuple(...fields.map((f) => fc.tuple(fc.constant(f), INVALID[f] as fc.Arbitrary<unknown>))),
      fc.constant(drop),
    ),
  )
  .map(([base, corruptions, drop]) => {
    const body: Record<string, unknown> = { ...base };
    for (const [field, value] of corruptions) body[field] = value;
    // Sometimes the first corrupted field is left out instead (a missing required field, or a
    // harmless missing optional one: the other corruptions still make the order invalid).
    if (drop && corruptions.length > 1) delete body[corruptions[0]?.[0] as string];
    return body;
  });

async function totals(): Promise<Record<string, string>> {
  const rows = (await api.get('/accounts')).body as { currency: string; balance: string; locked: string }[];
  return Object.fromEntries(
    rows.map((r) => [r.currency, parseDecimal(r.balance).plus(parseDecimal(r.locked)).toFixed()]),
  );
}

describe('fuzz: every order field and the JWT header (thousands of hostile requests)', () => {
  it('refuses each corrupted order with an Upbit 4xx in bounded time and conserves balances + locked', async () => {
    const before = await totals();
    const openBefore = (await api.get('/orders/open')).body.length;
    await fc.assert(
      fc.asyncProperty(corruptedOrder, async (body) => {
        const text = JSON.stringify(body);
        expectUpbitRefusal(await post(text, hashedBody(JSON.parse(text) as Record<string, unknown>)));
      }),
      { numRuns: 2_000 },
    );
    expect(await totals()).toEqual(before);
    expect((await api.get('/orders/open')).body).toHaveLength(openBefore);
  }, 180_000);

  it('refuses every JWT header but {alg: HS256|HS512} with 401 JSON, before reading the (valid) order', async () => {
    const before = await totals();
    const validAlg = (h: unknown) =>
      typeof h === 'object' &&
      h !== null &&
      !Array.isArray(h) &&
      ['HS256', 'HS512'].includes((h as { alg?: unknown }).alg as string);
    const header = fc.oneof(
      fc.record({
        alg: fc.oneof(
          notOneOf(['HS256', 'HS512']),
          fc.constantFrom('toString', 'constructor', '__proto__', 'valueOf', 'none', 'RS256', 'hs512'),
        ),
        typ: fc.jsonValue(),
      }),
      fc.jsonValue().filter((h) => !validAlg(h)),
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
    );
    const order = JSON.stringify(BASES[0]);
    await fc.assert(
      fc.asyncProperty(header, async (h) => {
        const segment = b64(typeof h === 'string' ? h : JSON.stringify(h));
        const r = await post(order, hashedBody(BASES[0] as Record<string, unknown>), segment);
        expectUpbitRefusal(r);
        expect(r.status).toBe(401);
      }),
      { numRuns: 1_000 },
    );
    expect(await totals()).toEqual(before);
  }, 180_000);
});
