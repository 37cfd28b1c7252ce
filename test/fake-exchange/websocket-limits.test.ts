import WebSocket from 'ws';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import type { FakeExchange, FakeExchangeOptions } from '../../shared/src/fake-exchange/fake-exchange';
import { fixedMarket, T0 } from './support/fixed-market';
import { FrameRecorder } from './support/sim-http';

let fake: FakeExchange;
let clock: ManualClock;
const sockets: FrameRecorder[] = [];

/** A fixed market whose rate-limit windows follow the manual clock, so a window never rolls unasked. */
async function start(options: FakeExchangeOptions = {}): Promise<void> {
  clock = new ManualClock(T0);
  ({ fake } = await fixedMarket({ clock, rateClock: clock, ...options }));
}

async function connect(): Promise<FrameRecorder> {
  const ws = new FrameRecorder(fake.wsUrl);
  sockets.push(ws);
  await ws.open();
  return ws;
}

/** Attempts an upgrade and reports the HTTP answer when the server refuses it. */
function refusal(url: string): Promise<{ status: number; remainingReq: unknown; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.on('error', () => {});
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, remainingReq: res.headers['remaining-req'], body });
        ws.terminate();
      });
    });
  });
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await fake.close();
});

describe('fake exchange WebSocket limits (PROTOCOL.md §3: websocket-connect 5/s, websocket-message 5/s)', () => {
  it('refuses a 6th upgrade in one second with 429 and admits again in the next second', async () => {
    await start();
    for (let i = 0; i < 5; i++) await connect();
    const refused = await refusal(fake.wsUrl);
    expect(refused.status).toBe(429);
    expect(refused.remainingReq).toMatch(/group=websocket-connect; min=300; sec=0/);
    expect(JSON.parse(refused.body)).toEqual({
      error: { name: 'too_many_requests', message: 'Too many API requests.' },
    });
    await clock.advance(1_000);
    await connect();
    expect(fake.controls.websocketStats()).toMatchObject({ connections: 6, connectsRefused: 1 });
  });

  it('answers 418 while the IP is banned, for upgrades as for REST', async () => {
    await start({ banAfter429s: 1, banMs: 5_000 });
    for (let i = 0; i < 5; i++) await connect();
    expect((await refusal(fake.wsUrl)).status).toBe(418);
    await clock.advance(1_000);
    const banned = await refusal(fake.wsUrl);
    expect(banned.status).toBe(418);
    expect(JSON.parse(banned.body).error.message).toBe('Blocked for 4 seconds.');
    expect((await fetch(`${fake.restUrl}/market/all`)).status).toBe(418);
    await clock.advance(4_000);
    await connect();
  });

  it('closes a connection whose 6th request in one second is over the limit, with TOO_MANY_REQUESTS', async () => {
    await start();
    const ws = await connect();
    for (let i = 0; i < 6; i++) ws.send([{ ticket: `t${i}` }, { type: 'ticker', codes: ['KRW-BTC'] }]);
    await ws.waitFor((frames) => frames.some((f) => f.error !== undefined));
    expect(ws.frames.find((f) => f.error !== undefined)).toEqual({
      error: { name: 'TOO_MANY_REQUESTS', message: 'Too Many Requests' },
    });
    expect(fake.controls.websocketStats().messagesRefused).toBe(1);
  });

  it('drops trade frames on request: the tape keeps the trade, the feed skips its sequential id', async () => {
    await start();
    fake.controls.trade('KRW-BTC', '150000000', '0.01', 'bid');
    const ws = await connect();
    ws.send([{ ticket: 't' }, { type: 'trade', codes: ['KRW-BTC'] }]);
    await ws.waitFor((frames) => frames.length >= 1);
    fake.controls.faults.dropTradeFrames(1);
    for (const p of ['150100000', '150200000', '150300000']) fake.controls.trade('KRW-BTC', p, '0.01', 'bid');
    await ws.waitFor((frames) => frames.length >= 3);
    const sids = ws.frames.map((f) => f.sequential_id);
    const tape = (await (await fetch(`${fake.restUrl}/trades/ticks?market=KRW-BTC&count=4`)).json()) as {
      sequential_id: number;
    }[];
    expect(tape.map((t) => t.sequential_id)).toEqual([4, 3, 2, 1]);
    expect(sids).toEqual([1, 3, 4]);
  });
});
