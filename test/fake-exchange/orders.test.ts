import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import type { FakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { fixedMarket, T0 } from './support/fixed-market';
import { type SimResponse, simHttp } from './support/sim-http';

let fake: FakeExchange;
let api: ReturnType<typeof simHttp>;

beforeEach(async () => {
  ({ fake } = await fixedMarket());
  api = simHttp(fake);
});
afterEach(() => fake.close());

async function balances(): Promise<Record<string, { balance: string; locked: string }>> {
  const res = await api.get('/accounts');
  expect(res.status).toBe(200);
  const out: Record<string, { balance: string; locked: string }> = {};
  for (const a of res.body) out[a.currency] = { balance: a.balance, locked: a.locked };
  return out;
}

async function place(body: Record<string, string>): Promise<SimResponse> {
  return api.post('/orders', { market: 'KRW-BTC', ...body });
}

async function order(uuid: string): Promise<SimResponse['body']> {
  const res = await api.get('/order', [['uuid', uuid]]);
  expect(res.status).toBe(200);
  return res.body;
}

describe('fake exchange over HTTP: order types and their end states', () => {
  it('limit bid rests in wait with KRW locked; cancel answers wait, then the order is cancel and funds return', async () => {
    const placed = await place({ side: 'bid', volume: '0.01', price: '150000000', ord_type: 'limit' });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ state: 'wait', locked: '1500750', reserved_fee: '750' });
    expect(await balances()).toMatchObject({ KRW: { balance: '8499250', locked: '1500750' } });
    const open = await api.get('/orders/open', [['market', 'KRW-BTC']]);
    expect(open.body.map((o: { uuid: string }) => o.uuid)).toEqual([placed.body.uuid]);

    const cancel = await api.del('/order', [['uuid', placed.body.uuid]]);
    expect(cancel.status).toBe(200);
    expect(cancel.body.state).toBe('wait');
    expect((await order(placed.body.uuid)).state).toBe('cancel');
    expect(await balances()).toMatchObject({ KRW: { balance: '10000000', locked: '0' } });
    const again = await api.del('/order', [['uuid', placed.body.uuid]]);
    expect(again.status).toBe(404);
    expect(again.body.error.name).toBe('order_not_found');
    const closed = await api.get('/orders/closed', [['market', 'KRW-BTC']]);
    expect(closed.body.map((o: { state: string }) => o.state)).toEqual(['cancel']);
  });

  it('crossing limit bid fills at the maker price, pays the 0.05 % taker fee and returns the price improvement', async () => {
    const placed = await place({ side: 'bid', volume: '0.02', price: '150200000', ord_type: 'limit' });
    expect(placed.status).toBe(201);
    expect(placed.body.state).toBe('wait');
    const o = await order(placed.body.uuid);
    expect(o).toMatchObject({
      state: 'done',
      executed_volume: '0.02',
      remaining_volume: '0',
      paid_fee: '1501',
    });
    expect(o.trades).toEqual([
      expect.objectContaining({
        price: '150100000',
        volume: '0.02',
        funds: '3002000',
        trend: 'up',
        side: 'bid',
      }),
    ]);
    expect(await balances()).toEqual({
      KRW: { balance: '6996499', locked: '0' },
      BTC: { balance: '1.02', locked: '0' },
    });
  });

  it('resting bid fills as maker when a public trade crosses it (fixture numbers)', async () => {
    const placed = await place({
      side: 'bid',
      volume: '0.002',
      price: '150000000',
      ord_type: 'limit',
      identifier: 'syn-0001',
    });
    fake.controls.trade('KRW-BTC', '150000000', '0.0005', 'ask');
    const o = (await api.get('/order', [['identifier', 'syn-0001']])).body;
    expect(o).toMatchObject({
      uuid: placed.body.uuid,
      state: 'wait',
      remaining_volume: '0.0015',
      remaining_fee: '112.5',
      paid_fee: '37.5',
      locked: '225112.5',
    });
    expect(o.trades[0]).toMatchObject({ funds: '75000', trend: 'down' });
  });

  it('ioc sells what the book holds at the limit and cancels the rest', async () => {
    fake.controls.setBalance('BTC', '2');
    const placed = await place({
      side: 'ask',
      volume: '1.5',
      price: '149900000',
      ord_type: 'limit',
      time_in_force: 'ioc',
    });
    expect(placed.status).toBe(201);
    expect(await order(placed.body.uuid)).toMatchObject({
      state: 'cancel',
      executed_volume: '1',
      remaining_volume: '0.5',
      paid_fee: '74950',
    });
    expect(await balances()).toEqual({
      KRW: { balance: '159825050', locked: '0' },
      BTC: { balance: '1', locked: '0' },
    });
  });

  it('fok is all or nothing', async () => {
    fake.controls.setBalance('BTC', '2');
    const none = await place({
      side: 'ask',
      volume: '1.5',
      price: '149900000',
      ord_type: 'limit',
      time_in_force: 'fok',
    });
    expect(await order(none.body.uuid)).toMatchObject({ state: 'cancel', executed_volume: '0' });
    const all = await place({
      side: 'ask',
      volume: '0.5',
      price: '149900000',
      ord_type: 'limit',
      time_in_force: 'fok',
    });
    expect(await order(all.body.uuid)).toMatchObject({ state: 'done', executed_volume: '0.5' });
  });

  it('post_only that would take is accepted then cancelled with nothing executed; one that would not rests', async () => {
    const taking = await place({
      side: 'bid',
      volume: '0.01',
      price: '150100000',
      ord_type: 'limit',
      time_in_force: 'post_only',
    });
    expect(taking.status).toBe(201);
    expect(await order(taking.body.uuid)).toMatchObject({ state: 'cancel', executed_volume: '0' });
    expect(await balances()).toMatchObject({ KRW: { balance: '10000000', locked: '0' } });
    const resting = await place({
      side: 'bid',
      volume: '0.01',
      price: '150000000',
      ord_type: 'limit',
      time_in_force: 'post_only',
    });
    expect(await order(resting.body.uuid)).toMatchObject({ state: 'wait', time_in_force: 'post_only' });
  });

  it('market buy by KRW amount ends cancel with the floored volume executed (no volume fields)', async () => {
    const placed = await place({ side: 'bid', price: '10000', ord_type: 'price' });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ state: 'wait', price: '10000', locked: '10005' });
    expect(placed.body.volume).toBeUndefined();
    const o = await order(placed.body.uuid);
    expect(o).toMatchObject({ state: 'cancel', executed_volume: '0.00006662', paid_fee: '4.999831' });
    expect(o.trades[0].funds).toBe('9999.662');
  });

  it('market sell ends done and pays the fee from the proceeds', async () => {
    const placed = await place({ side: 'ask', volume: '0.0005', ord_type: 'market' });
    expect(await order(placed.body.uuid)).toMatchObject({ state: 'done', paid_fee: '37.475' });
    expect(await balances()).toEqual({
      KRW: { balance: '10074912.525', locked: '0' },
      BTC: { balance: '0.9995', locked: '0' },
    });
  });

  it('best orders trade at the best opposite quote with ioc/fok', async () => {
    const bid = await place({ side: 'bid', price: '10000', ord_type: 'best', time_in_force: 'ioc' });
    expect(await order(bid.body.uuid)).toMatchObject({ state: 'cancel', executed_volume: '0.00006662' });
    const ask = await place({ side: 'ask', volume: '0.5', ord_type: 'best', time_in_force: 'fok' });
    const o = await order(ask.body.uuid);
    expect(o).toMatchObject({ state: 'done', executed_volume: '0.5' });
    expect(o.trades[0].price).toBe('149900000');
  });
});

