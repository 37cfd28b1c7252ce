import { homedir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { UpbitQuotationApi } from '../../shared/src/adapters/upbit/rest/upbit-quotation-api';
import { UpbitRestClient } from '../../shared/src/adapters/upbit/rest/upbit-rest-client';
import { resolveUpbitUrls } from '../../shared/src/adapters/upbit/upbit-adapters';
import type { BookSource } from '../../shared/src/backtest/broker/book-feed';
import { booksOf, findBookFiles } from '../../shared/src/backtest/data/book-files';
import { defaultCacheDir } from '../../shared/src/backtest/data/candle-cache';
import { loadMarkets } from '../../shared/src/backtest/data/candle-download';
import {
  type CandleFile,
  candlesOf,
  findCandleFiles,
  type TimeWindow,
} from '../../shared/src/backtest/data/candle-files';
import { type ColumnCacheOptions, cachedRowCount } from '../../shared/src/backtest/data/column-cache';
import { readLines } from '../../shared/src/backtest/data/read-lines';
import { findTradeFiles, tradesOf } from '../../shared/src/backtest/data/trade-files';
import type { CandleSource } from '../../shared/src/backtest/engine/bar-steps';
import type { TradeSource } from '../../shared/src/backtest/engine/trade-feed';
import type { Market } from '../../shared/src/domain/market/market-id';
import { type Timeframe, timeframeMs } from '../../shared/src/domain/market/timeframe';
import type { EpochMs } from '../../shared/src/domain/time/epoch';

/** Where the candles of a run come from and for which window. */
export interface SourceRequest {
  /** `--data FILE|DIR`; undefined means download from Upbit (with the disk cache). */
  readonly dataPath?: string;
  /** Wanted markets; empty with `--data` means every market found there. */
  readonly markets: readonly Market[];
  readonly timeframe: Timeframe;
  readonly window: TimeWindow;
  /** `UPBIT_REST_URL` as configured: a bare origin gets `/v1`, as the live client does. */
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly now: EpochMs;
  readonly onDownloadProgress?: (done: number, total: number) => void;
}

/** Candle sources per market, and how many bars they will yield in total (for a progress bar). */
export interface OpenedSources {
  readonly sources: Map<Market, CandleSource>;
  readonly expectedBars: number;
}

/**
 * The binary column cache of `--data` files (`<QTS_CACHE_DIR or ~/.cache/qts>/columns`): later runs
 * read the checked candles as raw doubles instead of parsing the text again. Problems with the cache
 * are warnings on stderr; the source file is then read as before.
 */
export function candleColumnCache(): ColumnCacheOptions {
  return {
    dir: join(defaultCacheDir(process.env, homedir()), 'columns'),
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
  };
}

/** Data rows of a CSV file (header and comments excluded) without parsing them; JSON is parsed. */
function barsInFile(file: CandleFile, tf: Timeframe): number {
  const cached = cachedRowCount(file.path, file.market, tf, candleColumnCache());
  if (cached !== undefined) return cached;
  if (file.format === 'json') {
    let n = 0;
    for (const _ of candlesOf(file, tf)) n += 1;
    return n;
  }
  let n = 0;
  for (const { text } of readLines(file.path)) if (!/^[a-z]/i.test(text)) n += 1;
  return n;
}

/**
 * Opens one streaming candle source per market: files under `--data` (CSV streamed, JSON parsed per
 * market), or Upbit's public candles through the rate-limited client and the on-disk cache
 * (`QTS_CACHE_DIR` or `~/.cache/qts`). Shared by the backtest and optimize commands. The bar count
 * is exact for files read whole and bounded by the window's length otherwise.
 */
export async function openCandleSources(req: SourceRequest): Promise<OpenedSources> {
  const { from, to } = req.window;
  const span =
    from !== undefined && to !== undefined ? Math.ceil((to - from) / timeframeMs(req.timeframe)) : undefined;
  if (req.dataPath !== undefined) {
    const files = findCandleFiles(req.dataPath, req.markets);
    let expectedBars = 0;
    for (const f of files)
      expectedBars += Math.min(span ?? Number.POSITIVE_INFINITY, barsInFile(f, req.timeframe));
    return {
      sources: new Map(
        files.map((f) => [f.market, candlesOf(f, req.timeframe, req.window, candleColumnCache())]),
      ),
      expectedBars,
    };
  }
  if (from === undefined || to === undefined)
    throw new RangeError('downloading candles needs a window: pass --days or --from/--to');
  const baseUrl = resolveUpbitUrls(req.restUrl, req.wsUrl).rest;
  const quotation = new UpbitQuotationApi(new UpbitRestClient({ baseUrl, clock: new SystemClock() }));
  const loaded = await loadMarkets({
    markets: req.markets,
    timeframe: req.timeframe,
    from,
    to,
    cacheDir: defaultCacheDir(process.env, homedir()),
    quotation,
    now: req.now,
    baseUrl,
    ...(req.onDownloadProgress === undefined ? {} : { onProgress: req.onDownloadProgress }),
  });
  return { sources: new Map(loaded), expectedBars: (span ?? 0) * loaded.size };
}

/**
 * Opens `--trades FILE|DIR` for the run's markets and window: one time-ordered tape per market that
 * has one (CSV streamed, gzip and Upbit ticks JSON read per file, recorder days chained). Markets
 * without one run on bars.
 */
export function openTradeSources(
  path: string,
  markets: readonly Market[],
  window: TimeWindow,
): Map<Market, TradeSource> {
  return new Map(findTradeFiles(path, markets).map((f) => [f.market, tradesOf(f, window)]));
}

/** Opens recorded order books (`--books`, or found next to the tape) for the run's markets. */
export function openBookSources(
  path: string,
  markets: readonly Market[],
  window: TimeWindow,
): Map<Market, BookSource> {
  return new Map(findBookFiles(path, markets).map((f) => [f.market, booksOf(f, window)]));
}
