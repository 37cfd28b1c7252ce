import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const MINUTE = 60_000;

/** A deterministic KRW-BTC minute series defined for any time, on Upbit's 1,000-won tick grid. */
function bar(t: number): Record<string, unknown> {
  const px = (at: number) =>
    Math.round((50_000_000 * (1 + 0.01 * Math.sin(at / 3.6e6) + 0.002 * Math.sin(at / 4e5))) / 1000) * 1000;
  const open = px(t);
  const close = px(t + MINUTE - 1);
  return {
    market: 'KRW-BTC',
    candle_date_time_utc: new Date(t).toISOString().slice(0, 19),
    opening_price: open,
    high_price: Math.max(open, close) + 2000,
    low_price: Math.min(open, close) - 2000,
    trade_price: close,
    timestamp: t + 59_000,
    candle_acc_trade_price: close * 0.5,
    candle_acc_trade_volume: 0.5,
    unit: 1,
  };
}

/** Upbit's candle endpoint over the series: newest first, `to` exclusive. Counts requests. */
async function startServer(): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const to = Date.parse(url.searchParams.get('to') ?? new Date().toISOString());
    const count = Number(url.searchParams.get('count') ?? '200');
    const newest = Math.ceil(to / MINUTE) * MINUTE - MINUTE;
    const page = Array.from({ length: count }, (_, i) => bar(newest - i * MINUTE));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => requests,
  };
}

describe('npm run optimize without --data', () => {
  it('downloads whole days into the cache once, then workers and later runs read only the cache', async () => {
    const { server, url, requests } = await startServer();
    const cache = mkdtempSync(join(tmpdir(), 'qts-optimize-cache-'));
    // A user's shell: no Jest emulator variables, Upbit replaced by the local server, a private cache.
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('QTS_'))),
      QTS_UPBIT__REST_URL: url,
      QTS_CACHE_DIR: cache,
    };
    const args = ['cli/optimize.ts', '--strategy', 'market_making', '--market', 'KRW-BTC', '--days', '1'];
    const rest = [
      '--folds',
      '1',
      '--trials',
      '2',
      '--metric',
      'return',
      '--workers',
      '1',
      '--warmup-bars',
      '0',
      '--holdout',
      '0.2',
      '--json',
    ];
    try {
      const first = await run(TSX, [...args, ...rest], { env, timeout: 60_000 });
      const result = JSON.parse(first.stdout) as { markets: string[]; folds: unknown[]; ranking: unknown[] };
      expect(result.markets).toEqual(['KRW-BTC']);
      expect(result.ranking).toHaveLength(2);
      // One whole UTC day of 1,440 minutes is 8 pages of 200.
      expect(requests()).toBeGreaterThanOrEqual(8);
      expect(readdirSync(join(cache, 'candles', 'KRW-BTC', '1m'))).toHaveLength(1);
      const before = requests();
      const second = await run(TSX, [...args, ...rest], { env, timeout: 60_000 });
      expect(requests()).toBe(before);
      expect(second.stdout).toBe(first.stdout);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(cache, { recursive: true, force: true });
    }
  }, 90_000);
});
