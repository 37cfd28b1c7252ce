import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpbitQuotationApi } from '../../shared/src/adapters/upbit/rest/upbit-quotation-api';
import { UpbitRestClient } from '../../shared/src/adapters/upbit/rest/upbit-rest-client';
import { BTC } from './support/fake-harness';
import { InstantClock } from './support/instant-clock';

// A server that is not Upbit (a proxy gone wrong, a hostile endpoint) must not fill the client's memory.
describe('Upbit client: bounded responses', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/v1/ticker')) {
        // 9 MiB of JSON, streamed without a content-length.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        res.write('[');
        for (let i = 0; i < 9; i++) res.write(chunk);
        res.end(']');
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/json',
        'remaining-req': 'group=candle; min=600; sec=9',
      });
      res.end(
        JSON.stringify([
          { market: 'KRW-BTC', candle_date_time_utc: '2026-11-25T13:00:00', opening_price: '1e1000000000' },
        ]),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a response body over 8 MiB as a retryable network error instead of reading it all', async () => {
    const api = new UpbitQuotationApi(new UpbitRestClient({ baseUrl: base, clock: new InstantClock() }));
    await expect(api.getTickers([BTC])).rejects.toMatchObject({ kind: 'retryable', code: 'network_error' });
  });

  it('refuses out-of-bounds numbers in a payload as a malformed response with a short message', async () => {
    const api = new UpbitQuotationApi(new UpbitRestClient({ baseUrl: base, clock: new InstantClock() }));
    const error = await api.getCandles(BTC, '1m', 1).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'retryable', code: 'malformed_response' });
    expect((error as Error).message.length).toBeLessThan(300);
  });
});
