import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { chunkStartOf, defaultCacheDir } from '../../shared/src/backtest/data/candle-cache';
import { dataExtent } from '../../shared/src/backtest/optimize/data-extent';
import type { CandleDataSpec } from '../../shared/src/backtest/optimize/optimize-task';
import type { AppConfig } from '../../shared/src/config/config-schema';
import type { Timeframe } from '../../shared/src/domain/market/timeframe';
import { type EpochMs, epochMs, MS } from '../../shared/src/domain/time/epoch';
import { numberOption, type ParsedOptions, stringOption, timeOption, UsageError } from './args';
import { marketsOption } from './backtest-options';
import { candleColumnCache, openCandleSources } from './backtest-sources';
import { createProgress, progressEnabled } from './progress';

/** Where `npm run optimize` reads its candles from, and the window it optimises over. */
export interface DataChoice {
  readonly data: CandleDataSpec;
  readonly from: EpochMs;
  readonly to: EpochMs;
}

/** `--data` files (window from the files unless given), or whole UTC days downloaded into the cache first. */
export async function chooseData(
  options: ParsedOptions,
  config: AppConfig,
  tf: Timeframe,
  json: boolean,
): Promise<DataChoice> {
  const dataPath = stringOption(options, 'data');
  const markets = marketsOption(options, dataPath, config);
  const from = timeOption(options, 'from');
  const to = timeOption(options, 'to');
  if (dataPath !== undefined) {
    if (!existsSync(dataPath)) throw new UsageError(`--data ${dataPath}: no such file or directory`);
    const columnCache = candleColumnCache();
    const extent = dataExtent(dataPath, markets, tf, columnCache);
    return {
      data: {
        kind: 'files',
        dataPath,
        markets: extent.markets,
        timeframe: tf,
        columnCacheDir: columnCache.dir,
      },
      from: from ?? extent.from,
      to: to ?? extent.to,
    };
  }
  // Only closed cache chunks: workers read the cache and never download the day still in progress.
  const now = Date.now() as EpochMs;
  const end = epochMs(Math.min(to ?? Number.POSITIVE_INFINITY, chunkStartOf(now, tf)));
  const days = numberOption(options, 'days', 30, { min: 1, max: 3660, integer: true });
  const start = from ?? epochMs(end - days * MS.day);
  if (!(start < end)) throw new UsageError('--from must be before --to and before the current UTC day');
  const bar = createProgress('Downloading candles', progressEnabled(json));
  try {
    // Fills the cache (the sources it opens are not used: each worker opens its own).
    await openCandleSources({
      markets,
      timeframe: tf,
      window: { from: start, to: end },
      restUrl: config.upbit.restUrl,
      wsUrl: config.upbit.wsUrl,
      now,
      onDownloadProgress: (d, t) => bar.update(d, t),
    });
  } finally {
    bar.stop();
  }
  const cacheDir = defaultCacheDir(process.env, homedir());
  return { data: { kind: 'cache', cacheDir, markets, timeframe: tf, now }, from: start, to: end };
}
