import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import type { FakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { RateLimiter } from '../../shared/src/fake-exchange/rate-limiter';
import { fixedMarket, T0 } from './support/fixed-market';
import { signJwt, simHttp } from './support/sim-http';

const running: FakeExchange[] = [];
async function start(options: Parameters<typeof fixedMarket>[0] = {}): Promise<FakeExchange> {
  const { fake } = await fixedMarket(options);
  running.push(fake);
  return fake;
}
afterEach(async () => {
  for (const f of running.splice(0)) await f.close();
});

const LIMIT_BID = { market: 'KRW-BTC', side: 'bid', volume: '0.01', price: '150000000', ord_type: 'limit' };

describe('fault injection', () => {
  it('failNext answers 5xx before doing anything, then recovers', async () => {
    const fake = await start();
    const api = simHttp(fake);
    fake.controls.faults.failNext(2, 503);
    expect((await api.get('/accounts')).status).toBe(503);
    const second = await api.post('/orders', LIMIT_BID);
    expect([second.status, second.body.error.name]).toEqual([503, 'internal_server_error']);
    expect((await api.get('/orders/open')).body).toEqual([]);
    expect((await api.get('/accounts')).status).toBe(200);
  });

  it('errorRate fails a seeded share of requests', async () => {
    const fake = await start({ faults: { errorRate: 1, failStatus: 500 } });
    const api = simHttp(fake);
    expect((await api.get('/accounts')).status).toBe(500);
    fake.controls.faults.setErrorRate(0);
    expect((await api.get('/accounts')).status).toBe(200);
  });

  it('latency delays responses', async () => {
    const fake = await start({ faults: { latencyMs: 150 } });
    const started = performance.now();
    expect((await simHttp(fake).get('/accounts')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('timeout-after-accept places the order but never answers; it can be found by identifier', async () => {
    const fake = await start();
    const api = simHttp(fake);
    fake.controls.faults.timeoutAfterAccept(1);
    const body = JSON.stringify({ ...LIMIT_BID, identifier: 'lost-1' });
    const hashed = Object.entries({ ...LIMIT_BID, identifier: 'lost-1' })
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    await expect(
      fetch(`${fake.restUrl}/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${signJwt(fake, hashed)}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow();
    const found = await api.get('/order', [['identifier', 'lost-1']]);
    expect([found.status, found.body.state]).toEqual([200, 'wait']);
    expect((await api.post('/orders', { ...LIMIT_BID, identifier: 'lost-1' })).body.error.name).toBe(
      'duplicated_identifier',
    );
  });
});

describe('test-only control API under /_sim', () => {
  it('is off unless asked for', async () => {
    const fake = await start();
    expect(fake.controlUrl).toBeUndefined();
    expect((await fetch(`${fake.restUrl.replace(/\/v1$/, '')}/_sim/status`)).status).toBe(404);
  });

  it('drives faults, book, trades and balances of a sim in another process', async () => {
    const fake = await start({ controlApi: true, rateClock: new ManualClock(T0) });
    const url = fake.controlUrl as string;
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        // biome-ignore lint/suspicious/noExplicitAny: JSON
        body: (await r.json()) as any,
      }));
    const api = simHttp(fake);
    expect((await post('/faults', { failNext: 1, failStatus: 502 })).status).toBe(200);
    expect((await api.get('/accounts')).status).toBe(502);
    expect((await post('/balance', { currency: 'KRW', amount: '5000000' })).status).toBe(200);
    expect((await api.get('/accounts')).body[0]).toMatchObject({ currency: 'KRW', balance: '5000000' });
    await post('/book', { market: 'KRW-BTC', bids: [['140000000', '1']], asks: [['141000000', '1']] });
    const [book] = (await api.get('/orderbook', [['markets', 'KRW-BTC']], { unsigned: true })).body;
    expect(book.orderbook_units[0]).toMatchObject({ ask_price: 141000000, bid_price: 140000000 });
    await post('/trade', { market: 'KRW-BTC', price: '140500000', volume: '0.5', takerSide: 'bid' });
    const [trade] = (await api.get('/trades/ticks', [['market', 'KRW-BTC']], { unsigned: true })).body;
    expect(trade).toMatchObject({ trade_price: 140500000, trade_volume: 0.5, ask_bid: 'BID' });
    expect((await post('/faults', { rateLimits: { default: 1 } })).body.ok).toBe(true);
    await api.get('/accounts');
    expect((await api.get('/accounts')).status).toBe(429);
    expect((await post('/faults', { staleBook: true })).body.faults.staleBook).toBe(true);
    const status = await fetch(`${url}/status`).then((r) => r.json());
    expect(status).toMatchObject({ seed: 1, markets: ['KRW-BTC', 'KRW-ETH'], rateLimits: { enabled: true } });
    expect((status as { faults: { staleBook: boolean } }).faults.staleBook).toBe(true);
    const bad = await post('/trade', { market: 'KRW-BTC', price: 'lots' });
    expect([bad.status, bad.body.error.name]).toEqual([400, 'invalid_control']);
  });
});

describe('--state persistence', () => {
  it('keeps balances, orders and burnt identifiers across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-exchange-state-'));
    const statePath = join(dir, 'sim.json');
    try {
      const first = await start({ statePath });
      const placed = await simHttp(first).post('/orders', { ...LIMIT_BID, identifier: 'kept-1' });
      expect(placed.status).toBe(201);
      await first.close();
      const second = await start({ statePath, balances: { KRW: '1' } });
      const api = simHttp(second);
      expect((await api.get('/order', [['identifier', 'kept-1']])).body).toMatchObject({
        uuid: placed.body.uuid,
        state: 'wait',
      });
      expect((await api.get('/accounts')).body[0]).toMatchObject({ balance: '8499250', locked: '1500750' });
      expect((await api.post('/orders', { ...LIMIT_BID, identifier: 'kept-1' })).body.error.name).toBe(
        'duplicated_identifier',
      );
      expect((await api.del('/order', [['identifier', 'kept-1']])).status).toBe(200);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rate-limit answers are counted', () => {
  it('reports every 429 and 418 it gave, so a test can prove a client never reached a ban', () => {
    const limiter = new RateLimiter({ default: 1 }, 2, 1_000);
    expect(limiter.take('default', T0).allowed).toBe(true);
    expect(limiter.take('default', T0 + 1).banned).toBe(false);
    expect(limiter.take('default', T0 + 2).banned).toBe(true);
    expect(limiter.take('default', T0 + 3).banned).toBe(true);
    expect(limiter.describe()).toMatchObject({ answered429: 1, answered418: 2 });
  });
});
