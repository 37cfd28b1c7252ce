import { homedir } from 'node:os';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { UpbitQuotationApi } from '../../shared/src/adapters/upbit/rest/upbit-quotation-api';
import { UpbitRestClient } from '../../shared/src/adapters/upbit/rest/upbit-rest-client';
import { defaultCacheDir } from '../../shared/src/backtest/data/candle-cache';
import { loadMarkets } from '../../shared/src/backtest/data/candle-download';
import { candlesOf, findCandleFiles, type TimeWindow } from '../../shared/src/backtest/data/candle-files';
import { findTradeFiles, tradesOf } from '../../shared/src/backtest/data/trade-files';
import type { CandleSource } from '../../shared/src/backtest/engine/bar-steps';
import type { TradeSource } from '../../shared/src/backtest/engine/trade-feed';
import type { Market } from '../../shared/src/domain/market/market-id';
import type { Timeframe } from '../../shared/src/domain/market/timeframe';
import type { EpochMs } from '../../shared/src/domain/time/epoch';

/** Where the candles of a run come from and for which window. */
export interface SourceRequest {
  /** `--data FILE|DIR`; undefined means download from Upbit (with the disk cache). */
  readonly dataPath?: string;
  /** Wanted markets; empty with `--data` means every market found there. */
  readonly markets: readonly Market[];
  readonly timeframe: Timeframe;
  readonly window: TimeWindow;
  readonly restUrl: string;
  readonly now: EpochMs;
  readonly onDownloadProgress?: (done: number, total: number) => void;
}

/**
 * Opens one streaming candle source per market: files under `--data` (CSV streamed, JSON parsed per
 * market), or Upbit's public candles through the rate-limited client and the on-disk cache
 * (`QTS_CACHE_DIR` or `~/.cache/qts`). Shared by the backtest and optimize commands.
 */
export async function openCandleSources(req: SourceRequest): Promise<Map<Market, CandleSource>> {
  if (req.dataPath !== undefined) {
    const files = findCandleFiles(req.dataPath, req.markets);
    return new Map(files.map((f) => [f.market, candlesOf(f, req.timeframe, req.window)]));
  }
  const { from, to } = req.window;
  if (from === undefined || to === undefined)
    throw new RangeError('downloading candles needs a window: pass --days or --from/--to');
  const quotation = new UpbitQuotationApi(
    new UpbitRestClient({ baseUrl: req.restUrl, clock: new SystemClock() }),
  );
  const loaded = await loadMarkets({
    markets: req.markets,
    timeframe: req.timeframe,
    from,
    to,
    cacheDir: defaultCacheDir(process.env, homedir()),
    quotation,
    now: req.now,
    ...(req.onDownloadProgress === undefined ? {} : { onProgress: req.onDownloadProgress }),
  });
  return new Map(loaded);
}

/**
 * Opens `--trades FILE|DIR` for the run's markets and window: one time-ordered tape per market that
 * has a file (CSV streamed, Upbit ticks JSON parsed per market). Markets without one run on bars.
 */
export function openTradeSources(
  path: string,
  markets: readonly Market[],
  window: TimeWindow,
): Map<Market, TradeSource> {
  return new Map(findTradeFiles(path, markets).map((f) => [f.market, tradesOf(f, window)]));
}
