import { BTC, BTC_BOOK, type Harness, startHarness } from './support/fake-harness';
import { order } from './support/order-helpers';
import { isEvent, type RecordedStream, recordStream } from './support/stream-helpers';

// Contract: the real WebSocket client and the fake agree on subscribe → snapshot → realtime for every
// public stream (binary frames, DEFAULT and SIMPLE), on the private myOrder/myAsset streams with a JWT
// upgrade, on keep-alive pings, and on reconnect + resubscribe + REST resync after a dropped socket.
describe('Upbit client vs fake exchange: WebSocket', () => {
  let h: Harness;
  let s: RecordedStream | undefined;
  beforeAll(async () => {
    h = await startHarness({ fake: { idleTimeoutMs: 600 } });
    h.fake.controls.trade(BTC, '100000000', '0.002', 'bid');
  });
  afterEach(async () => {
    await s?.stream.stop();
    s = undefined;
    h.fake.controls.setBook(BTC, BTC_BOOK);
  });
  afterAll(() => h.close());

  it('subscribes to ticker, trade, orderbook with depth and candles: one SNAPSHOT each, then REALTIME', async () => {
    s = recordStream(h);
    s.stream.subscribe({
      ticker: [BTC],
      trade: [BTC],
      orderbook: { markets: [BTC], depth: 1 },
      candle: { markets: [BTC], timeframe: '1m' },
    });
    await s.stream.start();
    const snap = { from: 0 };
    const ticker = await s.next(
      isEvent('ticker', (e) => e.streamType === 'SNAPSHOT'),
      snap,
    );
    expect(ticker.ticker).toMatchObject({ market: BTC, tradePrice: 100000000 });
    const trade = await s.next(
      isEvent('trade', (e) => e.streamType === 'SNAPSHOT'),
      snap,
    );
    expect(trade.trade).toMatchObject({ market: BTC, price: 100000000, volume: 0.002, takerSide: 'bid' });
    const book = await s.next(
      isEvent('orderbook', (e) => e.streamType === 'SNAPSHOT'),
      snap,
    );
    expect(book.book.asks).toEqual([{ price: 100000000, size: 0.01 }]);
    expect(book.book.bids).toEqual([{ price: 99000000, size: 0.5 }]);
    const candle = await s.next(
      isEvent('candle', (e) => e.streamType === 'SNAPSHOT'),
      snap,
    );
    expect(candle.candle).toMatchObject({ market: BTC, timeframe: '1m', close: 100000000 });

    const mark = s.events.length;
    h.fake.controls.trade(BTC, '99500000', '0.003', 'ask');
    const live = await s.next(
      isEvent('trade', (e) => e.streamType === 'REALTIME'),
      { from: mark },
    );
    expect(live.trade).toMatchObject({ price: 99500000, volume: 0.003, takerSide: 'ask' });
    await s.next(
      isEvent('ticker', (e) => e.streamType === 'REALTIME' && e.ticker.tradePrice === 99500000),
      { from: mark },
    );
    await s.next(
      isEvent('candle', (e) => e.streamType === 'REALTIME' && e.candle.low === 99500000),
      { from: mark },
    );
    h.fake.controls.setBook(BTC, { bids: [['98500000', '2']], asks: [['100500000', '3']] });
    const liveBook = await s.next(
      isEvent('orderbook', (e) => e.streamType === 'REALTIME' && e.book.asks[0]?.price === 100500000),
      { from: mark },
    );
    expect(liveBook.book.bids).toEqual([{ price: 98500000, size: 2 }]);
    expect(s.stream.counters().framesRejected).toBe(0);
  });

  it('decodes the SIMPLE format the same way', async () => {
    s = recordStream(h, { format: 'SIMPLE' });
    s.stream.subscribe({ trade: [BTC], orderbook: { markets: [BTC], depth: 5 } });
    await s.stream.start();
    await s.next(isEvent('orderbook', (e) => e.book.asks[0]?.price === 100000000));
    const mark = s.events.length;
    h.fake.controls.trade(BTC, '100000000', '0.001', 'bid');
    const live = await s.next(
      isEvent('trade', (e) => e.streamType === 'REALTIME'),
      { from: mark },
    );
    expect(live.trade).toMatchObject({ market: BTC, price: 100000000, takerSide: 'bid' });
  });

  it('streams myOrder and myAsset over the JWT-authenticated private socket', async () => {
    s = recordStream(h);
    s.stream.subscribe({ myOrder: true, myAsset: true });
    await s.stream.start();
    await s.next(isEvent('connection', (e) => e.channel === 'private' && e.state === 'open'));
    await new Promise((r) => setTimeout(r, 100));
    const request = order(BTC, 'bid', 'limit', { price: '90000000', volume: '0.0001' });
    const placed = await h.venue.placeOrder(request);
    const event = await s.next(isEvent('myOrder', (e) => e.order.uuid === placed.uuid));
    expect(event.order).toMatchObject({
      identifier: request.identifier,
      side: 'bid',
      ordType: 'limit',
      state: 'wait',
    });
    expect(event.order.price?.toFixed()).toBe('90000000');
    const asset = await s.next(
      isEvent('myAsset', (e) => e.assets.some((a) => a.currency === 'KRW' && a.locked.gt(0))),
    );
    expect(asset.assets.find((a) => a.currency === 'KRW')?.locked.toFixed()).toBe('9004.5');
    await h.venue.cancelOrder({ uuid: placed.uuid });
    await s.next(isEvent('myOrder', (e) => e.order.uuid === placed.uuid && e.order.state === 'cancel'));
  });

  it('keeps an idle subscription alive with pings inside the server idle timeout (600 ms here)', async () => {
    s = recordStream(h);
    s.stream.subscribe({ ticker: [BTC] });
    await s.stream.start();
    await new Promise((r) => setTimeout(r, 1_500));
    const counts = s.stream.connectionCounts().public;
    expect(counts.pingsSent).toBeGreaterThan(5);
    expect(counts.pongs).toBeGreaterThan(5);
    expect(s.stream.counters().reconnects).toBe(0);
  });

  it('reconnects after a dropped socket with jitter, resubscribes and resyncs books, tickers, orders and balances from REST', async () => {
    s = recordStream(h);
    s.stream.subscribe({ ticker: [BTC], trade: [BTC], orderbook: { markets: [BTC] }, myOrder: true });
    await s.stream.start();
    await s.next(isEvent('orderbook'));
    await s.next(isEvent('connection', (e) => e.channel === 'private' && e.state === 'open'));
    const mark = s.events.length;
    h.fake.controls.faults.dropWebSockets();
    await s.next(
      isEvent('connection', (e) => e.channel === 'public' && e.state === 'closed'),
      { from: mark },
    );
    const pub = await s.next(
      isEvent('resynced', (e) => e.channel === 'public'),
      { from: mark },
    );
    expect(pub.orderbooks?.[0]?.asks[0]).toEqual({ price: 100000000, size: 0.01 });
    expect(pub.tickers?.[0]?.market).toBe(BTC);
    expect(pub.at).toBeGreaterThanOrEqual(pub.gapStartedAt);
    const priv = await s.next(
      isEvent('resynced', (e) => e.channel === 'private'),
      { from: mark },
    );
    expect(priv.balances?.some((b) => b.currency === 'KRW')).toBe(true);
    expect(priv.openOrders).toBeInstanceOf(Array);
    await s.next(
      isEvent('orderbook', (e) => e.streamType === 'SNAPSHOT'),
      { from: mark },
    );
    const after = s.events.length;
    h.fake.controls.trade(BTC, '100000000', '0.001', 'bid');
    await s.next(
      isEvent('trade', (e) => e.streamType === 'REALTIME'),
      { from: after },
    );
    expect(s.stream.counters().reconnects).toBeGreaterThanOrEqual(2);
    expect(s.stream.counters().resyncs).toBeGreaterThanOrEqual(2);
  });
});
