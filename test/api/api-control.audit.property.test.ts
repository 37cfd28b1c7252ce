import fc from 'fast-check';
import { createApiRouter } from '../../shared/src/application/api/api-router';
import type { HttpRequest, HttpResponse } from '../../shared/src/application/api/http-types';
import { T0 } from '../../shared/testing/state-builders';
import { AUTH, apiWorld, TOKEN } from './support/api-world';
import { dynamoStores } from './support/dynamo-world';
import { seedTradingDay } from './support/seed';

/**
 * Adversarial review (audit4) of the API's control routes: malformed input never gives a 500 nor
 * leaks the token, and Idempotency-Key holds under retries and concurrent calls on the real stores
 * (DynamoDB Local + fauxqs FIFO). Fixed seed; the reference for every claim is the README/OpenAPI text.
 */
const SEED = 20261205;

function post(path: string, body: string | undefined, headers: Record<string, string> = {}): HttpRequest {
  return {
    method: 'POST',
    path,
    query: {},
    headers: { ...AUTH, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body }),
    sourceIp: '10.0.0.9',
  };
}

const MUTATING = [
  ['POST', '/api/emergency-stop'],
  ['POST', '/api/emergency-stop/release'],
  ['POST', '/api/close-all-positions'],
  ['POST', '/api/trading/start'],
  ['POST', '/api/trading/stop'],
  ['PATCH', '/api/strategies/stat_arb'],
  ['PATCH', '/api/strategies/__proto__'],
  ['PATCH', '/api/strategies/%E0%A4%A'],
  ['PATCH', '/api/strategies/constructor'],
] as const;

const GETS = [
  '/api/status',
  '/api/positions',
  '/api/trades',
  '/api/risk',
  '/api/performance',
  '/api/equity',
  '/api/strategies',
  '/api/markets/KRW-BTC/candles',
  '/api/markets/__proto__/candles',
  '/api/markets/%ZZ/candles',
] as const;

