import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { epochMs, MS } from '../../domain/time/epoch';
import { type CandleFile, candlesOf } from './candle-files';
import { cachedCandles, cachedRowCount, columnCachePath } from './column-cache';

const BTC = 'KRW-BTC' as Market;
const T0 = Date.UTC(2025, 0, 1);

/** A CSV of `n` one-minute bars with awkward doubles (long fractions, big prices, small volumes). */
function csvText(n: number, shift = 0): string {
  const lines = ['timestamp,open,high,low,close,volume,quote_volume'];
  for (let i = 0; i < n; i++) {
    const p = 135_000_000 + ((i * 7919 + shift) % 1000) * 1000;
    const v = 0.1 + ((i * 31) % 97) / 1e7 + 1 / 3;
    lines.push(`${T0 + i * MS.minute},${p},${p + 5000},${p - 5000},${p + 1000},${v},${(p + 1000) * v}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('binary column candle cache', () => {
  let dir: string;
  let csv: string;
  let cacheDir: string;
  let file: CandleFile;
  let warnings: string[];
  const options = () => ({ dir: cacheDir, onWarning: (m: string) => warnings.push(m) });
  const viaCsv = (): Candle[] => [...candlesOf(file, '1m')];
  const viaCache = (): Candle[] => [...candlesOf(file, '1m', {}, options())];
  /** Reads through the cache and reports whether the source had to be parsed. */
  const parsed = (): { candles: Candle[]; parsedSource: boolean } => {
    let parsedSource = false;
    const out = cachedCandles(csv, BTC, '1m', options(), () => {
      parsedSource = true;
      return candlesOf(file, '1m');
    });
    if (out === undefined) throw new Error('expected candles');
    return { candles: [...out], parsedSource };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qts-colcache-'));
    csv = join(dir, 'KRW-BTC.csv');
    cacheDir = join(dir, 'cache');
    writeFileSync(csv, csvText(40_000));
    file = { market: BTC, path: csv, format: 'csv' };
    warnings = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives exactly the CSV candles, when built and when read back (several blocks)', () => {
    const expected = viaCsv();
    expect(viaCache()).toEqual(expected);
    expect(readdirSync(cacheDir).filter((n) => n.endsWith('.qtsbin'))).toHaveLength(1);
    const again = parsed();
    expect(again.parsedSource).toBe(false);
    expect(again.candles).toEqual(expected);
    expect(cachedRowCount(csv, BTC, '1m', options())).toBe(40_000);
    expect(warnings).toEqual([]);
  });

  it('applies the window as the CSV reader does', () => {
    viaCache();
    const window = { from: epochMs(T0 + 17_000 * MS.minute), to: epochMs(T0 + 33_333 * MS.minute) };
    expect([...candlesOf(file, '1m', window, options())]).toEqual([...candlesOf(file, '1m', window)]);
  });

  it('is rebuilt when the source changes, and reused when only its mtime does', () => {
    viaCache();
    writeFileSync(csv, csvText(40_000, 5));
    const changed = parsed();
    expect(changed.parsedSource).toBe(true);
    expect(changed.candles).toEqual(viaCsv());
    const later = new Date(statSync(csv).mtimeMs + 60_000);
    utimesSync(csv, later, later);
    const touched = parsed();
    expect(touched.parsedSource).toBe(false);
    expect(touched.candles).toEqual(viaCsv());
    expect(cachedRowCount(csv, BTC, '1m', options())).toBeUndefined(); // stale mtime in the header
  });

  it('keys by timeframe: a 1m cache is not read for another timeframe', () => {
    viaCache();
    const path5 = columnCachePath(cacheDir, csv, '5m');
    expect(path5).not.toBe(columnCachePath(cacheDir, csv, '1m'));
  });

  it.each([
    [
      'a flipped payload byte',
      (b: Buffer) => {
        b.writeUInt8(b.readUInt8(b.length - 100) ^ 0x40, b.length - 100);
        return b;
      },
    ],
    ['a truncated file', (b: Buffer) => b.subarray(0, b.length - 8)],
    ['garbage', (_b: Buffer) => Buffer.from('not a cache')],
  ])('ignores a corrupt cache file (%s) with a warning and rebuilds it', (_name, damage) => {
    const expected = viaCache();
    const path = columnCachePath(cacheDir, csv, '1m');
    const bytes = readFileSync(path);
    writeFileSync(path, damage(bytes));
    const read = parsed();
    expect(read.parsedSource).toBe(true);
    expect(read.candles).toEqual(expected);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ignoring candle cache .*qtsbin: .*; rebuilding it/);
    warnings = [];
    expect(parsed().parsedSource).toBe(false); // rebuilt
    expect(warnings).toEqual([]);
  });

  it('still reads the source, with a warning, when the cache cannot be written', () => {
    writeFileSync(cacheDir, 'a file where the cache directory should be');
    expect(viaCache()).toEqual(viaCsv());
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot write or re-read candle cache/);
  });

  it('leaves a bad row to the streaming reader: same error, same bars before it, nothing cached', () => {
    writeFileSync(csv, `${csvText(100)}${T0 + 100 * MS.minute},1,2,3\n`);
    expect(viaCache).toThrow(/line 102: expected 6 columns/);
    expect(readdirSync(dir)).not.toContain('cache');
    const window = { to: epochMs(T0 + 50 * MS.minute) };
    expect([...candlesOf(file, '1m', window, options())]).toEqual([...candlesOf(file, '1m', window)]);
    expect([...candlesOf(file, '1m', window, options())]).toHaveLength(50);
  });
});
