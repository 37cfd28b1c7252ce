import { ZERO } from '../../shared/src/domain/money/decimal';
import { BTC, BTC_BOOK, type Harness, startHarness } from './support/fake-harness';
import { holding, order, text } from './support/order-helpers';

// Contract: every order type reaches Upbit's end state through the real client over HTTP, with exact
// locked amounts, balances and 0.05 % fees, and the cancel flow returns `wait` before turning `cancel`.
describe('Upbit client vs fake exchange: order types, end states, balances and fees', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.fake.controls.setBook(BTC, BTC_BOOK);
  });

  it('reads fees and limits from /orders/chance', async () => {
    const chance = await h.exchange.getOrderChance(BTC);
    expect(text(chance.bidFee)).toBe('0.0005');
    expect(text(chance.askFee)).toBe('0.0005');
    expect(text(chance.minTotalBid)).toBe('5000');
    expect(chance.bidTypes).toContain('price');
  });

  it('resting limit bid: wait, KRW locked incl. fee; cancel answers wait then the order is cancel and funds return', async () => {
    const before = holding(await h.venue.getBalances(), 'KRW');
    const placed = await h.venue.placeOrder(
      order(BTC, 'bid', 'limit', { price: '95000000', volume: '0.001' }),
    );
    expect(placed.state).toBe('wait');
    expect(text(placed.locked)).toBe('95047.5');
    expect(text(placed.reservedFee)).toBe('47.5');
    const during = holding(await h.venue.getBalances(), 'KRW');
    expect(text(before.balance.minus(during.balance))).toBe('95047.5');
    expect(text(during.locked.minus(before.locked))).toBe('95047.5');
    expect((await h.venue.listOpenOrders(BTC)).map((o) => o.uuid)).toContain(placed.uuid);

    const cancelling = await h.venue.cancelOrder({ uuid: placed.uuid });
    expect(cancelling.state).toBe('wait');
    const after = await h.venue.getOrder({ identifier: placed.identifier ?? '' });
    expect(after?.state).toBe('cancel');
    expect(text(holding(await h.venue.getBalances(), 'KRW').balance)).toBe(text(before.balance));
    await expect(h.venue.cancelOrder({ uuid: placed.uuid })).rejects.toMatchObject({
      kind: 'rejected',
      code: 'order_not_found',
    });
  });

  it('crossing limit bid: done at the maker price with fee 0.05 % of funds; BTC credited', async () => {
    const btcBefore = holding(await h.venue.getBalances(), 'BTC').balance;
    const placed = await h.venue.placeOrder(
      order(BTC, 'bid', 'limit', { price: '100000000', volume: '0.001' }),
    );
    const done = await h.venue.getOrder({ uuid: placed.uuid });
    expect(done?.state).toBe('done');
    expect(text(done?.executedVolume)).toBe('0.001');
    expect(text(done?.paidFee)).toBe('50');
    expect(done?.trades?.map((t) => [text(t.price), text(t.funds)])).toEqual([['100000000', '100000']]);
    expect(text(holding(await h.venue.getBalances(), 'BTC').balance.minus(btcBefore))).toBe('0.001');
  });

  it('resting limit ask locks the base volume', async () => {
    const placed = await h.venue.placeOrder(
      order(BTC, 'ask', 'limit', { price: '105000000', volume: '0.002' }),
    );
    expect(placed.state).toBe('wait');
    expect(text(placed.locked)).toBe('0.002');
    expect(text(holding(await h.venue.getBalances(), 'BTC').locked)).toBe('0.002');
    await h.venue.cancelOrder({ uuid: placed.uuid });
  });

  it('limit ioc fills what it can and ends cancel; fok all-or-nothing', async () => {
    const ioc = await h.venue.placeOrder(
      order(BTC, 'bid', 'limit', { price: '100000000', volume: '0.02', tif: 'ioc' }),
    );
    const iocEnd = await h.venue.getOrder({ uuid: ioc.uuid });
    expect(iocEnd?.state).toBe('cancel');
    expect(text(iocEnd?.executedVolume)).toBe('0.01');

    h.fake.controls.setBook(BTC, BTC_BOOK);
    const fokMiss = await h.venue.placeOrder(
      order(BTC, 'bid', 'limit', { price: '100000000', volume: '0.02', tif: 'fok' }),
    );
    const missEnd = await h.venue.getOrder({ uuid: fokMiss.uuid });
    expect([missEnd?.state, text(missEnd?.executedVolume)]).toEqual(['cancel', '0']);
    const fokHit = await h.venue.placeOrder(
      order(BTC, 'bid', 'limit', { price: '100000000', volume: '0.005', tif: 'fok' }),
    );
    expect((await h.venue.getOrder({ uuid: fokHit.uuid }))?.state).toBe('done');
  });

  it('post_only that would take ends cancel with nothing executed (the venue re-reads it); one that rests waits', async () => {
    const taking = await h.venue.placeOrder(
      order(BTC, 'bid', 'limit', { price: '100000000', volume: '0.001', tif: 'post_only' }),
    );
    expect([taking.state, text(taking.executedVolume)]).toEqual(['cancel', '0']);
    const resting = await h.venue.placeOrder(
      order(BTC, 'bid', 'limit', { price: '99500000', volume: '0.001', tif: 'post_only' }),
    );
    expect(resting.state).toBe('wait');
    await h.venue.cancelOrder({ uuid: resting.uuid });
  });

  it('market buy by KRW amount has no volume and ends cancel with executed volume when dust is left', async () => {
    const placed = await h.venue.placeOrder(order(BTC, 'bid', 'price', { price: '1500000' }));
    expect(placed.volume).toBeUndefined();
    const end = await h.venue.getOrder({ uuid: placed.uuid });
    expect(end?.state).toBe('cancel');
    expect(text(end?.executedVolume)).toBe('0.01495049');
    expect(end?.trades).toHaveLength(2);
    const funds = (end?.trades ?? []).reduce((sum, t) => sum.plus(t.funds), ZERO);
    expect(text(end?.paidFee)).toBe(text(funds.times('0.0005')));
  });

  it('market sell by volume ends done and credits KRW minus the fee', async () => {
    const krwBefore = holding(await h.venue.getBalances(), 'KRW').balance;
    const placed = await h.venue.placeOrder(order(BTC, 'ask', 'market', { volume: '0.001' }));
    const end = await h.venue.getOrder({ uuid: placed.uuid });
    expect([end?.state, text(end?.executedVolume), text(end?.paidFee)]).toEqual(['done', '0.001', '49.5']);
    expect(text(holding(await h.venue.getBalances(), 'KRW').balance.minus(krwBefore))).toBe('98950.5');
  });

  it('best bid (ioc, KRW total) and best ask (fok, volume) execute at the best opposite quote', async () => {
    const bid = await h.venue.placeOrder(order(BTC, 'bid', 'best', { price: '50000', tif: 'ioc' }));
    const bidEnd = await h.venue.getOrder({ uuid: bid.uuid });
    expect(['done', 'cancel']).toContain(bidEnd?.state);
    expect(text(bidEnd?.executedVolume)).toBe('0.0005');
    const ask = await h.venue.placeOrder(order(BTC, 'ask', 'best', { volume: '0.001', tif: 'fok' }));
    const askEnd = await h.venue.getOrder({ uuid: ask.uuid });
    expect([askEnd?.state, askEnd?.trades?.[0]?.price.toFixed()]).toEqual(['done', '99000000']);
  });

  it('lists closed orders and reads several by uuid', async () => {
    const a = await h.venue.placeOrder(order(BTC, 'ask', 'market', { volume: '0.0001' }));
    const b = await h.venue.placeOrder(order(BTC, 'bid', 'limit', { price: '90000000', volume: '0.0001' }));
    const closed = await h.exchange.getClosedOrders({ market: BTC, states: ['done'] });
    expect(closed.map((o) => o.uuid)).toContain(a.uuid);
    const both = await h.exchange.getOrders({ uuids: [a.uuid, b.uuid] });
    expect(both.map((o) => o.uuid).sort()).toEqual([a.uuid, b.uuid].sort());
    const open = await h.exchange.getOpenOrders({ market: BTC });
    expect(open.every((o) => o.state === 'wait' || o.state === 'watch')).toBe(true);
  });

  it('batch-cancels by identifiers and by filters', async () => {
    const one = await h.venue.placeOrder(order(BTC, 'bid', 'limit', { price: '90000000', volume: '0.0001' }));
    const two = await h.venue.placeOrder(order(BTC, 'bid', 'limit', { price: '91000000', volume: '0.0001' }));
    const byIds = await h.exchange.cancelOrders({ identifiers: [one.identifier ?? ''] });
    expect(byIds.success.map((r) => r.uuid)).toEqual([one.uuid]);
    const all = await h.exchange.cancelOpenOrders({ cancelSide: 'bid', pairs: [BTC] });
    expect(all.success.map((r) => r.uuid)).toContain(two.uuid);
    expect(await h.venue.listOpenOrders(BTC)).toEqual([]);
  });
});
