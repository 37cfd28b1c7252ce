import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { constants, createGunzip } from 'node:zlib';
import type { Market } from '../../domain/market/market-id';
import { parseDecimal } from '../../domain/money/decimal';
import type { EpochMs } from '../../domain/time/epoch';
import {
  TAPE_TRADES_HEADER,
  type TapeBookRow,
  type TapeKind,
  type TapeLevel,
  type TapeTradeRow,
  tapeFilePath,
} from './tape-format';

/** A line of a tape file that is not in the documented format; names the file and line. */
export class TapeFormatError extends Error {
  override readonly name = 'TapeFormatError';
  constructor(
    readonly path: string,
    readonly lineNo: number,
    problem: string,
  ) {
    super(`${path}:${lineNo}: ${problem}`);
  }
}

/**
 * Lines of a gzip tape file, streamed (a day of books never sits in memory). Concatenated gzip
 * members are read as one stream. A last member cut short by a crash or a copy in progress is read
 * up to its last whole line instead of failing: what was written completely is always readable.
 */
async function* gzipLines(path: string): AsyncGenerator<{ text: string; lineNo: number }> {
  const gunzip = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
  const source = createReadStream(path);
  source.on('error', (error) => gunzip.destroy(error));
  const lines = createInterface({ input: source.pipe(gunzip), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  try {
    for await (const text of lines) {
      lineNo += 1;
      yield { text, lineNo };
    }
  } finally {
    lines.close();
    source.destroy();
  }
}

const SIDES = new Set(['bid', 'ask']);

function parseTradeLine(path: string, text: string, lineNo: number): TapeTradeRow {
  const parts = text.split(',');
  const [timestamp, price, volume, side, sequentialId] = parts;
  if (parts.length !== 5 || timestamp === undefined || price === undefined || volume === undefined)
    throw new TapeFormatError(path, lineNo, `expected 5 fields (${TAPE_TRADES_HEADER}), got "${text}"`);
  const t = Number(timestamp);
  if (!Number.isSafeInteger(t)) throw new TapeFormatError(path, lineNo, `bad timestamp "${timestamp}"`);
  if (side === undefined || !SIDES.has(side)) throw new TapeFormatError(path, lineNo, `bad side "${side}"`);
  try {
    parseDecimal(price);
    parseDecimal(volume);
  } catch {
    throw new TapeFormatError(path, lineNo, `bad decimal in "${text}"`);
  }
  return {
    timestamp: t as EpochMs,
    price,
    volume,
    side: side as TapeTradeRow['side'],
    sequentialId: sequentialId ?? '',
  };
}

function isLevels(value: unknown): value is TapeLevel[] {
  return (
    Array.isArray(value) &&
    value.every(
      (l) => Array.isArray(l) && l.length === 2 && typeof l[0] === 'string' && typeof l[1] === 'string',
    )
  );
}

function parseBookLine(path: string, text: string, lineNo: number): TapeBookRow {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TapeFormatError(path, lineNo, 'not JSON');
  }
  const { t, bids, asks } = (raw ?? {}) as { t?: unknown; bids?: unknown; asks?: unknown };
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || !isLevels(bids) || !isLevels(asks))
    throw new TapeFormatError(path, lineNo, 'expected {"t":<ms>,"bids":[["price","size"],…],"asks":[…]}');
  return { t: t as EpochMs, bids, asks };
}

/**
 * Generic row reader: parses every line, tolerating a malformed *last* line (a torn tail) but not
 * a malformed line in the middle (that file is damaged and the error says where).
 */
async function* readRows<T>(
  path: string,
  parse: (text: string, lineNo: number) => T | undefined,
): AsyncGenerator<T> {
  let held: { text: string; lineNo: number } | undefined;
  for await (const line of gzipLines(path)) {
    if (held !== undefined) {
      const row = parse(held.text, held.lineNo);
      if (row !== undefined) yield row;
    }
    held = line;
  }
  if (held === undefined) return;
  try {
    const row = parse(held.text, held.lineNo);
    if (row !== undefined) yield row;
  } catch (error) {
    if (!(error instanceof TapeFormatError)) throw error;
  }
}

/** Trades of one tape file, in file order (the order they were received). */
export function readTapeTrades(path: string): AsyncGenerator<TapeTradeRow> {
  return readRows(path, (text, lineNo) =>
    text === TAPE_TRADES_HEADER ? undefined : parseTradeLine(path, text, lineNo),
  );
}

/** Order-book snapshots of one tape file, in file order. */
export function readTapeBooks(path: string): AsyncGenerator<TapeBookRow> {
  return readRows(path, (text, lineNo) => parseBookLine(path, text, lineNo));
}

/** KST days (`YYYY-MM-DD`) present under a tape root, oldest first. */
export function listTapeDays(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d{4}-\d{2}-\d{2}$/.test(e.name))
    .map((e) => e.name)
    .sort();
}

/** The existing files of one market and kind across days in `[from, to]` (KST dates, inclusive), oldest first. */
export function tapeFilesOf(
  dir: string,
  market: Market,
  kind: TapeKind,
  range: { readonly from?: string; readonly to?: string } = {},
): string[] {
  return listTapeDays(dir)
    .filter((d) => (range.from === undefined || d >= range.from) && (range.to === undefined || d <= range.to))
    .map((d) => tapeFilePath(dir, d, market, kind))
    .filter((p) => existsSync(p));
}
