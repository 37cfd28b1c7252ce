import type { Market } from '../../domain/market/market-id';
import { type Timeframe, timeframeMs } from '../../domain/market/timeframe';
import type { EpochMs } from '../../domain/time/epoch';
import { type CandleFile, candlesOf, findCandleFiles } from '../data/candle-files';
import type { ColumnCacheOptions } from '../data/column-cache';

/** The markets found under `--data` and the time span they cover together. */
export interface DataExtent {
  readonly markets: readonly Market[];
  readonly files: readonly CandleFile[];
  /** Open time of the earliest bar of any market. */
  readonly from: EpochMs;
  /** Close time of the latest bar of any market (exclusive end). */
  readonly to: EpochMs;
}

/**
 * Scans the data files once (CSV streamed, so memory stays flat) to find the window to cut folds
 * from when the user gave `--data` without `--from/--to`. An empty file is an error naming it. With
 * `cache`, this first pass also fills the binary column cache that the workers then read.
 */
export function dataExtent(
  dataPath: string,
  markets: readonly Market[],
  tf: Timeframe,
  cache?: ColumnCacheOptions,
): DataExtent {
  const files = findCandleFiles(dataPath, markets);
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const file of files) {
    let first: number | undefined;
    let last: number | undefined;
    for (const c of candlesOf(file, tf, {}, cache)) {
      first ??= c.openTime;
      last = c.openTime;
    }
    if (first === undefined || last === undefined)
      throw new RangeError(`${file.path} holds no ${tf} candles`);
    from = Math.min(from, first);
    to = Math.max(to, last + timeframeMs(tf));
  }
  return { markets: files.map((f) => f.market), files, from: from as EpochMs, to: to as EpochMs };
}