describe('fake exchange over HTTP: rejections with Upbit error names', () => {
  const cases: [string, string, Record<string, string>][] = [
    [
      'price off the tick grid',
      'invalid_price_bid',
      { side: 'bid', volume: '0.01', price: '150000500', ord_type: 'limit' },
    ],
    [
      'total under 5,000 KRW',
      'under_min_total_bid',
      { side: 'bid', volume: '0.00001', price: '150000000', ord_type: 'limit' },
    ],
    [
      'volume with 9 decimals',
      'invalid_volume_bid',
      { side: 'bid', volume: '0.012345678', price: '150000000', ord_type: 'limit' },
    ],
    [
      'not enough KRW',
      'insufficient_funds_bid',
      { side: 'bid', volume: '0.1', price: '150000000', ord_type: 'limit' },
    ],
    [
      'not enough BTC',
      'insufficient_funds_ask',
      { side: 'ask', volume: '5', price: '150000000', ord_type: 'limit' },
    ],
    [
      'unknown side',
      'validation_error',
      { side: 'buy', volume: '0.01', price: '150000000', ord_type: 'limit' },
    ],
    [
      'price on a market sell',
      'create_ask_error',
      { side: 'ask', volume: '0.01', price: '150000000', ord_type: 'market' },
    ],
    ['best without ioc/fok', 'invalid_time_in_force', { side: 'bid', price: '10000', ord_type: 'best' }],
  ];
  it.each(cases)('%s → 400 %s', async (_what, name, body) => {
    const res = await place(body);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe(name);
    expect(typeof res.body.error.message).toBe('string');
  });

  it('unknown market → notfoundmarket', async () => {
    const res = await api.post('/orders', {
      market: 'KRW-NOPE',
      side: 'bid',
      volume: '1',
      price: '1000',
      ord_type: 'limit',
    });
    expect([res.status, res.body.error.name]).toEqual([400, 'notfoundmarket']);
  });

  it('an identifier is unique forever: reused after success, after a refusal and after a cancel', async () => {
    const body = { side: 'bid', volume: '0.01', price: '150000000', ord_type: 'limit' };
    const first = await place({ ...body, identifier: 'dup-1' });
    expect(first.status).toBe(201);
    const dup = await place({ ...body, identifier: 'dup-1' });
    expect([dup.status, dup.body.error.name]).toEqual([400, 'duplicated_identifier']);
    await api.del('/order', [['identifier', 'dup-1']]);
    expect((await place({ ...body, identifier: 'dup-1' })).body.error.name).toBe('duplicated_identifier');
    const refused = await place({ ...body, volume: '1', identifier: 'burn-1' });
    expect(refused.body.error.name).toBe('insufficient_funds_bid');
    expect((await place({ ...body, identifier: 'burn-1' })).body.error.name).toBe('duplicated_identifier');
  });

  it('/orders/test validates without placing or burning the identifier', async () => {
    const test = await api.post('/orders/test', {
      market: 'KRW-BTC',
      side: 'bid',
      volume: '0.01',
      price: '150000000',
      ord_type: 'limit',
      identifier: 'dry-1',
    });
    expect(test.status).toBe(201);
    expect(await balances()).toMatchObject({ KRW: { balance: '10000000', locked: '0' } });
    expect(
      (
        await place({
          side: 'bid',
          volume: '0.01',
          price: '150000000',
          ord_type: 'limit',
          identifier: 'dry-1',
        })
      ).status,
    ).toBe(201);
  });
});

