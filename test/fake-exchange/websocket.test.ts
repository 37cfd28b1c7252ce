import type { FakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { fixedMarket } from './support/fixed-market';
import { FrameRecorder, signJwt, simHttp } from './support/sim-http';

let fake: FakeExchange;
const sockets: FrameRecorder[] = [];

async function connect(url: string, headers: Record<string, string> = {}): Promise<FrameRecorder> {
  const ws = new FrameRecorder(url, headers);
  sockets.push(ws);
  await ws.open();
  return ws;
}

// biome-ignore lint/suspicious/noExplicitAny: frames are arbitrary JSON
const ofType = (frames: any[], type: string, st?: string) =>
  frames.filter((f) => (f.type ?? f.ty) === type && (st === undefined || (f.stream_type ?? f.st) === st));

beforeEach(async () => {
  ({ fake } = await fixedMarket());
  fake.controls.trade('KRW-BTC', '150000000', '0.01', 'bid');
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await fake.close();
});

describe('fake exchange WebSocket (PROTOCOL.md §7) over a real socket', () => {
  it('sends a SNAPSHOT per stream then REALTIME frames, all as binary frames', async () => {
    const ws = await connect(fake.wsUrl);
    ws.send([
      { ticket: 't1' },
      { type: 'ticker', codes: ['KRW-BTC'] },
      { type: 'orderbook', codes: ['KRW-BTC.5'] },
      { type: 'trade', codes: ['KRW-BTC'] },
      { type: 'candle.1m', codes: ['KRW-BTC'] },
      { format: 'DEFAULT' },
    ]);
    await ws.waitFor((f) => f.length >= 4);
    expect(ofType(ws.frames, 'ticker', 'SNAPSHOT')[0]).toMatchObject({
      code: 'KRW-BTC',
      trade_price: 150000000,
    });
    const book = ofType(ws.frames, 'orderbook', 'SNAPSHOT')[0];
    expect(book.orderbook_units).toHaveLength(2);
    expect(book.orderbook_units[0]).toEqual({
      ask_price: 150100000,
      bid_price: 149900000,
      ask_size: 0.25,
      bid_size: 1,
    });
    expect(ofType(ws.frames, 'trade', 'SNAPSHOT')[0]).toMatchObject({ ask_bid: 'BID', trade_volume: 0.01 });
    expect(ofType(ws.frames, 'candle.1m', 'SNAPSHOT')[0]).toMatchObject({ opening_price: 150000000 });

    fake.controls.trade('KRW-BTC', '150100000', '0.02', 'bid');
    fake.controls.setBook('KRW-BTC', { bids: [['149000000', '3']], asks: [['151000000', '4']] });
    await ws.waitFor(
      (f) =>
        ofType(f, 'trade', 'REALTIME').length > 0 &&
        ofType(f, 'ticker', 'REALTIME').length > 0 &&
        ofType(f, 'orderbook', 'REALTIME').some((b) => b.orderbook_units[0].ask_price === 151000000),
    );
    expect(ofType(ws.frames, 'trade', 'REALTIME')[0]).toMatchObject({
      trade_price: 150100000,
      trade_volume: 0.02,
    });
    expect(ws.binary.every((b) => b)).toBe(true);
  });

  it('SIMPLE format abbreviates keys; a new request replaces the subscription', async () => {
    const ws = await connect(fake.wsUrl);
    ws.send([{ ticket: 't2' }, { type: 'ticker', codes: ['KRW-BTC'] }, { format: 'SIMPLE' }]);
    await ws.waitFor((f) => f.length >= 1);
    expect(ws.frames[0]).toMatchObject({ ty: 'ticker', cd: 'KRW-BTC', tp: 150000000, st: 'SNAPSHOT' });
    ws.send([{ ticket: 't3' }, { type: 'trade', codes: ['KRW-BTC'], is_only_realtime: true }]);
    await new Promise((r) => setTimeout(r, 50));
    const before = ws.frames.length;
    fake.controls.trade('KRW-BTC', '150000000', '0.03', 'ask');
    await ws.waitFor((f) => f.length > before);
    await new Promise((r) => setTimeout(r, 50));
    expect(ws.frames.slice(before).map((f) => f.type)).toEqual(['trade']);
  });

  it('answers PING with {"status":"UP"}', async () => {
    const ws = await connect(fake.wsUrl);
    ws.send('PING');
    await ws.waitFor((f) => f.some((x) => x.status === 'UP'));
  });

  it.each([
    ['plain text', 'WRONG_FORMAT', 'hello'],
    ['no ticket', 'NO_TICKET', [{ type: 'ticker', codes: ['KRW-BTC'] }]],
    ['unknown type', 'INVALID_PARAM', [{ ticket: 'x' }, { type: 'nope', codes: ['KRW-BTC'] }]],
    ['private type on the public socket', 'INVALID_AUTH', [{ ticket: 'x' }, { type: 'myOrder' }]],
  ] as [string, string, unknown][])(
    'request error (%s) → %s then close 1000',
    async (_what, name, request) => {
      const ws = await connect(fake.wsUrl);
      ws.send(request);
      await ws.waitFor((f) => f.length > 0);
      expect(ws.frames[0].error.name).toBe(name);
      expect(await ws.closed()).toBe(1000);
    },
  );

  it('private myOrder and myAsset follow an order placed over REST', async () => {
    const ws = await connect(fake.privateWsUrl, { authorization: `Bearer ${signJwt(fake, null)}` });
    ws.send([{ ticket: 'p1' }, { type: 'myOrder', codes: ['KRW-BTC'] }, { type: 'myAsset' }]);
    await new Promise((r) => setTimeout(r, 50));
    const placed = await simHttp(fake).post('/orders', {
      market: 'KRW-BTC',
      side: 'bid',
      volume: '0.01',
      price: '150000000',
      ord_type: 'limit',
      identifier: 'ws-1',
    });
    expect(placed.status).toBe(201);
    await ws.waitFor((f) => ofType(f, 'myOrder').length > 0 && ofType(f, 'myAsset').length > 0);
    expect(ofType(ws.frames, 'myOrder')[0]).toMatchObject({
      uuid: placed.body.uuid,
      state: 'wait',
      identifier: 'ws-1',
      locked: 1500750,
    });
    expect(ofType(ws.frames, 'myAsset')[0].assets).toEqual([
      { currency: 'KRW', balance: 8499250, locked: 1500750 },
    ]);
    fake.controls.trade('KRW-BTC', '150000000', '0.01', 'ask');
    await ws.waitFor((f) => ofType(f, 'myOrder').some((o) => o.state === 'done'));
    expect(ofType(ws.frames, 'myOrder').map((o) => o.state)).toEqual(['wait', 'trade', 'done']);
    expect(ofType(ws.frames, 'myOrder')[1]).toMatchObject({ is_maker: true, trade_fee: 750 });
  });

  it('the dropped-WebSocket fault cuts every socket without a close frame', async () => {
    const ws = await connect(fake.wsUrl);
    fake.controls.faults.dropWebSockets();
    expect(await ws.closed()).toBe(1006);
  });

  it('the stale-book fault withholds orderbook frames while trades keep flowing, until it is lifted', async () => {
    const ws = await connect(fake.wsUrl);
    ws.send([
      { ticket: 'stale' },
      { type: 'orderbook', codes: ['KRW-BTC'], is_only_realtime: true },
      { type: 'trade', codes: ['KRW-BTC'], is_only_realtime: true },
    ]);
    fake.controls.faults.setStaleBook(true);
    expect(fake.controls.faults.current().staleBook).toBe(true);
    fake.controls.setBook('KRW-BTC', { bids: [['148000000', '1']], asks: [['152000000', '1']] });
    // Let the book flush (scheduled on setImmediate) run before the trade that proves frames still flow.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    fake.controls.trade('KRW-BTC', '150000000', '0.01', 'bid');
    await ws.waitFor((f) => ofType(f, 'trade').length > 0);
    expect(ofType(ws.frames, 'orderbook')).toEqual([]);
    fake.controls.faults.setStaleBook(false);
    fake.controls.setBook('KRW-BTC', { bids: [['147000000', '1']], asks: [['153000000', '1']] });
    await ws.waitFor((f) => ofType(f, 'orderbook').length > 0);
    expect(ofType(ws.frames, 'orderbook')[0].orderbook_units[0].bid_price).toBe(147000000);
  });

  it('closes silent sockets after the idle timeout', async () => {
    await fake.close();
    ({ fake } = await fixedMarket({ idleTimeoutMs: 150 }));
    const ws = await connect(fake.wsUrl);
    expect(await ws.closed(2_000)).toBe(1006);
  });
});
