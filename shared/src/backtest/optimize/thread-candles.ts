import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { Timeframe } from '../../domain/market/timeframe';
import type { EpochMs } from '../../domain/time/epoch';
import { chunkStartsCovering, hasCachedChunk, isChunkComplete, readCachedChunk } from '../data/candle-cache';
import {
  CANDLE_COLUMNS,
  type CandleColumn,
  type CandleColumns,
  columnsOf,
  toCandleColumns,
} from '../data/candle-columns';
import { type CandleFile, candlesOf } from '../data/candle-files';
import { columnCandleViews } from '../data/candle-views';
import type { Window } from './walk-forward';

// Per worker thread, the candles every task of an optimisation reads again and again, kept as
// columns between tasks. Rows kept at most (7 doubles a row: ~56 MiB); beyond it, tasks read their
// data per task as before.
const MEMO_ROWS = 1 << 20;
// Column-cached `--data` files read whole, and day chunks of the download cache, by key; null when
// one could not be read whole (a bad row: then each task reads its window as before, so its error
// and what it yields are unchanged).
const memo = new Map<string, CandleColumns | null>();
let memoRows = 0;

function remembered(key: string, read: () => Iterable<Candle>): CandleColumns | undefined {
  const hit = memo.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let cols: CandleColumns | null;
  try {
    cols = toCandleColumns(read());
  } catch {
    cols = null;
  }
  if (cols !== null && memoRows + cols.length > MEMO_ROWS) return undefined;
  if (cols !== null) memoRows += cols.length;
  memo.set(key, cols);
  return cols ?? undefined;
}

/**
 * A file's candles as columns, read once per thread. Every task of an optimisation reads the same
 * files; reading one through the column cache checksums and decodes the whole file and makes a
 * candle for every row before the task's window (~10 % of a 30-day trial's CPU). The candles a task
 * gets are the same (the same doubles the cache itself streams).
 */
export function fileColumns(file: CandleFile, tf: Timeframe, cacheDir: string): CandleColumns | undefined {
  return remembered(`file\u0000${file.path}\u0000${tf}\u0000${cacheDir}`, () =>
    candlesOf(file, tf, {}, { dir: cacheDir }),
  );
}

/** The first row of `cols` (open times strictly increasing) opening at or after `t`, or `cols.length`. */
function firstRowFrom(cols: CandleColumns, t: number): number {
  const times = cols.openTime;
  let lo = 0;
  let hi = cols.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows `from`–`to` (exclusive) of `cols`, sharing its memory. */
function rowsOf(cols: CandleColumns, from: number, to: number): CandleColumns {
  return columnsOf(to - from, (c) =>
    (cols[CANDLE_COLUMNS[c] as CandleColumn] as Float64Array).subarray(from, to),
  );
}

/**
 * The candles of `cols` in `window`, oldest first. The columns come from checked files (strictly
 * increasing open times: the readers refuse anything else), so both ends are binary searches; a
 * scan for the end was hot enough to be compiled on-stack and thrown away again in every task.
 * Each candle is a view of its row (`columnCandleViews`): the memoised columns never change, and a
 * view is one object per bar, where a plain candle is ~8 (each double a heap number of its own)
 * made by a generator resumed per bar.
 */
export function windowCandles(
  cols: CandleColumns,
  market: Market,
  tf: Timeframe,
  window: Window,
): Iterable<Candle> {
  const lo = firstRowFrom(cols, window.from);
  return columnCandleViews(rowsOf(cols, lo, Math.max(lo, firstRowFrom(cols, window.to))), market, tf);
}

/** Where the main thread filled the download cache, and its clock then (which chunks were closed). */
export interface DownloadCacheRef {
  readonly cacheDir: string;
  readonly timeframe: Timeframe;
  readonly now: number;
}

/**
 * A window of the download cache (`npm run optimize` without `--data`) from day chunks parsed once
 * per thread: each task used to parse every chunk of its window from CSV again, ~2/3 of a default
 * optimisation's CPU. The same candles as `loadCandles` streams from the cache: each chunk's rows in
 * `[from, to)` in chunk order, stopping at the first row at or after `to` (a chunk's rows are
 * strictly increasing: its reader refuses anything else). Undefined — the task then reads as before,
 * with the same errors — for an empty window or when a chunk is not closed, not cached, or not
 * readable whole.
 */
export function cachedWindow(
  ref: DownloadCacheRef,
  market: Market,
  window: Window,
): Iterable<Candle> | undefined {
  const { cacheDir, timeframe: tf } = ref;
  if (!(window.from < window.to)) return undefined;
  const parts: CandleColumns[] = [];
  let rows = 0;
  for (const start of chunkStartsCovering(window.from as EpochMs, window.to as EpochMs, tf)) {
    if (!isChunkComplete(start, tf, ref.now as EpochMs) || !hasCachedChunk(cacheDir, market, tf, start))
      return undefined;
    const cols = remembered(`chunk\u0000${cacheDir}\u0000${market}\u0000${tf}\u0000${start}`, () =>
      readCachedChunk(cacheDir, market, tf, start),
    );
    if (cols === undefined) return undefined;
    const lo = firstRowFrom(cols, window.from);
    const hi = Math.max(lo, firstRowFrom(cols, window.to));
    parts.push(rowsOf(cols, lo, hi));
    rows += hi - lo;
    if (hi < cols.length) break;
  }
  const joined = CANDLE_COLUMNS.map(() => new Float64Array(rows));
  let at = 0;
  for (const part of parts) {
    CANDLE_COLUMNS.forEach((name, c) => {
      (joined[c] as Float64Array).set(part[name], at);
    });
    at += part.length;
  }
  return columnCandleViews(
    columnsOf(rows, (c) => joined[c] as Float64Array),
    market,
    tf,
  );
}
