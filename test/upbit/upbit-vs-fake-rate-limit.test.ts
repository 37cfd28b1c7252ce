import type { HttpTransport } from '../../shared/src/adapters/upbit/rest/http-transport';
import { BTC, type Harness, startHarness } from './support/fake-harness';
import { order } from './support/order-helpers';

interface Seen {
  readonly path: string;
  readonly status: number;
  readonly remainingReq: string | null;
  readonly at: number;
}

/** Records every response's status and `Remaining-Req` header as it leaves the transport. */
function recorder(seen: Seen[]): (inner: HttpTransport) => HttpTransport {
  return (inner) => async (req) => {
    const res = await inner(req);
    seen.push({
      path: new URL(req.url).pathname.replace('/v1', ''),
      status: res.status,
      remainingReq: res.header('remaining-req'),
      at: Date.now(),
    });
    return res;
  };
}

// Contract: the client and the fake agree on the rate-limit groups and the Remaining-Req header; a 429
// pauses the group (≥ 1 s, reads retried, orders never re-sent) so it never escalates to a 418; a 418
// stops every call with a fatal error until the stated ban ends.
describe('Upbit client vs fake exchange: Remaining-Req, 429 and 418', () => {
  let h: Harness;
  beforeAll(async () => {
    // The fake bans after 2 consecutive 429s: a client that retried at once would be banned quickly.
    h = await startHarness({ fake: { banAfter429s: 2 } });
  });
  afterAll(() => h.close());
  // `{}` restores Upbit's limits (`true` would only re-enable the ones last set).
  afterEach(() => h.fake.controls.faults.setRateLimits({}));

  it('reads Remaining-Req of every group the client budgets, with the same group names', async () => {
    const seen: Seen[] = [];
    const c = h.clientWith({ wrapTransport: recorder(seen) });
    await c.quotation.getMarkets();
    await c.quotation.getCandles(BTC, '1m', 1);
    await c.quotation.getTrades(BTC, 1);
    await c.quotation.getTickers([BTC]);
    await c.quotation.getOrderbooks([BTC]);
    await c.quotation.getInstruments([BTC]);
    await c.exchange.getAccounts();
    await c.exchange.testOrder(order(BTC, 'bid', 'limit', { price: '90000000', volume: '0.0001' }));
    await c.exchange.cancelOpenOrders({ pairs: [BTC] });
    const groups = seen.map((s) => /group=([a-z-]+)/.exec(s.remainingReq ?? '')?.[1]);
    expect(groups).toEqual([
      'market',
      'candle',
      'trade',
      'ticker',
      'orderbook',
      'orderbook',
      'default',
      'order-test',
      'order-cancel-all',
    ]);
    for (const s of seen) expect(s.remainingReq).toMatch(/^group=[a-z-]+; min=\d+; sec=\d+$/);
    const snapshot = c.client.limiter.snapshot();
    expect(snapshot.groups.orderbook?.tokens).toBeLessThanOrEqual(8);
  });

  it('waits for the next window when Remaining-Req says sec=0, so a burst earns no 429', async () => {
    h.fake.controls.faults.setRateLimits({ candle: 2 });
    const seen: Seen[] = [];
    const c = h.clientWith({ wrapTransport: recorder(seen) });
    for (let i = 0; i < 5; i++) await c.quotation.getCandles(BTC, '1m', 1);
    expect(seen.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    expect((seen[4]?.at ?? 0) - (seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it('a 429 on a read pauses the group ≥ 1 s, then the read is retried and succeeds (no 418)', async () => {
    h.fake.controls.faults.setRateLimits({ ticker: 0 });
    setTimeout(() => h.fake.controls.faults.setRateLimits({}), 300);
    const seen: Seen[] = [];
    const c = h.clientWith({ wrapTransport: recorder(seen) });
    const tickers = await c.quotation.getTickers([BTC]);
    expect(Array.isArray(tickers)).toBe(true);
    expect(seen.map((s) => s.status)).toEqual([429, 200]);
    expect((seen[1]?.at ?? 0) - (seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('a 429 on an order pauses, looks the identifier up, re-sends it and places it exactly once', async () => {
    h.fake.controls.faults.setRateLimits({ order: 0 });
    setTimeout(() => h.fake.controls.faults.setRateLimits({}), 300);
    const seen: Seen[] = [];
    const c = h.clientWith({ wrapTransport: recorder(seen) });
    const request = order(BTC, 'bid', 'limit', { price: '90000000', volume: '0.0001' });
    const placed = await c.venue.placeOrder(request);
    expect(placed).toMatchObject({ identifier: request.identifier, state: 'wait' });
    const calls = seen.map((s) => `${s.path} ${s.status}`);
    expect(calls).toEqual(['/orders 429', '/order 404', '/orders 201']);
    // The re-send waited out the ≥ 1 s pause after the 429.
    expect((seen[2]?.at ?? 0) - (seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(990);
    const open = await h.venue.listOpenOrders(BTC);
    expect(open.filter((o) => o.identifier === request.identifier)).toHaveLength(1);
  });

  it('an order answered 429 that was placed anyway is found by identifier and never re-sent', async () => {
    const seen: Seen[] = [];
    // A proxy that lost the 201 and answered 429: the order exists although the answer says it does not.
    const lying: (inner: HttpTransport) => HttpTransport = (inner) => async (req) => {
      const res = await inner(req);
      if (req.method !== 'POST' || res.status !== 201) return res;
      return {
        status: 429,
        header: (name) => (name.toLowerCase() === 'remaining-req' ? res.header(name) : null),
        body: '{"error":{"name":"too_many_requests","message":"Too many API requests."}}',
      };
    };
    const c = h.clientWith({ wrapTransport: (inner) => recorder(seen)(lying(inner)) });
    const request = order(BTC, 'bid', 'limit', { price: '90000000', volume: '0.0002' });
    const placed = await c.venue.placeOrder(request);
    expect(placed).toMatchObject({ identifier: request.identifier });
    expect(seen.map((s) => `${s.path} ${s.status}`)).toEqual(['/orders 429', '/order 200']);
    const open = await h.venue.listOpenOrders(BTC);
    expect(open.filter((o) => o.identifier === request.identifier)).toHaveLength(1);
  });

  it('30 orders and 30 reads in parallel earn no 429: the limiter paces from the headers', async () => {
    const seen: Seen[] = [];
    const c = h.clientWith({ wrapTransport: recorder(seen) });
    const orders = Array.from({ length: 30 }, (_, i) =>
      c.venue.placeOrder(
        order(BTC, 'bid', 'limit', { price: String(80_000_000 + i * 1_000), volume: '0.0001' }),
      ),
    );
    const reads = Array.from({ length: 30 }, () => c.exchange.getAccounts());
    await Promise.all([...orders, ...reads]);
    expect(seen.filter((s) => s.status === 429)).toHaveLength(0);
    expect(seen.filter((s) => s.path === '/orders')).toHaveLength(30);
    await c.exchange.cancelOpenOrders({ pairs: [BTC], count: 300 });
  }, 20_000);

  it('a 418 stops every group locally with a fatal rate_limit_banned error for the stated time', async () => {
    const banned = await startHarness({ fake: { banAfter429s: 1, rateLimits: { candle: 0 } } });
    try {
      const seen: Seen[] = [];
      const c = banned.clientWith({ wrapTransport: recorder(seen) });
      await expect(c.quotation.getCandles(BTC, '1m', 1)).rejects.toMatchObject({
        kind: 'fatal',
        code: 'rate_limit_banned',
        status: 418,
      });
      const other = await c.exchange.getAccounts().catch((e: unknown) => e);
      expect(other).toMatchObject({ kind: 'fatal', code: 'rate_limit_banned' });
      expect((other as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThan(5_000);
      expect(seen).toHaveLength(1);
      expect(c.client.limiter.isBanned()).toBe(true);
    } finally {
      await banned.close();
    }
  });
});
