import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import { endianness } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { Timeframe } from '../../domain/market/timeframe';
import { CandleColumnsBuilder, columnCandles } from './candle-columns';
import {
  CorruptCache,
  type OpenedCache,
  openCache,
  peekCacheHeader,
  streamCache,
  tempName,
  writeColumnCache,
} from './column-cache-file';

/**
 * Binary columnar candle cache (`.qtsbin`): parsing CSV text caps a backtest at ~200k bars/s, while
 * reading the same bars as raw doubles costs almost nothing. One cache file holds every candle of
 * one source file, as validated by the CSV/JSON reader for one timeframe, so a hit returns exactly
 * the candles the reader would (doubles round-trip exactly).
 *
 * The file format (a JSON header, then column-major blocks of rows that a reader streams a block
 * at a time in O(block) memory) is column-cache-file.ts's; this module decides when a file is fresh,
 * builds it from the source and falls back to the source when it cannot.
 *
 * Keyed by the source's size, mtime and SHA-256: a matching size and mtime is trusted; otherwise the
 * source is hashed and the cache reused only when the content is the same, else rebuilt. The payload
 * carries its own SHA-256, checked before the first candle is returned: a corrupt or truncated cache
 * file is reported through `onWarning` and rebuilt from the source, never used.
 */
export interface ColumnCacheOptions {
  /** Directory of the cache files (e.g. `<QTS_CACHE_DIR>/columns`); created when missing. */
  readonly dir: string;
  /** Told when a cache file is ignored (corrupt, unreadable) or cannot be written. */
  readonly onWarning?: (message: string) => void;
}

/** Cache file of one source and timeframe: a hash of the absolute path keeps same-named files apart. */
export function columnCachePath(dir: string, sourcePath: string, tf: Timeframe): string {
  const key = createHash('sha256').update(resolve(sourcePath)).digest('hex').slice(0, 16);
  return join(dir, `${basename(sourcePath)}.${key}.${tf}.qtsbin`);
}

/** No cache file (yet): not worth a warning. */
const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/** SHA-256 of a whole file, read in 1 MiB pieces. */
function fileSha256(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Rows of a source's cache file when it is fresh by size and mtime (read from the header alone),
 * else undefined: a progress bar's total without a pass over the text.
 */
export function cachedRowCount(
  sourcePath: string,
  market: Market,
  tf: Timeframe,
  options: ColumnCacheOptions,
): number | undefined {
  try {
    const fd = openSync(columnCachePath(options.dir, sourcePath, tf), 'r');
    try {
      const header = peekCacheHeader(fd);
      if (header === undefined) return undefined;
      const st = statSync(sourcePath);
      const fresh = header.market === market && header.timeframe === tf && header.source.size === st.size;
      return fresh && header.source.mtimeMs === st.mtimeMs && Number.isSafeInteger(header.rows)
        ? header.rows
        : undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/**
 * The candles of `sourcePath` through the cache: the cached columns when the cache matches the
 * source, else `parse()` read whole into columns and written to the cache for next time. Undefined
 * when the source cannot be read whole (`parse` throws, e.g. a bad row): the caller then streams
 * the source as before, so its error, and whatever a window before the bad row yields, is unchanged.
 */
export function cachedCandles(
  sourcePath: string,
  market: Market,
  tf: Timeframe,
  options: ColumnCacheOptions,
  parse: () => Iterable<Candle>,
): Iterable<Candle> | undefined {
  if (endianness() !== 'LE') return undefined;
  const warn = options.onWarning ?? (() => undefined);
  const path = columnCachePath(options.dir, sourcePath, tf);
  const st = statSync(sourcePath);
  let sha256: string | undefined;
  let opened: OpenedCache | undefined;
  try {
    opened = openCache(path, market, tf);
  } catch (error) {
    if (error instanceof CorruptCache) warn(`ignoring candle cache ${path}: ${error.message}; rebuilding it`);
    else if (!MISSING.has((error as NodeJS.ErrnoException).code ?? ''))
      warn(`cannot read candle cache ${path}: ${(error as Error).message}; rebuilding it`);
  }
  if (opened !== undefined) {
    const src = opened.header.source;
    if (src.size === st.size && src.mtimeMs === st.mtimeMs) return streamCache(opened, market, tf);
    sha256 = fileSha256(sourcePath);
    if (src.size === st.size && src.sha256 === sha256) return streamCache(opened, market, tf);
    closeSync(opened.fd);
  }
  const builder = new CandleColumnsBuilder(1 << 16);
  try {
    for (const c of parse()) builder.push(c);
  } catch {
    return undefined;
  }
  // Untrimmed views: the columns only live until they are written and streamed back.
  const cols = builder.build(false);
  try {
    mkdirSync(options.dir, { recursive: true });
    const source = {
      path: resolve(sourcePath),
      size: st.size,
      mtimeMs: st.mtimeMs,
      sha256: sha256 ?? fileSha256(sourcePath),
    };
    writeColumnCache(path, cols, { market, timeframe: tf, source });
    // Streamed back from the file just written (checked as any hit is): the run then holds one
    // block, not the whole series, as on later runs.
    return streamCache(openCache(path, market, tf), market, tf);
  } catch (error) {
    warn(
      `cannot write or re-read candle cache ${path}: ${(error as Error).message}; reading the source each run`,
    );
    try {
      unlinkSync(tempName(path));
    } catch {
      // nothing was written
    }
  }
  return columnCandles(cols, market, tf);
}
