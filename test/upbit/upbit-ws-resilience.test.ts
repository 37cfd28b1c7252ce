import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { WebSocketServer } from 'ws';
import { MemoryLogger } from '../../shared/src/adapters/logging/json-logger';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { UpbitAuthenticator } from '../../shared/src/adapters/upbit/auth/upbit-jwt';
import { UpbitMarketDataStream } from '../../shared/src/adapters/upbit/ws/upbit-market-data-stream';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { Secret } from '../../shared/src/domain/security/secret';
import type { MarketDataStreamEvent } from '../../shared/src/ports/market-data-stream';
import { BTC, type Harness, startHarness } from './support/fake-harness';
import { FAST_TIMINGS, isEvent, recordStream } from './support/stream-helpers';

const GOOD_TRADE = {
  type: 'trade',
  code: 'KRW-BTC',
  timestamp: 1787728554853,
  trade_timestamp: 1787728554797,
  trade_price: 109847000,
  trade_volume: 0.00509799,
  ask_bid: 'ASK',
  sequential_id: 17877285547970000,
  stream_type: 'REALTIME',
};

describe('Upbit WebSocket client: malformed frames and refused keys', () => {
  it('counts and logs malformed binary frames from a real socket, keeps the feed and delivers the next good frame', async () => {
    const random = fc.sample(
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
        fc.jsonValue().map((v) => Buffer.from(JSON.stringify({ ...GOOD_TRADE, trade_volume: v, code: 7 }))),
      ),
      { numRuns: 1_000, seed: 42 },
    );
    const garbage = [
      ...random,
      Buffer.from([0xff, 0xfe, 0x00]),
      Buffer.from('not json'),
      Buffer.from('[]'),
      Buffer.from('{"type":"trade","code":"KRW-BTC"}'),
      Buffer.from('{"type":"orderbook","code":"KRW-BTC","orderbook_units":7}'),
      Buffer.from('{"type":"nope"}'),
      Buffer.from(JSON.stringify({ ...GOOD_TRADE, trade_price: 'abc' })),
      Buffer.from(JSON.stringify({ ...GOOD_TRADE, code: 'BTC-ETH' })),
    ];
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    server.on('connection', (socket) =>
      socket.once('message', () => {
        for (const frame of garbage) socket.send(frame, { binary: true });
        socket.send(Buffer.from(JSON.stringify(GOOD_TRADE)), { binary: true });
      }),
    );
    await new Promise((r) => server.once('listening', r));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const clock = new SystemClock();
    const logger = new MemoryLogger(clock);
    const stream = new UpbitMarketDataStream({
      publicUrl: url,
      privateUrl: url,
      clock,
      logger,
      timings: FAST_TIMINGS,
    });
    const trades: MarketDataStreamEvent[] = [];
    stream.onEvent((e) => {
      if (e.type === 'trade') trades.push(e);
    });
    stream.onEvent(() => {
      throw new Error('a listener bug must not stop the feed');
    });
    try {
      stream.subscribe({ trade: [BTC] });
      await stream.start();
      for (let i = 0; i < 300 && trades.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(trades).toHaveLength(1);
      expect(stream.counters()).toMatchObject({
        framesReceived: garbage.length + 1,
        framesRejected: garbage.length,
      });
      expect(stream.counters().listenerErrors).toBeGreaterThan(0);
      const warnings = logger.records().filter((r) => r.msg === 'rejected malformed upbit websocket frame');
      // The first ten rejections are logged, then one line per thousand, so a flood cannot fill the disk.
      expect(warnings.length).toBeGreaterThanOrEqual(10);
      expect(warnings.length).toBeLessThanOrEqual(12);
    } finally {
      await stream.stop();
      await new Promise((r) => server.close(r));
    }
  });

  describe('against the fake exchange', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(() => h.close());

    it('names subscribed codes that never deliver (Upbit ignores unknown codes silently)', async () => {
      const s = recordStream(h, { snapshotTimeoutMs: 300 });
      try {
        s.stream.subscribe({ orderbook: { markets: [BTC, parseMarket('KRW-DOGE')] } });
        await s.stream.start();
        const error = await s.next(isEvent('error', (e) => e.code === 'no_snapshot'));
        expect(error.message).toContain('orderbook:KRW-DOGE');
        expect(error.message).not.toContain('KRW-BTC');
      } finally {
        await s.stream.stop();
      }
    });

    it('a refused private key gives an INVALID_AUTH error event and stops the private socket (no reconnect storm)', async () => {
      const wrongKey = new UpbitAuthenticator({
        accessKey: h.fake.accessKey,
        secretKey: new Secret('wrong'),
      });
      const s = recordStream(h, { authenticator: wrongKey });
      try {
        s.stream.subscribe({ myOrder: true, orderbook: { markets: [BTC] } });
        await s.stream.start();
        const error = await s.next(isEvent('error', (e) => e.channel === 'private'));
        expect(error.code).toBe('INVALID_AUTH');
        await new Promise((r) => setTimeout(r, 300));
        expect(s.stream.connectionCounts().private.reconnects).toBe(0);
        expect(s.stream.counters().serverErrors).toBe(1);
        await s.next(isEvent('orderbook'));
      } finally {
        await s.stream.stop();
      }
    });
  });
});
