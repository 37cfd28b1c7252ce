import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../../adapters/system/system-clock';
import { UpbitQuotationApi } from '../../adapters/upbit/rest/upbit-quotation-api';
import { UpbitRestClient } from '../../adapters/upbit/rest/upbit-rest-client';
import type { Market } from '../../domain/market/market-id';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { chunkPath, defaultCacheDir } from './candle-cache';
import { CandleDownloadError, loadCandles, loadMarkets } from './candle-download';

const DAY0 = Date.UTC(2024, 0, 1) as EpochMs;
const LISTED = DAY0 + MS.day + 6 * MS.hour;
const NOW = (DAY0 + 2 * MS.day + 12 * MS.hour + 30 * MS.minute + 17_000) as EpochMs;
const BTC = 'KRW-BTC' as Market;

interface Bar {
  readonly t: number;
  readonly o: number;
  readonly h: number;
  readonly l: number;
  readonly c: number;
  readonly v: number;
}

/** A deterministic 1m series from the listing time to just before NOW, with a few no-trade minutes. */
function series(): Bar[] {
  const out: Bar[] = [];
  for (let t = LISTED, i = 0; t + MS.minute <= NOW + MS.minute; t += MS.minute, i++) {
    if (i % 97 === 13) continue;
    const base = 50_000_000 + ((i * 7919) % 1000) * 1000;
    out.push({ t, o: base, h: base + 5000, l: base - 5000, c: base + 1000, v: 0.01 + (i % 10) / 1000 });
  }
  return out;
}

function upbitJson(b: Bar): Record<string, unknown> {
  const iso = new Date(b.t).toISOString().slice(0, 19);
  return {
    market: 'KRW-BTC',
    candle_date_time_utc: iso,
    candle_date_time_kst: new Date(b.t + 9 * MS.hour).toISOString().slice(0, 19),
    opening_price: b.o,
    high_price: b.h,
    low_price: b.l,
    trade_price: b.c,
    timestamp: b.t + 59_000,
    candle_acc_trade_price: b.c * b.v,
    candle_acc_trade_volume: b.v,
    unit: 1,
  };
}

/** A tiny stand-in for Upbit's candle endpoint: newest first, `to` exclusive, `count` ≤ 200. */
async function startCandleServer(
  bars: readonly Bar[],
): Promise<{ server: Server; url: string; calls: string[] }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    calls.push(url.search);
    if (url.pathname !== '/v1/candles/minutes/1') {
      res.writeHead(404).end('{"error":{"name":"404","message":"no route"}}');
      return;
    }
    const to = url.searchParams.get('to');
    const toMs = to === null ? Number.POSITIVE_INFINITY : Date.parse(to);
    const count = Number(url.searchParams.get('count') ?? '1');
    const page = bars
      .filter((b) => b.t < toMs)
      .slice(-count)
      .reverse()
      .map(upbitJson);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, url: `http://127.0.0.1:${port}/v1`, calls };
}

function quotationAt(baseUrl: string): UpbitQuotationApi {
  return new UpbitQuotationApi(new UpbitRestClient({ baseUrl, clock: new SystemClock(), timeoutMs: 2_000 }));
}

