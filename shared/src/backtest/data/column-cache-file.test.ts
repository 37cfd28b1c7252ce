import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { MS } from '../../domain/time/epoch';
import { toCandleColumns } from './candle-columns';
import {
  BLOCK_ROWS,
  CorruptCache,
  openCache,
  peekCacheHeader,
  streamCache,
  writeColumnCache,
} from './column-cache-file';

const BTC = 'KRW-BTC' as Market;
const T0 = Date.UTC(2025, 0, 1);
const SOURCE = { path: '/data/KRW-BTC.csv', size: 1, mtimeMs: 2, sha256: 'ab' };

/** `n` one-minute candles with doubles that only round-trip when stored bit for bit. */
function candles(n: number): Candle[] {
  return Array.from({ length: n }, (_, i) => {
    const p = 135_000_000 + ((i * 7919) % 1000) * 1000 + 1 / 3;
    return {
      market: BTC,
      timeframe: '1m',
      openTime: T0 + i * MS.minute,
      open: p,
      high: p + 5000,
      low: p - 5000,
      close: p + 0.1,
      volume: 0.1 + i / 7e7,
      quoteVolume: (p + 0.1) * (0.1 + i / 7e7),
    } as Candle;
  });
}

describe('column cache file format', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qts-colfile-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('streams back exactly the candles written, across block boundaries', () => {
    const path = join(dir, 'c.qtsbin');
    const written = candles(BLOCK_ROWS + 123);
    writeColumnCache(path, toCandleColumns(written), { market: BTC, timeframe: '1m', source: SOURCE });
    const opened = openCache(path, BTC, '1m');
    expect(opened.header).toMatchObject({ rows: written.length, blockRows: BLOCK_ROWS, source: SOURCE });
    expect([...streamCache(opened, BTC, '1m')]).toEqual(written);
  });

  it('peeks the header of a good file and refuses a file without the magic', () => {
    const path = join(dir, 'c.qtsbin');
    writeColumnCache(path, toCandleColumns(candles(10)), { market: BTC, timeframe: '1m', source: SOURCE });
    const fd = openSync(path, 'r');
    try {
      expect(peekCacheHeader(fd)?.rows).toBe(10);
    } finally {
      closeSync(fd);
    }
    const bad = join(dir, 'bad.qtsbin');
    writeFileSync(bad, Buffer.alloc(64));
    const badFd = openSync(bad, 'r');
    try {
      expect(peekCacheHeader(badFd)).toBeUndefined();
    } finally {
      closeSync(badFd);
    }
  });

  it('refuses a flipped payload bit, a truncated file and another market or timeframe', () => {
    const path = join(dir, 'c.qtsbin');
    writeColumnCache(path, toCandleColumns(candles(100)), { market: BTC, timeframe: '1m', source: SOURCE });
    const bytes = readFileSync(path);
    expect(() => openCache(path, 'KRW-ETH' as Market, '1m')).toThrow(CorruptCache);
    expect(() => openCache(path, BTC, '5m')).toThrow(CorruptCache);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3] = (flipped[flipped.length - 3] as number) ^ 1;
    writeFileSync(path, flipped);
    expect(() => openCache(path, BTC, '1m')).toThrow(/checksum/);
    writeFileSync(path, bytes.subarray(0, bytes.length - 8));
    expect(() => openCache(path, BTC, '1m')).toThrow(/header promises/);
  });
});
