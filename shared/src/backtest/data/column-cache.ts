import { createHash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { endianness } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { Timeframe } from '../../domain/market/timeframe';
import {
  CANDLE_COLUMNS,
  type CandleColumns,
  CandleColumnsBuilder,
  candleAt,
  columnCandles,
  columnsOf,
} from './candle-columns';

/**
 * Binary columnar candle cache (`.qtsbin`): parsing CSV text caps a backtest at ~200k bars/s, while
 * reading the same bars as raw doubles costs almost nothing. One cache file holds every candle of
 * one source file, as validated by the CSV/JSON reader for one timeframe, so a hit returns exactly
 * the candles the reader would (doubles round-trip exactly).
 *
 * Layout (little-endian): the 8-byte magic `QTSCOLS1`, a u32 header length, the JSON header
 * ({@link CacheHeader}), zero padding to a multiple of 8, then blocks of up to {@link BLOCK_ROWS}
 * rows, each block column-major (the 7 {@link CANDLE_COLUMNS} of its rows, one after another), so a
 * reader streams a block at a time in O(block) memory.
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

/** What the header records; `version` changes whenever the layout does. */
interface CacheHeader {
  readonly format: 'qts-candle-columns';
  readonly version: 1;
  readonly market: Market;
  readonly timeframe: Timeframe;
  readonly rows: number;
  readonly blockRows: number;
  readonly source: {
    readonly path: string;
    readonly size: number;
    readonly mtimeMs: number;
    readonly sha256: string;
  };
  readonly payloadSha256: string;
}

const MAGIC = Buffer.from('QTSCOLS1', 'latin1');
/** Rows per block: 7 × 8 × 16,384 = 896 KiB read at a time. */
export const BLOCK_ROWS = 16_384;
const FIELDS = CANDLE_COLUMNS.length;
/** No cache file (yet): not worth a warning. */
const MISSING = new Set(['ENOENT', 'ENOTDIR']);
const ROW_BYTES = FIELDS * 8;

/** Cache file of one source and timeframe: a hash of the absolute path keeps same-named files apart. */
export function columnCachePath(dir: string, sourcePath: string, tf: Timeframe): string {
  const key = createHash('sha256').update(resolve(sourcePath)).digest('hex').slice(0, 16);
  return join(dir, `${basename(sourcePath)}.${key}.${tf}.qtsbin`);
}

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

/** Why a cache file cannot be used (reported, then rebuilt). */
class CorruptCache extends Error {}

interface OpenedCache {
  readonly fd: number;
  readonly header: CacheHeader;
  readonly payloadAt: number;
}

function readExactly(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) throw new CorruptCache(`truncated at byte ${position + done}`);
    done += n;
  }
}

function blockBytes(rows: number, block: number, blockRows: number): number {
  return Math.min(blockRows, rows - block * blockRows) * ROW_BYTES;
}

