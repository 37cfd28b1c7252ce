import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const MINUTE = 60_000;

function bar(t: number): Record<string, unknown> {
  return {
    market: 'KRW-BTC',
    candle_date_time_utc: new Date(t).toISOString().slice(0, 19),
    opening_price: 50_000_000,
    high_price: 50_002_000,
    low_price: 49_998_000,
    trade_price: 50_000_000,
    timestamp: t + 59_000,
    candle_acc_trade_price: 25_000_000,
    candle_acc_trade_volume: 0.5,
    unit: 1,
  };
}

/** Upbit's public candle endpoint under /v1 only; anything else answers Upbit's 404 body. */
async function startServer(): Promise<{ server: Server; origin: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    paths.push(url.pathname);
    if (url.pathname !== '/v1/candles/minutes/1') {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { name: 'not_found', message: 'Not Found' } }));
      return;
    }
    const to = Date.parse(url.searchParams.get('to') ?? new Date().toISOString());
    const count = Number(url.searchParams.get('count') ?? '200');
    const newest = Math.ceil(to / MINUTE) * MINUTE - MINUTE;
    const page = Array.from({ length: count }, (_, i) => bar(newest - i * MINUTE));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths };
}

async function backtest(restUrl: string, cache: string) {
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('QTS_'))),
    UPBIT_REST_URL: restUrl,
    QTS_CACHE_DIR: cache,
  };
  const args = [
    'cli/backtest.ts',
    '--strategy',
    'market_making',
    '--market',
    'KRW-BTC',
    '--days',
    '0.05',
    '--json',
  ];
  try {
    const { stdout, stderr } = await run(TSX, args, { cwd: process.cwd(), env, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

jest.setTimeout(120_000);

describe('npm run backtest without --data: where it downloads from', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  let cache: string;
  beforeAll(async () => {
    srv = await startServer();
    cache = mkdtempSync(join(tmpdir(), 'qts-url-cache-'));
  });
  afterAll(() => {
    srv.server.close();
    rmSync(cache, { recursive: true, force: true });
  });

  it('adds /v1 to a bare-origin UPBIT_REST_URL, as the Upbit client does', async () => {
    const r = await backtest(srv.origin, cache);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { bars: number }).bars).toBeGreaterThan(0);
    expect(srv.paths.every((p) => p === '/v1/candles/minutes/1')).toBe(true);
  });

  it('blames the URL, not API keys, when the public endpoint answers 404', async () => {
    const r = await backtest(`${srv.origin}/api`, cache);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('answered HTTP 404');
    expect(r.stderr).toContain('REST base URL is probably wrong');
    expect(r.stderr).toContain(`${srv.origin}/api`);
    expect(r.stderr).not.toMatch(/API key, its permissions/);
  });
});
