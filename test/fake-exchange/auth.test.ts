import type { FakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { fixedMarket } from './support/fixed-market';
import { FrameRecorder, signJwt, simHttp } from './support/sim-http';

let fake: FakeExchange;
let api: ReturnType<typeof simHttp>;

beforeAll(async () => {
  ({ fake } = await fixedMarket());
  api = simHttp(fake);
});
afterAll(() => fake.close());

const CHANCE: [string, string][] = [['market', 'KRW-BTC']];

describe('fake exchange JWT verification (PROTOCOL.md §2.4) over real HTTP', () => {
  it('accepts HS512 and HS256 tokens, with and without query_hash', async () => {
    expect((await api.get('/accounts')).status).toBe(200);
    expect((await api.get('/accounts', [], { algorithm: 'HS256' })).status).toBe(200);
    const chance = await api.get('/orders/chance', CHANCE);
    expect(chance.status).toBe(200);
    expect(chance.body).toMatchObject({ bid_fee: '0.0005', market: { id: 'KRW-BTC' } });
  });

  it('hashes array parameters as sent (uuids[] repeated, decoded)', async () => {
    const res = await api.get('/orders/uuids', [
      ['uuids[]', 'a'],
      ['uuids[]', 'b'],
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  const failures: [string, string, Parameters<typeof api.get>[2]][] = [
    ['missing Authorization', 'no_authorization_token', { unsigned: true }],
    ['wrong secret (bad signature)', 'jwt_verification', { secretKey: 'not-the-secret' }],
    ['unknown access key', 'invalid_access_key', { accessKey: 'nobody' }],
    ['query_hash of another query', 'invalid_query_payload', { hashed: 'market=KRW-ETH' }],
    ['no query_hash although there is a query', 'invalid_query_payload', { hashed: null }],
  ];
  it.each(failures)('%s → 401 %s', async (_what, name, sign) => {
    const res = await api.get('/orders/chance', CHANCE, sign);
    expect(res.status).toBe(401);
    expect(res.body.error.name).toBe(name);
    expect(res.headers.get('remaining-req')).toMatch(/^group=default; /);
  });

  it('a reused nonce is refused with nonce_used', async () => {
    const nonce = 'fixed-nonce-0001';
    expect((await api.get('/accounts', [], { nonce })).status).toBe(200);
    const again = await api.get('/accounts', [], { nonce });
    expect([again.status, again.body.error.name]).toEqual([401, 'nonce_used']);
  });

  it('POST bodies are hashed in body key order; a tampered body fails', async () => {
    const ok = await api.post('/orders/test', {
      market: 'KRW-BTC',
      side: 'bid',
      volume: '0.01',
      price: '150000000',
      ord_type: 'limit',
    });
    expect(ok.status).toBe(201);
    const token = signJwt(fake, 'market=KRW-BTC&side=bid&volume=0.01&price=150000000&ord_type=limit');
    const tampered = await fetch(`${fake.restUrl}/orders/test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        market: 'KRW-BTC',
        side: 'bid',
        volume: '0.02',
        price: '150000000',
        ord_type: 'limit',
      }),
    });
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as { error: { name: string } }).error.name).toBe('invalid_query_payload');
  });

  it('Quotation endpoints need no token and answer errors with an integer name', async () => {
    const res = await api.get('/ticker', [['markets', 'KRW-NOPE']], { unsigned: true });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { name: 404, message: 'Code not found' } });
    const unrouted = await fetch(`${fake.restUrl}/nothing-here`);
    expect(unrouted.status).toBe(404);
    expect(unrouted.headers.get('remaining-req')).toBeNull();
  });

  it('the private WebSocket refuses a bad token with INVALID_AUTH and closes', async () => {
    const ws = new FrameRecorder(fake.privateWsUrl, {
      authorization: `Bearer ${signJwt(fake, null, { secretKey: 'wrong' })}`,
    });
    await ws.waitFor((f) => f.length > 0);
    expect(ws.frames[0].error.name).toBe('INVALID_AUTH');
    expect(await ws.closed()).toBe(1000);
  });
});
