import { isTradingError } from '../../domain/errors/trading-error';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { type Timeframe, timeframeMs } from '../../domain/market/timeframe';
import type { EpochMs } from '../../domain/time/epoch';
import {
  cacheChunkMs,
  chunkStartsCovering,
  hasCachedChunk,
  isChunkComplete,
  readCachedChunk,
  writeCachedChunk,
} from './candle-cache';
import { candleProblem } from './candle-checks';

/** Upbit's largest candle page. */
const PAGE_SIZE = 200;

/**
 * The one Quotation call the downloader needs. `UpbitQuotationApi` satisfies it; taking the narrow
 * shape keeps the downloader independent of how the client is built (real Upbit or the simulator).
 */
export interface CandlePageSource {
  getCandles(
    market: Market,
    timeframe: Timeframe,
    count: number,
    to?: number,
    signal?: AbortSignal,
  ): Promise<Candle[]>;
}

/** What to load and from where. */
export interface LoadCandlesOptions {
  readonly market: Market;
  readonly timeframe: Timeframe;
  /** Inclusive start of the wanted window. */
  readonly from: EpochMs;
  /** Exclusive end of the wanted window. */
  readonly to: EpochMs;
  /** Root of the on-disk cache (see `defaultCacheDir`). */
  readonly cacheDir: string;
  /** Upbit Quotation API (rate-limited by its REST client). */
  readonly quotation: CandlePageSource;
  /** Current time: decides which chunks are closed and may be cached. */
  readonly now: EpochMs;
  /** Called after every chunk, cached or downloaded, for a progress bar. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
  /** The REST base the quotation client calls, named in error messages. */
  readonly baseUrl?: string;
}

/**
 * Candles of one market in [from, to), re-iterable: every iteration streams the cached CSV chunks
 * again (plus the in-memory chunk still in progress), so a year of 1m bars never sits in memory and
 * an optimizer can replay the same series for every trial.
 */
export interface LoadedCandles extends Iterable<Candle> {
  readonly market: Market;
  readonly timeframe: Timeframe;
  /** Chunks fetched from Upbit in this call. */
  readonly downloadedChunks: number;
  /** Chunks reused from the cache. */
  readonly cachedChunks: number;
}

/** Why candles could not be obtained; the message says what to do instead. */
export class CandleDownloadError extends Error {
  override readonly name = 'CandleDownloadError';
}

const OFFLINE_CODES: ReadonlySet<string> = new Set(['network_error', 'timeout']);

function downloadError(market: Market, tf: Timeframe, error: unknown, baseUrl: string | undefined): Error {
  if (error instanceof CandleDownloadError) return error;
  const where = baseUrl === undefined ? '' : ` at ${baseUrl}`;
  // Candles are public: no key is sent, so a 404 (or an auth-shaped refusal) means the URL is wrong,
  // never the keys. The client's own advice ("check the API key") would send the user the wrong way.
  if (isTradingError(error) && error.status !== undefined && [401, 403, 404].includes(error.status))
    return new CandleDownloadError(
      `cannot download ${market} ${tf} candles: Upbit's public candle endpoint${where} answered HTTP ${error.status} (${error.code}). ` +
        'Public candles need no API key, so the REST base URL is probably wrong: set UPBIT_REST_URL (or upbit.restUrl) ' +
        "to https://api.upbit.com/v1, or to the simulator's origin, e.g. http://127.0.0.1:7070 (/v1 is added), " +
        'or pass --data FILE|DIR with saved candles.',
      { cause: error },
    );
  const reason = error instanceof Error ? error.message : String(error);
  const offline = isTradingError(error) && OFFLINE_CODES.has(error.code);
  const advice = offline
    ? `Upbit${where} is unreachable (no network?). Pass --data FILE|DIR with saved Upbit candle JSON or CSV ` +
      '(timestamp,open,high,low,close,volume), or start the offline simulator (npm run sim) and point ' +
      'UPBIT_REST_URL at it.'
    : 'Retry later, or pass --data FILE|DIR with saved candles.';
  return new CandleDownloadError(`cannot download ${market} ${tf} candles: ${reason}. ${advice}`, {
    cause: error,
  });
}

/**
 * Fetches [start, end) by paging backwards from `end` with Upbit's exclusive `to`. Stops at the
 * window start, at a short page (nothing older: before the listing) or when a page makes no
 * progress, so a misbehaving server cannot loop us forever. Minutes without trades have no candle.
 */