describe('fake exchange over HTTP: rate limits', () => {
  it('sends Remaining-Req per group and answers 429 past the limit until the window turns', async () => {
    await fake.close();
    const clock = new ManualClock(T0);
    const m = await fixedMarket({ rateLimits: { order: 2 }, clock, rateClock: clock });
    fake = m.fake;
    api = simHttp(fake);
    const body = { side: 'bid', volume: '0.001', price: '150000000', ord_type: 'limit' };
    const r1 = await place(body);
    expect(r1.headers.get('remaining-req')).toBe('group=order; min=1800; sec=1');
    expect((await place(body)).headers.get('remaining-req')).toBe('group=order; min=1800; sec=0');
    const limited = await place(body);
    expect(limited.status).toBe(429);
    expect(limited.body.error.name).toBe('too_many_requests');
    expect(limited.headers.get('remaining-req')).toBe('group=order; min=1800; sec=0');
    const quote = await api.get('/ticker', [['markets', 'KRW-BTC']], { unsigned: true });
    expect(quote.headers.get('remaining-req')).toMatch(/^group=ticker; min=600; sec=\d$/);
    await clock.advance(1_000);
    expect((await place(body)).status).toBe(201);
  });

  it('bans with 418 after the configured number of consecutive 429s', async () => {
    await fake.close();
    const clock = new ManualClock(T0);
    const m = await fixedMarket({ rateLimits: { default: 1 }, banAfter429s: 2, clock, rateClock: clock });
    fake = m.fake;
    api = simHttp(fake);
    expect((await api.get('/accounts')).status).toBe(200);
    expect((await api.get('/accounts')).status).toBe(429);
    const banned = await api.get('/accounts');
    expect(banned.status).toBe(418);
    expect(banned.body.error.message).toMatch(/Blocked for \d+ seconds/);
  });
});
