import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { type Timeframe, timeframeMs } from '../../domain/market/timeframe';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { readCsvCandles } from './csv-candle-reader';

/**
 * Where downloaded candles live: `QTS_CACHE_DIR` when set, else `~/.cache/qts`. The environment and
 * home directory come in as arguments so the backtest library never reads `process.env` itself.
 */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const explicit = env.QTS_CACHE_DIR;
  if (explicit !== undefined && explicit.trim() !== '') return explicit;
  const xdg = env.XDG_CACHE_HOME;
  return xdg !== undefined && xdg.trim() !== '' ? join(xdg, 'qts') : join(home, '.cache', 'qts');
}

/**
 * Span of one cache file. Chunks are fixed, epoch-aligned windows so a chunk, once complete, never
 * changes and can be reused by every later run whatever its `--from/--to`: a UTC day for intraday
 * bars up to 15m (1,440 one-minute bars), 32 days for hourly bars, 366 days for day bars.
 */
export function cacheChunkMs(tf: Timeframe): number {
  const len = timeframeMs(tf);
  if (len < 60 * MS.minute) return MS.day;
  if (len < MS.day) return 32 * MS.day;
  return 366 * MS.day;
}

/** Start of the cache chunk holding `at`. */
export function chunkStartOf(at: number, tf: Timeframe): EpochMs {
  const span = cacheChunkMs(tf);
  return (Math.floor(at / span) * span) as EpochMs;
}

/** Starts of every chunk overlapping the half-open window [from, to), oldest first. */
export function chunkStartsCovering(from: EpochMs, to: EpochMs, tf: Timeframe): EpochMs[] {
  const span = cacheChunkMs(tf);
  const out: EpochMs[] = [];
  for (let start: number = chunkStartOf(from, tf); start < to; start += span) out.push(start as EpochMs);
  return out;
}

/**
 * A chunk is final once its last bar has closed: Upbit never rewrites a closed candle, so the file
 * can be reused forever. The chunk still in progress is always fetched again.
 */
export function isChunkComplete(chunkStart: EpochMs, tf: Timeframe, now: EpochMs): boolean {
  return chunkStart + cacheChunkMs(tf) <= now;
}

/** File of one chunk: `<cacheDir>/candles/<market>/<timeframe>/<chunk start, ISO UTC>.csv`. */
export function chunkPath(cacheDir: string, market: Market, tf: Timeframe, chunkStart: EpochMs): string {
  const stamp = new Date(chunkStart).toISOString().slice(0, 19).replace(/:/g, '');
  return join(cacheDir, 'candles', market, tf, `${stamp}Z.csv`);
}

/** True when a completed chunk is already on disk. */
export function hasCachedChunk(
  cacheDir: string,
  market: Market,
  tf: Timeframe,
  chunkStart: EpochMs,
): boolean {
  return existsSync(chunkPath(cacheDir, market, tf, chunkStart));
}

/**
 * Writes a completed chunk as CSV (the format `--data` also reads, so a cache directory doubles as
 * a data set). Written to a temporary name and renamed, so a crash never leaves half a file that a
 * later run would trust. An empty chunk (no trades, or before the listing) is cached too: Upbit has
 * no candle for a minute without trades, and asking again would not change that.
 */
export function writeCachedChunk(
  cacheDir: string,
  market: Market,
  tf: Timeframe,
  chunkStart: EpochMs,
  candles: readonly Candle[],
): void {
  const path = chunkPath(cacheDir, market, tf, chunkStart);
  mkdirSync(join(cacheDir, 'candles', market, tf), { recursive: true });
  const lines = [
    `# qts candle cache: ${market} ${tf} from ${new Date(chunkStart).toISOString()} (Upbit REST)`,
    'timestamp,open,high,low,close,volume,quote_volume',
  ];
  for (const c of candles)
    lines.push(`${c.openTime},${c.open},${c.high},${c.low},${c.close},${c.volume},${c.quoteVolume}`);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${lines.join('\n')}\n`, 'utf8');
  renameSync(tmp, path);
}

/** Streams one cached chunk, oldest first, through the same validating reader as `--data` CSV. */
export function readCachedChunk(
  cacheDir: string,
  market: Market,
  tf: Timeframe,
  chunkStart: EpochMs,
): Generator<Candle> {
  return readCsvCandles(chunkPath(cacheDir, market, tf, chunkStart), market, tf);
}