async function downloadWindow(
  source: CandlePageSource,
  market: Market,
  tf: Timeframe,
  start: EpochMs,
  end: EpochMs,
  signal: AbortSignal | undefined,
): Promise<Candle[]> {
  const byTime = new Map<number, Candle>();
  let cursor: number = end;
  for (;;) {
    const page = await source.getCandles(market, tf, PAGE_SIZE, cursor, signal);
    let oldest = cursor;
    for (const c of page) {
      if (c.market !== market)
        throw new CandleDownloadError(`Upbit returned ${c.market} candles when asked for ${market}`);
      const problem = candleProblem(c);
      if (problem !== undefined)
        throw new CandleDownloadError(
          `Upbit returned a bad ${market} candle at ${new Date(c.openTime).toISOString()}: ${problem}`,
        );
      if (c.openTime >= start && c.openTime < end) byTime.set(c.openTime, c);
      if (c.openTime < oldest) oldest = c.openTime;
    }
    if (page.length < PAGE_SIZE || oldest <= start || oldest >= cursor) break;
    cursor = oldest;
  }
  return [...byTime.values()].sort((a, b) => a.openTime - b.openTime);
}

/**
 * Loads one market's candles for [from, to): completed cache chunks are reused, missing ones are
 * downloaded page by page through the rate-limited Upbit client and written to the cache, and the
 * chunk still in progress is fetched but never cached. A network failure becomes a
 * {@link CandleDownloadError} that suggests `--data` or the simulator.
 */
export async function loadCandles(options: LoadCandlesOptions): Promise<LoadedCandles> {
  const { market, timeframe: tf, from, to, cacheDir, quotation, now, signal } = options;
  if (!(from < to))
    throw new CandleDownloadError(
      `empty window: from ${new Date(from).toISOString()} is not before to ${new Date(to).toISOString()}`,
    );
  const span = cacheChunkMs(tf);
  const starts = chunkStartsCovering(from, to, tf);
  const live = new Map<EpochMs, Candle[]>();
  let downloaded = 0;
  let cached = 0;
  for (const [i, start] of starts.entries()) {
    const complete = isChunkComplete(start, tf, now);
    if (complete && hasCachedChunk(cacheDir, market, tf, start)) cached += 1;
    else {
      // A chunk still in progress ends at the last closed bar: an open bar would change later.
      const end = (
        complete ? start + span : Math.min(start + span, now - (now % timeframeMs(tf)))
      ) as EpochMs;
      let rows: Candle[] = [];
      try {
        if (end > start) rows = await downloadWindow(quotation, market, tf, start, end, signal);
      } catch (error) {
        throw downloadError(market, tf, error, options.baseUrl);
      }
      if (complete) writeCachedChunk(cacheDir, market, tf, start, rows);
      else live.set(start, rows);
      downloaded += 1;
    }
    options.onProgress?.(i + 1, starts.length);
  }
  return {
    market,
    timeframe: tf,
    downloadedChunks: downloaded,
    cachedChunks: cached,
    *[Symbol.iterator](): Generator<Candle> {
      for (const start of starts) {
        const rows = live.get(start) ?? readCachedChunk(cacheDir, market, tf, start);
        for (const c of rows) {
          if (c.openTime < from) continue;
          if (c.openTime >= to) return;
          yield c;
        }
      }
    },
  };
}

/** Options for {@link loadMarkets}: {@link LoadCandlesOptions} for several markets at once. */
export type LoadMarketsOptions = Omit<LoadCandlesOptions, 'market' | 'onProgress'> & {
  readonly markets: readonly Market[];
  /** Progress over every market's chunks together, for one bar. */
  readonly onProgress?: (done: number, total: number) => void;
};

/**
 * Loads several markets one after another (they share one Upbit rate-limit group, so parallel
 * requests would only queue) with a single combined progress count.
 */
export async function loadMarkets(options: LoadMarketsOptions): Promise<Map<Market, LoadedCandles>> {
  const { markets, onProgress, ...rest } = options;
  const perMarket = chunkStartsCovering(rest.from, rest.to, rest.timeframe).length;
  const total = perMarket * markets.length;
  const out = new Map<Market, LoadedCandles>();
  for (const [m, market] of markets.entries()) {
    const loaded = await loadCandles({
      ...rest,
      market,
      ...(onProgress ? { onProgress: (done: number) => onProgress(m * perMarket + done, total) } : {}),
    });
    out.set(market, loaded);
  }
  return out;
}
