import { isTradingError } from '../../shared/src/domain/errors/trading-error';
import type { MarketDataStreamEvent } from '../../shared/src/ports/market-data-stream';
import { BTC, type Harness, startHarness } from './support/fake-harness';
import { isEvent, type RecordedStream, recordStream } from './support/stream-helpers';

const BAN_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Gets the fake to ban this IP, the way a misbehaving process would: candles past their 1/s budget. */
async function provokeBan(h: Harness): Promise<void> {
  const url = `${h.fake.restUrl}/candles/minutes/1?market=${BTC}&count=1`;
  for (let i = 0; i < 10; i++) if ((await fetch(url)).status === 418) return;
  throw new Error('the fake never answered 418');
}

const bannedError = isEvent('error', (e) => e.code === 'rate_limit_banned' && e.channel === 'public');
const opened = (from: number) => (e: MarketDataStreamEvent, i: number) =>
  i >= from && e.type === 'connection' && e.state === 'open';

describe('WebSocket reconnects respect the 418 ban (Upbit bans the IP for REST and WebSocket alike)', () => {
  let h: Harness;
  let s: RecordedStream;
  beforeEach(async () => {
    h = await startHarness({ fake: { rateLimits: { candle: 1 }, banAfter429s: 2, banMs: BAN_MS } });
    s = recordStream(h);
    s.stream.subscribe({ trade: [BTC] });
    h.fake.controls.trade(BTC, '100000000', '0.001', 'bid');
    await s.stream.start();
    await s.next(isEvent('trade'));
  });
  afterEach(async () => {
    await s.stream.stop();
    await h.close();
  });

  it('a ban learned over REST holds every reconnect until it ends, with an error event, then heals', async () => {
    await provokeBan(h);
    const refused = await h.quotation.getTickers([BTC]).catch((e: unknown) => e);
    expect(isTradingError(refused) && refused.code).toBe('rate_limit_banned');
    const from = s.events.length;
    const bannedAt = Date.now();
    h.fake.controls.faults.dropWebSockets();
    const error = await s.next(bannedError, { from });
    expect(error.message).toMatch(/418/);
    await s.next(isEvent('resynced'), { from, timeoutMs: 5_000 });
    const reopenedAt = Date.now();
    // The client never knocked during the ban: not one upgrade was refused.
    expect(h.fake.controls.websocketStats().connectsRefused).toBe(0);
    expect(reopenedAt - bannedAt).toBeGreaterThanOrEqual(BAN_MS - 100);
    expect(s.events.findIndex(opened(from))).toBeGreaterThan(s.events.indexOf(error));
  });

  it('a ban first met on the upgrade (418) is fed to the shared limiter: one refused attempt, then it waits', async () => {
    await provokeBan(h);
    const from = s.events.length;
    h.fake.controls.faults.dropWebSockets();
    await s.next(bannedError, { from });
    // REST is stopped too: the limiter learned the ban from the WebSocket upgrade.
    const refused = await h.quotation.getTickers([BTC]).catch((e: unknown) => e);
    expect(isTradingError(refused) && refused.code).toBe('rate_limit_banned');
    await s.next(isEvent('resynced'), { from, timeoutMs: 5_000 });
    expect(h.fake.controls.websocketStats().connectsRefused).toBe(1);
  });
});

describe('the fake enforces websocket-connect (5/s) and websocket-message (5/s), and the client stays inside', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('reconnects after back-to-back drops stay under 5 connections a second', async () => {
    const s = recordStream(h, { timings: { reconnectBaseMs: 1, reconnectMaxMs: 1 } });
    s.stream.subscribe({ trade: [BTC] });
    await s.stream.start();
    const until = Date.now() + 1_300;
    while (Date.now() < until) {
      h.fake.controls.faults.dropWebSockets();
      await sleep(15);
    }
    await s.stream.stop();
    const stats = h.fake.controls.websocketStats();
    expect(stats.connections).toBeGreaterThanOrEqual(3);
    expect(stats.connectsRefused).toBe(0);
  });

  it('refuses the 6th upgrade within a second with 429, which a client without the limiter meets', async () => {
    const s = recordStream(h, { noLimiter: true, timings: { reconnectBaseMs: 1, reconnectMaxMs: 1 } });
    s.stream.subscribe({ trade: [BTC] });
    await s.stream.start();
    const tooMany = isEvent('error', (e) => e.code === 'too_many_requests');
    const until = Date.now() + 3_000;
    while (Date.now() < until && !s.events.some(tooMany)) {
      h.fake.controls.faults.dropWebSockets();
      await sleep(5);
    }
    await s.stream.stop();
    expect(s.events.some(tooMany)).toBe(true);
    expect(h.fake.controls.websocketStats().connectsRefused).toBeGreaterThan(0);
  });

  it('subscription changes in a burst are throttled by the client and never refused', async () => {
    h.fake.controls.trade(BTC, '100000000', '0.001', 'bid');
    const s = recordStream(h);
    s.stream.subscribe({ trade: [BTC] });
    await s.stream.start();
    await s.next(isEvent('trade'));
    for (let i = 0; i < 12; i++) {
      s.stream.subscribe(i % 2 === 0 ? { ticker: [BTC] } : { trade: [BTC] });
      await sleep(40);
    }
    const from = s.events.length;
    s.stream.subscribe({ orderbook: { markets: [BTC] } });
    await s.next(isEvent('orderbook'), { from });
    await s.stream.stop();
    expect(h.fake.controls.websocketStats().messagesRefused).toBe(0);
  });
});