/** Opens and checks a cache file's structure and payload hash; throws CorruptCache when unusable. */
function openCache(path: string, market: Market, tf: Timeframe): OpenedCache {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(12);
    readExactly(fd, head, 0);
    if (!head.subarray(0, 8).equals(MAGIC)) throw new CorruptCache('not a qts candle cache (bad magic)');
    const headerLength = head.readUInt32LE(8);
    if (headerLength > 1 << 16) throw new CorruptCache(`header length ${headerLength} is implausible`);
    const text = Buffer.alloc(headerLength);
    readExactly(fd, text, 12);
    let header: CacheHeader;
    try {
      header = JSON.parse(text.toString('utf8')) as CacheHeader;
    } catch {
      throw new CorruptCache('header is not JSON');
    }
    if (header.format !== 'qts-candle-columns' || header.version !== 1)
      throw new CorruptCache(`unknown format ${String(header.format)} v${String(header.version)}`);
    if (header.market !== market || header.timeframe !== tf)
      throw new CorruptCache(`holds ${header.market} ${header.timeframe}, not ${market} ${tf}`);
    if (
      !Number.isSafeInteger(header.rows) ||
      header.rows < 0 ||
      !Number.isSafeInteger(header.blockRows) ||
      header.blockRows <= 0
    )
      throw new CorruptCache('bad row counts in the header');
    const payloadAt = Math.ceil((12 + headerLength) / 8) * 8;
    const size = fstatSync(fd).size;
    if (size !== payloadAt + header.rows * ROW_BYTES)
      throw new CorruptCache(
        `${size} bytes where the header promises ${payloadAt + header.rows * ROW_BYTES}`,
      );
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(Math.min(header.rows, header.blockRows) * ROW_BYTES);
    let at = payloadAt;
    for (let b = 0; b * header.blockRows < header.rows; b++) {
      const piece = buf.subarray(0, blockBytes(header.rows, b, header.blockRows));
      readExactly(fd, piece, at);
      hash.update(piece);
      at += piece.length;
    }
    if (hash.digest('hex') !== header.payloadSha256) throw new CorruptCache('payload checksum mismatch');
    return { fd, header, payloadAt };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Streams the candles of a checked cache file, a block at a time; closes the file when done. */
function* streamCache(opened: OpenedCache, market: Market, tf: Timeframe): Generator<Candle> {
  const { fd, header } = opened;
  try {
    const blockRows = header.blockRows;
    // Own ArrayBuffer at offset 0, so Float64Array views are aligned.
    const buf = Buffer.from(new ArrayBuffer(Math.min(header.rows, blockRows) * ROW_BYTES));
    let at = opened.payloadAt;
    for (let b = 0; b * blockRows < header.rows; b++) {
      const bytes = blockBytes(header.rows, b, blockRows);
      readExactly(fd, buf.subarray(0, bytes), at);
      at += bytes;
      const n = bytes / ROW_BYTES;
      const cols = columnsOf(n, (k) => new Float64Array(buf.buffer, k * n * 8, n));
      for (let i = 0; i < n; i++) yield candleAt(cols, i, market, tf);
    }
  } finally {
    closeSync(fd);
  }
}

/** Per process and thread: optimizer workers are threads of one process and may build at once. */
function tempName(path: string): string {
  return `${path}.${process.pid}.${threadId}.tmp`;
}

/** Writes columns as a cache file: to a temporary name, then renamed, so no reader sees half a file. */
export function writeColumnCache(
  path: string,
  cols: CandleColumns,
  meta: Pick<CacheHeader, 'market' | 'timeframe' | 'source'>,
): void {
  // Blocks are assembled one at a time into one buffer, twice (hash, then write): the file is
  // never held whole in memory next to the columns.
  const block = new Float64Array(Math.min(BLOCK_ROWS, cols.length) * FIELDS);
  const eachBlock = (use: (bytes: Buffer) => void): void => {
    for (let start = 0; start < cols.length; start += BLOCK_ROWS) {
      const n = Math.min(BLOCK_ROWS, cols.length - start);
      CANDLE_COLUMNS.forEach((name, k) => {
        block.set(cols[name].subarray(start, start + n), k * n);
      });
      use(Buffer.from(block.buffer, block.byteOffset, n * ROW_BYTES));
    }
  };
  const hash = createHash('sha256');
  eachBlock((bytes) => hash.update(bytes));
  const header: CacheHeader = {
    format: 'qts-candle-columns',
    version: 1,
    ...meta,
    rows: cols.length,
    blockRows: BLOCK_ROWS,
    payloadSha256: hash.digest('hex'),
  };
  const text = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(Math.ceil((12 + text.length) / 8) * 8);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(text.length, 8);
  text.copy(head, 12);
  const tmp = tempName(path);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, head);
    eachBlock((bytes) => writeSync(fd, bytes));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
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
      const head = Buffer.alloc(12);
      readExactly(fd, head, 0);
      if (!head.subarray(0, 8).equals(MAGIC)) return undefined;
      const text = Buffer.alloc(Math.min(head.readUInt32LE(8), 1 << 16));
      readExactly(fd, text, 12);
      const header = JSON.parse(text.toString('utf8')) as CacheHeader;
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
