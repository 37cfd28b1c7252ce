import type { BookLevel, OrderbookSnapshot } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { EpochMs } from '../../domain/time/epoch';
import { CandleDataError } from './candle-data-error';
import type { TimeWindow } from './candle-files';
import { readLines } from './read-lines';
import { findTapeFiles, type TapeFile } from './tape-files';

/** One market's recorded order books: one file, or one per recorded day, in time order. */
export type BookFile = TapeFile;

/**
 * Finds recorded order books (`KRW-XXX.orderbook.jsonl[.gz]`) for the run's markets: a file, a
 * directory of them, or the recorder's root of `YYYY-MM-DD/` days (see `findTapeFiles`).
 */
export function findBookFiles(path: string, markets: readonly Market[]): BookFile[] {
  return findTapeFiles(path, markets, 'books');
}

function levels(raw: unknown, key: string, path: string, where: string): BookLevel[] {
  if (!Array.isArray(raw)) throw new CandleDataError(path, where, `${key} must be an array of [price, size]`);
  return raw.map((level: unknown, i) => {
    const pair = Array.isArray(level) ? level : [];
    const p = Number(pair[0]);
    const size = Number(pair[1]);
    if (pair.length < 2 || !(Number.isFinite(p) && p > 0) || !(Number.isFinite(size) && size >= 0))
      throw new CandleDataError(path, where, `${key}[${i}] must be ["price","size"] with a positive price`);
    return { price: p, size };
  });
}

/**
 * Snapshots of one market's recorded books, oldest first: one JSON object per line,
 * `{"t":<ms>,"bids":[["price","size"],...],"asks":[...]}` (prices and sizes as decimal strings or
 * numbers; bids best first, asks best first), gzip when the name ends in `.gz`. Snapshots from
 * before the window are kept (the first bar needs the book shown at its open); reading stops at
 * the window's end. Lines must be in time order, since files are streamed.
 */
export function* booksOf(file: BookFile, window: TimeWindow = {}): Generator<OrderbookSnapshot> {
  let last = Number.NEGATIVE_INFINITY;
  for (const part of file.parts)
    for (const { text, lineNo } of readLines(part.path)) {
      const where = `line ${lineNo}`;
      let row: { t?: unknown; bids?: unknown; asks?: unknown };
      try {
        row = JSON.parse(text) as typeof row;
      } catch (error) {
        throw new CandleDataError(part.path, where, `not JSON (${(error as Error).message})`);
      }
      const t = Number(row.t);
      if (!(Number.isInteger(t) && t > 1e12))
        throw new CandleDataError(part.path, where, 't must be epoch milliseconds');
      if (t < last)
        throw new CandleDataError(part.path, where, 'snapshots must be in time order (files are streamed)');
      last = t;
      if (window.to !== undefined && t >= window.to) return;
      yield {
        market: file.market,
        timestamp: t as EpochMs,
        bids: levels(row.bids, 'bids', part.path, where),
        asks: levels(row.asks, 'asks', part.path, where),
      };
    }
}
