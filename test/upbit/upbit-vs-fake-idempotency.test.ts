import type { HttpTransport } from '../../shared/src/adapters/upbit/rest/http-transport';
import type { PlaceOrderRequest } from '../../shared/src/ports/trading-venue';
import { BTC, BTC_BOOK, type Harness, startHarness } from './support/fake-harness';
import { freshId, order } from './support/order-helpers';

// Contract: refusals carry Upbit's names (and the domain's pre-validation uses the very same names),
// `duplicated_identifier` means "already placed", and a placement whose answer is lost is found by
// identifier instead of being sent twice.
describe('Upbit client vs fake exchange: rejections, duplicated identifier, lost answers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.fake.controls.setBook(BTC, BTC_BOOK);
  });

  const refusals: [string, string, PlaceOrderRequest][] = [
    [
      'price off the tick grid',
      'invalid_price_bid',
      order(BTC, 'bid', 'limit', { price: '100000500', volume: '0.001' }),
    ],
    [
      'total under 5,000 KRW',
      'under_min_total_bid',
      order(BTC, 'bid', 'limit', { price: '90000000', volume: '0.00005' }),
    ],
    [
      'volume with 9 decimals',
      'invalid_volume_ask',
      order(BTC, 'ask', 'limit', { price: '110000000', volume: '0.000100001' }),
    ],
    ['best without ioc/fok', 'invalid_time_in_force', order(BTC, 'bid', 'best', { price: '10000' })],
    [
      'volume on a market buy',
      'create_bid_error',
      order(BTC, 'bid', 'price', { price: '10000', volume: '0.001' }),
    ],
  ];

  it.each(refusals)(
    '%s: the fake refuses with %s, kept by the client as a rejected error',
    async (_what, name, request) => {
      await expect(h.venue.placeOrder({ ...request, identifier: freshId('refuse') })).rejects.toMatchObject({
        kind: 'rejected',
        code: name,
        status: 400,
      });
    },
  );

  it.each(refusals)(
    '%s: pre-validation refuses with the same name (%s) without sending anything',
    async (_what, name, request) => {
      let sent = 0;
      const counting =
        (inner: HttpTransport): HttpTransport =>
        (req) => {
          sent += 1;
          return inner(req);
        };
      const strict = h.clientWith({ venue: { preValidate: true }, wrapTransport: counting });
      await expect(strict.venue.placeOrder({ ...request, identifier: freshId('pre') })).rejects.toMatchObject(
        {
          kind: 'rejected',
          code: name,
        },
      );
      expect(sent).toBe(0);
    },
  );

  it('insufficient funds on either side', async () => {
    await expect(
      h.venue.placeOrder(order(BTC, 'bid', 'limit', { price: '99000000', volume: '1' })),
    ).rejects.toMatchObject({ kind: 'rejected', code: 'insufficient_funds_bid' });
    await expect(
      h.venue.placeOrder(order(BTC, 'ask', 'limit', { price: '110000000', volume: '5' })),
    ).rejects.toMatchObject({ kind: 'rejected', code: 'insufficient_funds_ask' });
  });

  it('placing the same identifier twice returns the existing order, never a second one', async () => {
    const request = order(BTC, 'bid', 'limit', { price: '90000000', volume: '0.0001' });
    const first = await h.venue.placeOrder(request);
    const again = await h.venue.placeOrder(request);
    expect(again.uuid).toBe(first.uuid);
    const same = await h.exchange.getOrders({ identifiers: [request.identifier] });
    expect(same).toHaveLength(1);
    await h.venue.cancelOrder({ identifier: request.identifier });
  });

  it('an identifier burnt by a refused request stays refused as duplicated_identifier (rejected)', async () => {
    const id = freshId('burnt');
    await expect(
      h.venue.placeOrder(order(BTC, 'bid', 'limit', { price: '100000500', volume: '0.001', identifier: id })),
    ).rejects.toMatchObject({ code: 'invalid_price_bid' });
    await expect(
      h.venue.placeOrder(order(BTC, 'bid', 'limit', { price: '90000000', volume: '0.0001', identifier: id })),
    ).rejects.toMatchObject({ kind: 'rejected', code: 'duplicated_identifier' });
  });

  it('answer lost after the fake accepted the order: the venue finds it by identifier and returns it', async () => {
    const quick = h.clientWith({ timeoutMs: 300 });
    h.fake.controls.faults.timeoutAfterAccept(1);
    const request = order(BTC, 'bid', 'limit', { price: '90000000', volume: '0.0001' });
    const placed = await quick.venue.placeOrder(request);
    expect(placed.identifier).toBe(request.identifier);
    expect(await h.exchange.getOrders({ identifiers: [request.identifier] })).toHaveLength(1);
    await h.venue.cancelOrder({ uuid: placed.uuid });
  });

  it('5xx before anything happened: looked up (absent), re-sent with the same identifier, placed once', async () => {
    h.fake.controls.faults.failNext(1, 503);
    const request = order(BTC, 'bid', 'limit', { price: '90000000', volume: '0.0001' });
    const placed = await h.venue.placeOrder(request);
    expect(placed.state).toBe('wait');
    expect(await h.exchange.getOrders({ identifiers: [request.identifier] })).toHaveLength(1);
    await h.venue.cancelOrder({ uuid: placed.uuid });
  });

  it('5xx on a read is a retryable server error keeping the status', async () => {
    h.fake.controls.faults.failNext(1, 500);
    await expect(h.venue.getBalances()).rejects.toMatchObject({ kind: 'retryable', status: 500 });
  });

  it('a request that never gets an answer times out as retryable', async () => {
    const slow = h.clientWith({ timeoutMs: 150 });
    h.fake.controls.faults.setLatencyMs(1_000);
    try {
      await expect(slow.venue.getBalances()).rejects.toMatchObject({ kind: 'retryable', code: 'timeout' });
    } finally {
      h.fake.controls.faults.setLatencyMs(0);
    }
  });
});
