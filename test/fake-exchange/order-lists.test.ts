import type { FakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { fixedMarket } from './support/fixed-market';
import { simHttp } from './support/sim-http';

let fake: FakeExchange;
let api: ReturnType<typeof simHttp>;

beforeEach(async () => {
  ({ fake } = await fixedMarket());
  api = simHttp(fake);
});
afterEach(() => fake.close());

async function restingBid(price: string, identifier: string): Promise<string> {
  const res = await api.post('/orders', {
    market: 'KRW-BTC',
    side: 'bid',
    volume: '0.001',
    price,
    ord_type: 'limit',
    identifier,
  });
  expect(res.status).toBe(201);
  return res.body.uuid;
}

describe('fake exchange over HTTP: order lists, batch cancel, cancel_and_new', () => {
  it('lists by uuids/identifiers, open newest first, and batch-cancels by uuids', async () => {
    const a = await restingBid('149000000', 'list-a');
    const b = await restingBid('148000000', 'list-b');
    const byIds = await api.get('/orders/uuids', [
      ['identifiers[]', 'list-a'],
      ['identifiers[]', 'list-b'],
    ]);
    expect(byIds.body.map((o: { uuid: string }) => o.uuid)).toEqual([b, a]);
    expect(byIds.body[0].trades).toBeUndefined();
    const cancelled = await api.del('/orders/uuids', [
      ['uuids[]', a],
      ['uuids[]', 'no-such-uuid'],
    ]);
    expect(cancelled.body.success).toEqual({
      count: 1,
      orders: [{ uuid: a, market: 'KRW-BTC', identifier: 'list-a' }],
    });
    const open = await api.get('/orders/open');
    expect(open.body.map((o: { uuid: string }) => o.uuid)).toEqual([b]);
  });

  it('DELETE /orders/open cancels every open order of a side (its own 1-per-2s group)', async () => {
    await restingBid('149000000', 'all-a');
    await restingBid('148000000', 'all-b');
    const res = await api.del('/orders/open', [['cancel_side', 'bid']]);
    expect(res.body.success.count).toBe(2);
    expect(res.headers.get('remaining-req')).toBe('group=order-cancel-all; min=1800; sec=0');
    expect((await api.get('/orders/open')).body).toEqual([]);
    expect((await api.get('/accounts')).body[0]).toMatchObject({ balance: '10000000', locked: '0' });
  });

  it('cancel_and_new cancels the old order and places the new one with the same market and side', async () => {
    const old = await restingBid('149000000', 'cn-old');
    const res = await api.post('/orders/cancel_and_new', {
      prev_order_uuid: old,
      new_ord_type: 'limit',
      new_price: '149500000',
      new_volume: 'remain_only',
      new_identifier: 'cn-new',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ uuid: old, state: 'wait', new_order_identifier: 'cn-new' });
    expect((await api.get('/order', [['uuid', old]])).body.state).toBe('cancel');
    expect((await api.get('/order', [['identifier', 'cn-new']])).body).toMatchObject({
      state: 'wait',
      price: '149500000',
      volume: '0.001',
    });
  });
});
