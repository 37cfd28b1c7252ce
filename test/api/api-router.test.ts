import { createApiRouter } from '../../shared/src/application/api/api-router';
import type { HttpRequest } from '../../shared/src/application/api/http-types';
import { T0 } from '../../shared/testing/state-builders';
import { AUTH, apiWorld, TOKEN } from './support/api-world';
import { seedTradingDay } from './support/seed';

function request(method: string, path: string, init: Partial<HttpRequest> = {}): HttpRequest {
  return { method, path, query: {}, headers: {}, ...init };
}

function post(path: string, body: unknown, headers: Record<string, string> = {}): HttpRequest {
  return request('POST', path, {
    headers: { ...AUTH, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    sourceIp: '10.0.0.7',
  });
}

async function setup() {
  const world = apiWorld();
  await seedTradingDay(world, T0);
  const router = createApiRouter(world.deps);
  const call = async (req: HttpRequest) => {
    const res = await router(req);
    return { ...res, json: JSON.parse(res.body) as Record<string, unknown> };
  };
  return { world, call };
}

describe('API router (memory stores)', () => {
  it('answers health without a token and everything else only with the right one', async () => {
    const { call } = await setup();
    expect((await call(request('GET', '/api/health'))).status).toBe(200);
    const none = await call(request('GET', '/api/status'));
    expect(none.status).toBe(401);
    expect(none.json.error).toBe('unauthorized');
    expect(none.headers['www-authenticate']).toContain('Bearer');
    const wrong = await call(
      request('GET', '/api/status', { headers: { authorization: `Bearer ${TOKEN}x` } }),
    );
    expect(wrong.status).toBe(401);
    const basic = await call(request('GET', '/api/status', { headers: { authorization: `Basic ${TOKEN}` } }));
    expect(basic.status).toBe(401);
    const ok = await call(request('GET', '/api/status', { headers: AUTH }));
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ mode: 'paper', exchange: 'sim', tradingState: 'running', latch: null });
    expect(ok.json.executor).toMatchObject({ reported: true, ageMs: 5_000, stale: false, healthy: true });
    expect(ok.json.lastAnalysisAt).toBe(T0 - 40_000);
  });

  it('refuses every protected route when no token is configured at all', async () => {
    const world = apiWorld({ token: null });
    const router = createApiRouter(world.deps);
    const res = await router(
      request('GET', '/api/status', { headers: { authorization: 'Bearer anything' } }),
    );
    expect(res.status).toBe(401);
    expect(world.logger.lines.join('\n')).toContain('QTS_API_TOKEN is not configured');
  });

  it('sends security headers and no-store on every answer', async () => {
    const { call } = await setup();
    const res = await call(request('GET', '/api/health'));
    expect(res.headers).toMatchObject({
      'content-security-policy': expect.stringContaining("default-src 'self'"),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    });
  });

  it('answers 404 and 405 as JSON', async () => {
    const { call } = await setup();
    expect((await call(request('GET', '/api/nope', { headers: AUTH }))).status).toBe(404);
    const wrongMethod = await call(request('GET', '/api/emergency-stop', { headers: AUTH }));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
  });

  it('does not reveal which routes or methods exist without a valid token', async () => {
    const { call } = await setup();
    expect((await call(request('GET', '/api/nope'))).status).toBe(401);
    expect((await call(request('GET', '/api/emergency-stop'))).status).toBe(401);
    expect((await call(request('DELETE', '/api/health'))).status).toBe(401);
    expect((await call(request('GET', '/api/health'))).status).toBe(200);
  });

  it('names the field of a bad body or query (400), refuses big bodies (413) and non-JSON (415)', async () => {
    const { call, world } = await setup();
    const missing = await call(post('/api/emergency-stop', { state: 'halted' }));
    expect(missing.status).toBe(400);
    expect(missing.json.fields).toEqual([expect.objectContaining({ field: 'body.reason' })]);
    const badState = await call(post('/api/emergency-stop', { reason: 'x', state: 'paused' }));
    expect(badState.json.fields).toEqual([expect.objectContaining({ field: 'body.state' })]);
    const unknown = await call(post('/api/trading/stop', { reasn: 'typo' }));
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toContain('reasn');
    const limit = await call(request('GET', '/api/trades', { headers: AUTH, query: { limit: '0' } }));
    expect(limit.status).toBe(400);
    expect(limit.json.fields).toEqual([expect.objectContaining({ field: 'query.limit' })]);
    const big = await call(post('/api/emergency-stop', { reason: 'x'.repeat(20_000) }));
    expect(big.status).toBe(413);
    const text = await call(
      request('POST', '/api/trading/stop', {
        headers: { ...AUTH, 'content-type': 'text/plain' },
        body: 'stop',
      }),
    );
    expect(text.status).toBe(415);
    const broken = await call(
      request('POST', '/api/trading/stop', {
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: '{',
      }),
    );
    expect(broken.status).toBe(400);
    expect(broken.json.error).toBe('invalid_json');
    expect((await world.store.getControl()).tradingEnabled).toBe(true);
    expect(await world.drainControl()).toEqual([]);
  });

  it('emergency stop latches, enqueues the control command, alerts and audits who, when and what', async () => {
    const { call, world } = await setup();
    const res = await call(
      post('/api/emergency-stop', { reason: 'exchange acting up', state: 'halted', actor: 'alice' }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      outcome: 'set',
      latch: { state: 'halted', actor: 'api:alice', trigger: 'manual' },
    });
    expect((await world.store.getControl()).latch).toMatchObject({
      state: 'halted',
      reason: 'exchange acting up',
    });
    const [message] = await world.drainControl();
    expect(message).toMatchObject({
      producer: 'api',
      command: { kind: 'emergency_stop', state: 'halted', actor: 'api:alice', reason: 'exchange acting up' },
    });
    expect(world.notifier.texts()[0]).toContain('긴급 정지');
    const audit = await world.store.listAudit({ limit: 5 });
    expect(audit[0]).toMatchObject({
      actor: 'api:alice',
      action: 'api_request',
      at: T0,
      details: { route: 'emergencyStop', method: 'POST', status: 200, sourceIp: '10.0.0.7' },
    });
    expect(audit.map((a) => a.action)).toContain('emergency_latch');
    const status = await call(request('GET', '/api/status', { headers: AUTH }));
    expect(status.json).toMatchObject({ tradingState: 'halted', latch: { reason: 'exchange acting up' } });
  });

  it('follows the emergency policy: with flattenOnTrigger a manual stop also asks the executor to sell', async () => {
    const world = apiWorld();
    const limits = world.deps.settings.limits;
    const router = createApiRouter({
      ...world.deps,
      settings: {
        ...world.deps.settings,
        limits: { ...limits, emergency: { ...limits.emergency, flattenOnTrigger: true } },
      },
    });
    const res = await router(post('/api/emergency-stop', { reason: 'sell everything' }));
    expect(JSON.parse(res.body)).toMatchObject({ outcome: 'set', command: { kind: 'close_all' } });
    expect(world.notifier.texts()[0]).toContain('보유 자산 청산을 실행기에 요청');
    const halted = await router(post('/api/emergency-stop', { reason: 'worse', state: 'halted' }));
    expect(JSON.parse(halted.body)).toMatchObject({
      outcome: 'escalated',
      latch: { state: 'halted' },
      command: { kind: 'emergency_stop' },
    });
  });

  it('is idempotent per Idempotency-Key: one effect, one command, the first answer replayed', async () => {
    const { call, world } = await setup();
    const key = { 'idempotency-key': 'click-1' };
    const first = await call(post('/api/trading/stop', {}, key));
    await world.clock.advance(1_000);
    const second = await call(post('/api/trading/stop', {}, key));
    expect(second.status).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json).toEqual(first.json);
    const messages = await world.drainControl();
    expect(messages.map((m) => m.command.id)).toEqual(['api-stopTrading-click-1']);
    const audit = (await world.store.listAudit({ limit: 20 })).filter((a) => a.action === 'api_request');
    expect(audit).toHaveLength(1);
    const reused = await call(post('/api/trading/stop', { actor: 'someone-else' }, key));
    expect(reused.status).toBe(422);
    expect(reused.json.error).toBe('idempotency_key_reused');
    const badKey = await call(post('/api/trading/stop', {}, { 'idempotency-key': 'has space' }));
    expect(badKey.status).toBe(400);
    expect(badKey.json.fields).toEqual([expect.objectContaining({ field: 'header.idempotency-key' })]);
  });

  it('stops and starts trading through the switch, which never clears a latch', async () => {
    const { call, world } = await setup();
    await call(post('/api/trading/stop', {}));
    expect((await call(request('GET', '/api/status', { headers: AUTH }))).json.tradingState).toBe('stopped');
    await call(post('/api/emergency-stop', { reason: 'r' }));
    await call(post('/api/trading/start', {}));
    const status = await call(request('GET', '/api/status', { headers: AUTH }));
    expect(status.json).toMatchObject({ tradingState: 'reducing', tradingEnabled: true });
    expect((await world.drainControl()).map((m) => m.command.kind)).toEqual([
      'stop_trading',
      'emergency_stop',
      'start_trading',
    ]);
  });

  it('releases only an existing latch, with the token as the operator credential', async () => {
    const { call, world } = await setup();
    const nothing = await call(post('/api/emergency-stop/release', { reason: 'ok' }));
    expect(nothing.status).toBe(409);
    expect(nothing.json.error).toBe('not_latched');
    await call(post('/api/close-all-positions', { reason: 'flatten', actor: 'bob' }));
    const released = await call(
      post('/api/emergency-stop/release', { reason: 'limits reviewed', actor: 'carol' }),
    );
    expect(released.status).toBe(200);
    expect(released.json).toMatchObject({ released: { state: 'reducing' }, release: { actor: 'api:carol' } });
    expect((await world.store.getControl()).latch).toBeUndefined();
    expect((await world.drainControl()).map((m) => m.command.kind)).toEqual([
      'close_all',
      'release_emergency',
    ]);
    const audit = await world.store.listAudit({ limit: 20 });
    expect(audit.find((a) => a.action === 'emergency_release')).toMatchObject({
      actor: 'api:carol',
      details: { reason: 'limits reviewed' },
    });
    expect(audit.filter((a) => a.action === 'api_request').map((a) => a.details.status)).toEqual([
      200, 200, 409,
    ]);
  });

  it('changes a strategy validated by the config rules, with version checks, and toggles it for the executor', async () => {
    const { call, world } = await setup();
    const patch = (body: unknown, name = 'stat_arb') =>
      call(
        request('PATCH', `/api/strategies/${name}`, {
          headers: { ...AUTH, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
    const cross = await patch({ params: { entryZ: 5 } });
    expect(cross.status).toBe(400);
    expect(cross.json.fields).toEqual([expect.objectContaining({ field: 'body.params.entryZ' })]);
    const unknownParam = await patch({ params: { entryZee: 1 } });
    expect(unknownParam.json.fields).toEqual([expect.objectContaining({ field: 'body.params.entryZee' })]);
    const wrongType = await patch({ params: { lookbackBars: 'many' } });
    expect(wrongType.json.fields).toEqual([expect.objectContaining({ field: 'body.params.lookbackBars' })]);
    expect((await patch({ weight: 1.5 })).json.fields).toEqual([
      expect.objectContaining({ field: 'body.weight' }),
    ]);
    expect((await patch({})).status).toBe(400);
    expect((await patch({ enabled: false }, 'no_such')).status).toBe(404);
    const ok = await patch({ enabled: false, weight: 0.1, params: { entryZ: 2.5 }, expectedVersion: 0 });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({
      name: 'stat_arb',
      enabled: false,
      weight: 0.1,
      version: 1,
      toggle: false,
    });
    expect((ok.json.params as Record<string, unknown>).entryZ).toBe(2.5);
    const stale = await patch({ weight: 0.2, expectedVersion: 0 });
    expect(stale.status).toBe(409);
    expect(stale.json.fields).toEqual([expect.objectContaining({ field: 'body.expectedVersion' })]);
    const [toggle] = await world.drainControl();
    expect(toggle?.command).toMatchObject({ kind: 'toggle_strategy', strategy: 'stat_arb', enabled: false });
    const list = await call(request('GET', '/api/strategies', { headers: AUTH }));
    const statArb = (list.json.strategies as { name: string }[]).find((s) => s.name === 'stat_arb');
    expect(statArb).toMatchObject({ enabled: false, overrides: { entryZ: 2.5 }, updatedBy: 'api:operator' });
  });

  it('serves positions, trades, risk, performance and chart data from the stores', async () => {
    const { call } = await setup();
    const get = async (path: string, query: Record<string, string> = {}) =>
      (await call(request('GET', path, { headers: AUTH, query }))).json;
    const positions = await get('/api/positions');
    expect(positions.positions).toEqual([
      expect.objectContaining({ market: 'KRW-BTC', strategy: 'market_making', volume: '0.002' }),
      expect.objectContaining({ market: 'KRW-ETH', strategy: 'momentum_scalping', volume: '0.05' }),
    ]);
    expect((positions.totals as { unpriced: string[] }).unpriced).toEqual([]);
    const trades = await get('/api/trades', { limit: '2' });
    expect((trades.trades as { fillId: string }[]).map((t) => t.fillId)).toEqual(['f3', 'f2']);
    const risk = await get('/api/risk');
    expect(risk.valueAtRisk).toMatchObject({ confidence: 0.95, horizon: '60m' });
    expect((risk.loss as { periods: unknown[] }).periods).toHaveLength(3);
    const performance = await get('/api/performance', { days: '7' });
    expect(performance).toMatchObject({ days: 7, total: { trades: 1, wins: 1 } });
    expect((performance.byStrategy as unknown[]).length).toBeGreaterThanOrEqual(5);
    const equity = await get('/api/equity', { hours: '24' });
    expect((equity.points as unknown[]).length).toBeGreaterThan(100);
    const chart = await get('/api/markets/KRW-BTC/candles', { limit: '150' });
    expect((chart.candles as unknown[]).length).toBe(150);
    expect((chart.trades as { side: string }[]).map((t) => t.side)).toEqual(['bid', 'ask']);
    expect((await call(request('GET', '/api/markets/btc/candles', { headers: AUTH }))).status).toBe(400);
  });

  it('answers 501 for the live stream where only the router runs (the cloud)', async () => {
    const { call } = await setup();
    expect((await call(request('GET', '/api/events', { headers: AUTH }))).status).toBe(501);
    expect((await call(request('GET', '/api/events'))).status).toBe(401);
  });
});