/** Bodies a careless or hostile client sends: any JSON, broken text, prototype keys, deep nesting. */
const hostileBody: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }),
  fc
    .record(
      {
        reason: fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 1 }), fc.constant('\ud800')),
        state: fc.oneof(fc.constantFrom('reducing', 'halted', 'HALTED', ''), fc.jsonValue({ maxDepth: 1 })),
        actor: fc.oneof(fc.string({ maxLength: 70 }), fc.constant('a'.repeat(61)), fc.integer()),
        commandId: fc.oneof(fc.string({ maxLength: 70 }), fc.integer(), fc.constant(null)),
        enabled: fc.jsonValue({ maxDepth: 1 }),
        weight: fc.oneof(fc.double(), fc.string({ maxLength: 5 })),
        params: fc.jsonValue({ maxDepth: 2 }),
        expectedVersion: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 4 })),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '{"reason":"x","__proto__":{"state":"halted"}}',
    '{"reason":"x","constructor":{"prototype":{"polluted":true}}}',
    `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
    '{"reason":"x","state":"reducing","reason":"y"}',
    '{"reason":1e999}',
    'null',
    '[]',
    '"reason"',
  ),
);

const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'text/plain',
      '',
      'application/json;;;',
    ),
    'idempotency-key': fc.oneof(
      fc.string({ maxLength: 70 }),
      fc.stringMatching(/^[A-Za-z0-9_:.-]{1,64}$/),
      fc.constant('k'.repeat(65)),
    ),
    'user-agent': fc.string({ maxLength: 300 }),
  },
  { requiredKeys: [] },
);

function leaks(res: HttpResponse): string[] {
  const text = `${JSON.stringify(res.headers)}\n${res.body}`;
  const found: string[] = [];
  if (text.includes(TOKEN)) found.push('the API token');
  if (/\bat .*\.(ts|js):\d+/.test(text)) found.push('a stack trace');
  if (/TypeError|ReferenceError|RangeError|SyntaxError: (?!.*JSON)/.test(text))
    found.push('an exception name');
  return found;
}

describe('API control routes under hostile input (audit4)', () => {
  it('answers every malformed mutation and query with a JSON 4xx (or 200), never a 500, never the token', async () => {
    const world = apiWorld();
    await seedTradingDay(world, T0);
    const router = createApiRouter(world.deps);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...MUTATING),
        hostileBody,
        hostileHeaders,
        fc.boolean(),
        async ([method, path], body, headers, get) => {
          const req: HttpRequest = get
            ? {
                method: 'GET',
                path: GETS[Math.abs(body?.length ?? 0) % GETS.length] as string,
                query: { limit: body ?? '', days: headers['user-agent'] ?? '', hours: '-1' },
                headers: { ...AUTH },
              }
            : { ...post(path, body, headers), method };
          const res = await router(req);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status).not.toBe(500);
          expect(res.status < 500).toBe(true);
          const parsed = JSON.parse(res.body) as Record<string, unknown>;
          if (res.status >= 400) expect(typeof parsed.error).toBe('string');
          expect(leaks(res)).toEqual([]);
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
    expect(world.logger.lines.join('\n')).not.toContain(TOKEN);
    // Coverage: the fuzz reached the validators (400), idempotency (422) and real effects (200).
    expect(statuses.get(400) ?? 0).toBeGreaterThan(50);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(5);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never writes a presented (wrong) bearer token into a response or the log', async () => {
    const world = apiWorld();
    const router = createApiRouter(world.deps);
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9+/=_-]{8,40}$/),
        fc.constantFrom('/api/emergency-stop', '/api/close-all-positions', '/api/emergency-stop/release'),
        async (guess, path) => {
          const token = `${TOKEN.slice(0, 10)}${guess}`;
          const res = await router(
            post(path, '{"reason":"x"}', { authorization: `Bearer ${token}`, 'idempotency-key': guess }),
          );
          expect(res.status).toBe(401);
          expect(res.body).not.toContain(guess);
          expect(world.logger.lines.join('\n')).not.toContain(token);
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
    expect((await world.store.getControl()).latch).toBeUndefined();
    expect(await world.drainControl()).toEqual([]);
  });
});

describe('Idempotency-Key on the real stores (DynamoDB Local + fauxqs FIFO) (audit4)', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function realWorld() {
    const made = await dynamoStores();
    close = made.close;
    const world = apiWorld({ stores: made.stores });
    return { world, router: createApiRouter(world.deps) };
  }

  it('retries of one close-all (sequential and concurrent) latch once, alert once and enqueue one command', async () => {
    const { world, router } = await realWorld();
    const req = post('/api/close-all-positions', '{"reason":"flatten now"}', { 'idempotency-key': 'ck-1' });
    const concurrent = await Promise.all([router(req), router(req), router(req)]);
    await world.clock.advance(2_000);
    const retried = await router(req);
    for (const res of [...concurrent, retried]) expect(res.status).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    const messages = await world.drainControl();
    expect(messages.map((m) => [m.command.kind, m.command.id])).toEqual([
      ['close_all', 'api-closeAllPositions-ck-1'],
    ]);
    expect(world.notifier.texts()).toHaveLength(1);
    expect((await world.store.getControl()).latch).toMatchObject({
      state: 'reducing',
      reason: 'flatten now',
    });
  });

  it('two different keys both work: the second stop is applied (unchanged latch) and its command is sent', async () => {
    const { world, router } = await realWorld();
    const a = await router(post('/api/emergency-stop', '{"reason":"a"}', { 'idempotency-key': 'key-a' }));
    const b = await router(post('/api/emergency-stop', '{"reason":"b"}', { 'idempotency-key': 'key-b' }));
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(JSON.parse(b.body)).toMatchObject({ outcome: 'unchanged' });
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    const ids = (await world.drainControl()).map((m) => m.command.id);
    expect(ids).toEqual(['api-emergencyStop-key-a', 'api-emergencyStop-key-b']);
  });

  it('refuses a key reused with a different body after the first call finished (422, nothing applied)', async () => {
    const { world, router } = await realWorld();
    await router(post('/api/emergency-stop', '{"reason":"a"}', { 'idempotency-key': 'k-seq' }));
    const other = await router(
      post('/api/emergency-stop', '{"reason":"a","state":"halted"}', { 'idempotency-key': 'k-seq' }),
    );
    expect(other.status).toBe(422);
    expect((await world.store.getControl()).latch?.state).toBe('reducing');
  });

  // Found by the audit (fixed: a conditional claim per key in the store, see idempotency-gate.ts):
  // the replay lookup and the audit entry were not atomic, so two calls with one key and different
  // bodies in flight together both ran and the halted escalation was applied although the README
  // promises 422 for a reused key. Which call wins the claim is the store's race; the loser is 422
  // and only the winner's request takes effect.
  it('refuses a key reused with a different body while the first call is still in flight (422)', async () => {
    const { world, router } = await realWorld();
    const [first, second] = await Promise.all([
      router(post('/api/emergency-stop', '{"reason":"a"}', { 'idempotency-key': 'k-race' })),
      router(post('/api/emergency-stop', '{"reason":"a","state":"halted"}', { 'idempotency-key': 'k-race' })),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 422]);
    const refused = first.status === 422 ? first : second;
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'idempotency_key_reused' });
    expect((await world.store.getControl()).latch?.state).toBe(first.status === 200 ? 'reducing' : 'halted');
    const audits = (await world.store.listAudit({ limit: 20 })).filter((e) => e.action === 'api_request');
    expect(audits).toHaveLength(1);
  });

  // Found by the audit (fixed with the claim): concurrent retries of one request ran the use case
  // again, answered `outcome: unchanged` and each wrote its own api_request audit entry. Now the
  // later one waits for the first one's answer and replays it.
  it('answers concurrent retries of one request with the first answer, replayed', async () => {
    const { world, router } = await realWorld();
    const req = post('/api/emergency-stop', '{"reason":"double click"}', { 'idempotency-key': 'dbl' });
    const [a, b] = await Promise.all([router(req), router(req)]);
    expect(JSON.parse(b.body)).toEqual(JSON.parse(a.body));
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.headers['idempotent-replayed'], b.headers['idempotent-replayed']].sort()).toEqual([
      'true',
      undefined,
    ]);
    const audits = (await world.store.listAudit({ limit: 20 })).filter((e) => e.action === 'api_request');
    expect(audits).toHaveLength(1);
  });

  // Found by the audit (fixed: the fingerprint is now over canonicalJson): the fingerprint was JSON.stringify of the parsed body, so a retry whose client
  // serialises the same object with its keys in another order is refused as a different request.
  it('treats the same body with its keys in another order as the same request (replay, not 422)', async () => {
    const { router } = await realWorld();
    await router(
      post('/api/emergency-stop', '{"reason":"r","state":"halted"}', { 'idempotency-key': 'ord' }),
    );
    const again = await router(
      post('/api/emergency-stop', '{"state":"halted","reason":"r"}', { 'idempotency-key': 'ord' }),
    );
    expect(again.status).toBe(200);
  });
});
