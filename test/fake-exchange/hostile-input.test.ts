import { createHmac, randomUUID } from 'node:crypto';
import type { FakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { MAX_CODES_PER_TYPE } from '../../shared/src/fake-exchange/ws-subscription';
import { fixedMarket } from './support/fixed-market';
import { FrameRecorder, signJwt, simHttp } from './support/sim-http';

let fake: FakeExchange;
let api: ReturnType<typeof simHttp>;

beforeAll(async () => {
  ({ fake } = await fixedMarket({ rateLimits: false }));
  api = simHttp(fake);
});
afterAll(() => fake.close());

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A token with any header, signed with the fake's secret over exactly what is sent. */
function tokenWith(header: unknown, payload: Record<string, unknown> = {}, hmac = 'sha512'): string {
  const h = b64(header);
  const p = b64({ access_key: fake.accessKey, nonce: randomUUID(), ...payload });
  const sig = createHmac(hmac, fake.secretKey).update(`${h}.${p}`).digest('base64url');
  return `${h}.${p}.${sig}`;
}

async function raw(path: string, init: RequestInit & { signal?: AbortSignal }) {
  const res = await fetch(`${fake.restUrl}${path}`, { ...init, signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text, body: JSON.parse(text) };
}

/** Totals (balance + locked) per currency: what a refused request must never change. */
async function totals(): Promise<Record<string, string>> {
  const rows = (await api.get('/accounts')).body as { currency: string; balance: string; locked: string }[];
  return Object.fromEntries(rows.map((r) => [r.currency, `${r.balance}+${r.locked}`]));
}

describe('numbers no one can use to crash, hang or bloat the sim', () => {
  const cases: [string, Record<string, string>][] = [
    ['exponent volume', { volume: '1e1000000000', price: '150000000' }],
    ['exponent price', { volume: '0.001', price: '1e10000000' }],
    ['huge digits', { volume: '0.001', price: '9'.repeat(5_000) }],
    ['long garbage', { volume: 'x'.repeat(30_000), price: '150000000' }],
    ['negative exponent', { volume: '1e-100', price: '150000000' }],
  ];
  it.each(cases)('%s → 400 validation_error with a short message; nothing changes', async (_name, fields) => {
    const before = await totals();
    const res = await api.post('/orders', { market: 'KRW-BTC', side: 'bid', ord_type: 'limit', ...fields });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('validation_error');
    expect(res.body.error.message.length).toBeLessThan(120);
    expect(await totals()).toEqual(before);
  });

  it('echoes at most a short prefix of an unknown market', async () => {
    const res = await api.post('/orders', {
      market: `KRW-${'X'.repeat(20_000)}`,
      side: 'bid',
      ord_type: 'limit',
      volume: '1',
      price: '1',
    });
    expect(res).toMatchObject({ status: 400, body: { error: { name: 'notfoundmarket' } } });
    expect(res.body.error.message.length).toBeLessThan(100);
  });
});

describe('authentication comes first and fails as 401 JSON, whatever the token', () => {
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'none', 'HS384'])(
    'alg %s → 401 jwt_verification (no 500, no plain text)',
    async (alg) => {
      const res = await raw('/accounts', {
        headers: { authorization: `Bearer ${tokenWith({ alg, typ: 'JWT' })}` },
      });
      expect(res.status).toBe(401);
      expect(res.type).toContain('application/json');
      expect(res.body).toEqual({ error: { name: 'jwt_verification', message: expect.any(String) } });
    },
  );

  it('refuses a signature with trailing junk or padding (only canonical base64url is accepted)', async () => {
    const good = tokenWith({ alg: 'HS512', typ: 'JWT' });
    expect((await raw('/accounts', { headers: { authorization: `Bearer ${good}` } })).status).toBe(200);
    for (const junk of ['AA', 'A', '=', '==', '.', '%', '!!']) {
      const token = tokenWith({ alg: 'HS512', typ: 'JWT' });
      const res = await raw('/accounts', { headers: { authorization: `Bearer ${token}${junk}` } });
      expect(res.status).toBe(401);
    }
  });

  it('checks the token before the body: an unsigned or forged POST with a broken body gets 401, not 400', async () => {
    const broken = { method: 'POST', body: '{"market": ', headers: { 'content-type': 'application/json' } };
    const unsigned = await raw('/orders', broken);
    expect(unsigned).toMatchObject({ status: 401, body: { error: { name: 'no_authorization_token' } } });
    const forged = await raw('/orders', {
      ...broken,
      headers: { ...broken.headers, authorization: `Bearer ${signJwt(fake, null, { secretKey: 'wrong' })}` },
    });
    expect(forged).toMatchObject({ status: 401, body: { error: { name: 'jwt_verification' } } });
    const deleteWithBody = await raw('/order?uuid=x', { method: 'DELETE', body: 'uuid=x' });
    expect(deleteWithBody.status).toBe(401);
    // Authenticated, the same broken body is a 400.
    const signed = await raw('/orders', {
      ...broken,
      headers: { ...broken.headers, authorization: `Bearer ${signJwt(fake, null)}` },
    });
    expect(signed).toMatchObject({ status: 400, body: { error: { name: 'validation_error' } } });
  });

  it('answers an oversized body with 413 JSON, not a reset', async () => {
    const res = await raw('/orders', {
      method: 'POST',
      body: JSON.stringify({ market: 'KRW-BTC', pad: 'x'.repeat(2_000_000) }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${signJwt(fake, null)}` },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.name).toBe('invalid_parameter');
    expect((await api.get('/accounts')).status).toBe(200);
  });
});

describe('POST /orders/cancel_and_new validates the new order before cancelling anything', () => {
  it('a reused new_identifier is refused and the old order stays open; nothing is created', async () => {
    await api.post('/orders', {
      market: 'KRW-BTC',
      side: 'bid',
      ord_type: 'limit',
      price: '140000000',
      volume: '0.001',
      identifier: 'cn-taken',
    });
    const old = await api.post('/orders', {
      market: 'KRW-BTC',
      side: 'bid',
      ord_type: 'limit',
      price: '141000000',
      volume: '0.001',
      identifier: 'cn-keep',
    });
    const before = await totals();
    const openBefore = (await api.get('/orders/open')).body.length;
    for (const newIdentifier of ['cn-taken', 'cn-keep']) {
      const res = await api.post('/orders/cancel_and_new', {
        prev_order_uuid: old.body.uuid,
        new_ord_type: 'limit',
        new_price: '142000000',
        new_volume: 'remain_only',
        new_identifier: newIdentifier,
      });
      expect(res).toMatchObject({ status: 400, body: { error: { name: 'duplicated_identifier' } } });
    }
    expect((await api.get('/order', [['uuid', old.body.uuid]])).body.state).toBe('wait');
    expect((await api.get('/orders/open')).body).toHaveLength(openBefore);
    expect(await totals()).toEqual(before);
    await api.del('/orders/open', [['cancel_side', 'bid']]);
  });
});

describe('WebSocket limits', () => {
  it('closes a socket that sends a message over the payload limit (1009), and keeps serving others', async () => {
    const ws = new FrameRecorder(fake.wsUrl);
    await ws.open();
    ws.send(`[{"ticket":"t"},{"type":"ticker","codes":["${'K'.repeat(200_000)}"]}]`);
    expect(await ws.closed()).toBe(1009);
    const ok = new FrameRecorder(fake.wsUrl);
    await ok.open();
    ok.send([{ ticket: 't' }, { type: 'orderbook', codes: ['KRW-BTC'] }]);
    await ok.waitFor((f) => f.some((x) => x.type === 'orderbook'));
    ok.close();
  });

  it('refuses more codes per type than the limit with INVALID_PARAM, then closes', async () => {
    const ws = new FrameRecorder(fake.wsUrl);
    await ws.open();
    const codes = Array.from({ length: MAX_CODES_PER_TYPE + 1 }, (_, i) => `KRW-C${i}`);
    ws.send([{ ticket: 't' }, { type: 'ticker', codes }]);
    await ws.waitFor((f) => f.some((x) => x.error !== undefined));
    expect(ws.frames[0]).toMatchObject({ error: { name: 'INVALID_PARAM' } });
    expect(await ws.closed()).toBe(1000);
  });

  it('echoes at most a prefix of an unknown type', async () => {
    const ws = new FrameRecorder(fake.wsUrl);
    await ws.open();
    ws.send([{ ticket: 't' }, { type: 'y'.repeat(10_000), codes: ['KRW-BTC'] }]);
    await ws.waitFor((f) => f.some((x) => x.error !== undefined));
    expect(ws.frames[0].error.name).toBe('INVALID_PARAM');
    expect(ws.frames[0].error.message.length).toBeLessThan(100);
  });
});

describe('myOrder frames', () => {
  it('a market sell reports price null, never a made-up 0', async () => {
    const ws = new FrameRecorder(fake.privateWsUrl, { authorization: `Bearer ${signJwt(fake, null)}` });
    await ws.open();
    ws.send([{ ticket: 't' }, { type: 'myOrder' }]);
    const res = await api.post('/orders', {
      market: 'KRW-BTC',
      side: 'ask',
      ord_type: 'market',
      volume: '0.001',
    });
    expect(res.status).toBe(201);
    await ws.waitFor((f) => f.some((x) => x.uuid === res.body.uuid && x.state === 'done'));
    const frames = ws.frames.filter((x) => x.uuid === res.body.uuid);
    expect(frames.find((x) => x.state === 'wait')?.price).toBeNull();
    expect(frames.find((x) => x.state === 'done')?.price).toBeNull();
    // A fill event carries the fill's price.
    expect(frames.find((x) => x.state === 'trade')?.price).toBe(149_900_000);
    ws.close();
  });
});