describe('loadCandles against a local Upbit-shaped server', () => {
  const bars = series();
  let server: Server;
  let baseUrl: string;
  let calls: string[];
  let cacheDir: string;

  beforeAll(async () => {
    ({ server, url: baseUrl, calls } = await startCandleServer(bars));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'qts-cache-'));
    calls.length = 0;
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('pages back through every chunk, caches closed chunks only, and returns closed bars in order', async () => {
    const progress: number[] = [];
    const loaded = await loadCandles({
      market: BTC,
      timeframe: '1m',
      from: DAY0,
      to: (DAY0 + 3 * MS.day) as EpochMs,
      cacheDir,
      quotation: quotationAt(baseUrl),
      now: NOW,
      onProgress: (done, total) => progress.push(done / total),
    });
    const got = [...loaded].map((c) => c.openTime);
    const lastClosedOpen = NOW - (NOW % MS.minute) - MS.minute;
    const want = bars.filter((b) => b.t <= lastClosedOpen).map((b) => b.t);
    expect(got).toEqual(want);
    expect(loaded.downloadedChunks).toBe(3);
    expect(progress).toEqual([1 / 3, 2 / 3, 1]);
    // Day 0 predates the listing: cached as empty so it is never asked for again. Day 2 is still open.
    expect(existsSync(chunkPath(cacheDir, BTC, '1m', DAY0))).toBe(true);
    expect(existsSync(chunkPath(cacheDir, BTC, '1m', (DAY0 + MS.day) as EpochMs))).toBe(true);
    expect(existsSync(chunkPath(cacheDir, BTC, '1m', (DAY0 + 2 * MS.day) as EpochMs))).toBe(false);
    // 18 h of day 1 is 1,080 minutes, so at least 6 pages of 200 were needed there.
    expect(calls.length).toBeGreaterThanOrEqual(1 + 6 + 4);
    // Re-iterable with identical values (the cached CSV round-trips the floats exactly).
    const first = [...loaded];
    const second = [...loaded];
    expect(second).toEqual(first);
    const day1 = first.find((c) => c.openTime === LISTED);
    expect(day1?.close).toBe(bars[0]?.c);
    expect(day1?.volume).toBe(bars[0]?.v);
  });

  it('reuses the cache: a window inside a cached chunk makes no request and is trimmed', async () => {
    const options = {
      market: BTC,
      timeframe: '1m' as const,
      from: DAY0,
      to: (DAY0 + 3 * MS.day) as EpochMs,
      cacheDir,
      quotation: quotationAt(baseUrl),
      now: NOW,
    };
    await loadCandles(options);
    calls.length = 0;
    const again = await loadCandles({
      ...options,
      from: (DAY0 + MS.day + 8 * MS.hour) as EpochMs,
      to: (DAY0 + MS.day + 9 * MS.hour) as EpochMs,
    });
    expect(calls).toEqual([]);
    expect(again.cachedChunks).toBe(1);
    const times = [...again].map((c) => c.openTime);
    expect(times[0]).toBe(DAY0 + MS.day + 8 * MS.hour);
    expect(times.every((t) => t >= DAY0 + MS.day + 8 * MS.hour && t < DAY0 + MS.day + 9 * MS.hour)).toBe(
      true,
    );
  });

  it('loads several markets with one combined progress count', async () => {
    const progress: Array<[number, number]> = [];
    const all = await loadMarkets({
      markets: [BTC],
      timeframe: '1m',
      from: (DAY0 + MS.day) as EpochMs,
      to: (DAY0 + 2 * MS.day) as EpochMs,
      cacheDir,
      quotation: quotationAt(baseUrl),
      now: NOW,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect([...(all.get(BTC) ?? [])].length).toBe(bars.filter((b) => b.t < DAY0 + 2 * MS.day).length);
    expect(progress).toEqual([[1, 1]]);
  });

  it('without a network says so and suggests --data or the simulator', async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const attempt = loadCandles({
      market: BTC,
      timeframe: '1m',
      from: DAY0,
      to: (DAY0 + MS.day) as EpochMs,
      cacheDir,
      quotation: quotationAt(`http://127.0.0.1:${port}/v1`),
      now: NOW,
    });
    await expect(attempt).rejects.toThrow(CandleDownloadError);
    await expect(attempt).rejects.toThrow(/no network.*--data.*npm run sim/s);
    expect(existsSync(chunkPath(cacheDir, BTC, '1m', DAY0))).toBe(false);
  });
});

describe('defaultCacheDir', () => {
  it('prefers QTS_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache/qts', () => {
    expect(defaultCacheDir({ QTS_CACHE_DIR: '/x/qts' }, '/home/u')).toBe('/x/qts');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe('/xdg/qts');
    expect(defaultCacheDir({}, '/home/u')).toBe('/home/u/.cache/qts');
  });
});
