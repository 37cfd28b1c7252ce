import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { Timeframe } from '../../domain/market/timeframe';
import { CANDLE_COLUMNS, type CandleColumns, candleAt, columnsOf } from './candle-columns';

/*
 * The `.qtsbin` file format of the column cache (column-cache.ts decides when a file is fresh and
 * builds it): writing a file atomically, opening one with every structural and checksum check, and
 * streaming its candles back a block at a time. Layout (little-endian): the 8-byte magic
 * `QTSCOLS1`, a u32 header length, the JSON header ({@link CacheHeader}), zero padding to a
 * multiple of 8, then blocks of up to {@link BLOCK_ROWS} rows, each block column-major.
 */

/**
 * Version of the cache files written now; it changes whenever the layout or what the reader accepts
 * does. 2: the CSV reader refuses blank and hex cells (v1 caches may hold a blank cell read as 0,
 * so they are rebuilt, which names such a line).
 */
export const CACHE_VERSION = 2;

/** What the header records. */
export interface CacheHeader {
  readonly format: 'qts-candle-columns';
  readonly version: typeof CACHE_VERSION;
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
const ROW_BYTES = FIELDS * 8;

/** Why a cache file cannot be used (reported, then rebuilt). */
export class CorruptCache extends Error {}

/** A cache file that passed {@link openCache}: its descriptor (owned by the reader), header and payload offset. */
export interface OpenedCache {
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
export function openCache(path: string, market: Market, tf: Timeframe): OpenedCache {
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
    if (header.format !== 'qts-candle-columns' || header.version !== CACHE_VERSION)
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
export function* streamCache(opened: OpenedCache, market: Market, tf: Timeframe): Generator<Candle> {
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
export function tempName(path: string): string {
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
    version: CACHE_VERSION,
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
 * The header of a cache file from its first bytes alone, without the payload check (undefined
 * when the magic is wrong): enough to read a row count for a progress bar, never to trust rows.
 */
export function peekCacheHeader(fd: number): CacheHeader | undefined {
  const head = Buffer.alloc(12);
  readExactly(fd, head, 0);
  if (!head.subarray(0, 8).equals(MAGIC)) return undefined;
  const text = Buffer.alloc(Math.min(head.readUInt32LE(8), 1 << 16));
  readExactly(fd, text, 12);
  return JSON.parse(text.toString('utf8')) as CacheHeader;
}
