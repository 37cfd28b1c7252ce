import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Candle } from '../../domain/market/market-data';
import { isMarket, type Market } from '../../domain/market/market-id';
import { TIMEFRAMES, type Timeframe, timeframeMs } from '../../domain/market/timeframe';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { parseJsonCandles } from './binance-json-candles';
import { CandleDataError } from './candle-data-error';
import { type ColumnCacheOptions, cachedCandles } from './column-cache';
import { readCsvCandles } from './csv-candle-reader';
import { readTextFile } from './read-lines';

/** One market's candle file, found by name. */
export interface CandleFile {
  readonly market: Market;
  readonly path: string;
  readonly format: 'csv' | 'json';
}

// `KRW-BTC.csv`, `KRW-BTC_1m.json`, also `upbit_krw-btc_1m_2020-02-20.json` (case and `_` folded).
const MARKET_PREFIX = /(?:^|[^A-Z0-9])(KRW-[A-Z0-9]+)/;

/**
 * `csv` or `json` from the file extension (case-insensitive, optionally gzip-compressed as
 * `.csv.gz` / `.json.gz`); anything else is not a data file.
 */
export function formatOf(path: string): 'csv' | 'json' | undefined {
  const lower = path.toLowerCase().replace(/\.gz$/, '');
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
}

/** A tape recorder file (`KRW-BTC.trades.csv.gz`, `KRW-BTC.orderbook.jsonl.gz`): not candles. */
export function isTapeFile(name: string): boolean {
  return /\.(trades|orderbook)\./i.test(basename(name));
}

/** The KRW market a data file is for, read from its name (`KRW-BTC_1m.csv`, `upbit_krw-btc….json`). */
export function marketFromName(path: string): Market | undefined {
  const m = MARKET_PREFIX.exec(basename(path).toUpperCase().replace(/_/g, '-'));
  const text = m?.[1];
  return text !== undefined && isMarket(text) ? text : undefined;
}

/**
 * Finds the candle files for the wanted markets. `dataPath` is one file (its market from the file
 * name, e.g. `KRW-BTC.csv`, or the only wanted market) or a directory holding one `KRW-BTC*.json|csv`
 * per market. A wanted market without a file, or with two, is an error naming what was found.
 */
export function findCandleFiles(dataPath: string, markets: readonly Market[]): CandleFile[] {
  let isDir: boolean;
  try {
    isDir = statSync(dataPath).isDirectory();
  } catch {
    throw new CandleDataError(dataPath, undefined, 'no such file or directory');
  }
  if (!isDir) {
    const format = formatOf(dataPath);
    if (format === undefined) throw new CandleDataError(dataPath, undefined, 'expected a .csv or .json file');
    const named = marketFromName(dataPath);
    const market = named ?? (markets.length === 1 ? markets[0] : undefined);
    if (market === undefined)
      throw new CandleDataError(
        dataPath,
        undefined,
        'cannot tell the market: name the file KRW-XXX….csv|json or pass exactly one --market',
      );
    if (named !== undefined && markets.length > 0 && !markets.includes(named))
      throw new CandleDataError(
        dataPath,
        undefined,
        `file is for ${named} but --market asks for ${markets.join(',')}`,
      );
    return [{ market, path: dataPath, format }];
  }
  const byMarket = new Map<Market, CandleFile[]>();
  for (const name of readdirSync(dataPath).sort()) {
    const path = join(dataPath, name);
    const format = formatOf(name);
    const market = marketFromName(name);
    if (format === undefined || market === undefined || isTapeFile(name)) continue;
    byMarket.set(market, [...(byMarket.get(market) ?? []), { market, path, format }]);
  }
  const wanted = markets.length > 0 ? markets : [...byMarket.keys()].sort();
  if (wanted.length === 0)
    throw new CandleDataError(dataPath, undefined, 'no KRW-XXX*.csv|json files in this directory');
  return wanted.map((m) => {
    const files = byMarket.get(m) ?? [];
    if (files.length === 0)
      throw new CandleDataError(
        dataPath,
        undefined,
        `no file for ${m} (found: ${[...byMarket.keys()].join(', ') || 'none'}); name it ${m}.csv or ${m}.json`,
      );
    if (files.length > 1)
      throw new CandleDataError(
        dataPath,
        undefined,
        `several files for ${m}: ${files.map((f) => basename(f.path)).join(', ')}`,
      );
    return files[0] as CandleFile;
  });
}

/** Half-open time window [from, to); either end may be open. */
export interface TimeWindow {
  readonly from?: EpochMs;
  readonly to?: EpochMs;
}

/**
 * Candles of one file inside the window, oldest first. CSV is streamed; JSON (Upbit's REST shape or
 * Binance-style candles, see parseJsonCandles) is parsed whole per market because JSON has no
 * streaming boundary — prefer CSV for long ranges. Either may be gzip-compressed (`.gz`).
 * A file whose bars sit on a regular coarser grid than `tf` is refused (see {@link coarserGrid}).
 * With `cache`, the file's checked candles come from (or go to) the binary column cache
 * (`column-cache.ts`): the same candles, without parsing text on every run.
 */
export function* candlesOf(
  file: CandleFile,
  tf: Timeframe,
  window: TimeWindow = {},
  cache?: ColumnCacheOptions,
): Generator<Candle> {
  const source =
    (cache === undefined
      ? undefined
      : cachedCandles(file.path, file.market, tf, cache, () => checkedCandlesOf(file, tf))) ??
    checkedCandlesOf(file, tf);
  for (const c of source) {
    if (window.from !== undefined && c.openTime < window.from) continue;
    if (window.to !== undefined && c.openTime >= window.to) return;
    yield c;
  }
}

/** Every candle of a file, parsed and checked (rows, order, grid), oldest first. */
function checkedCandlesOf(file: CandleFile, tf: Timeframe): Iterable<Candle> {
  const source =
    file.format === 'csv'
      ? readCsvCandles(file.path, file.market, tf)
      : parseJsonCandles(readTextFile(file.path), file.path, file.market, tf);
  return spacingChecked(source, tf, file.path);
}

// Gaps looked at before deciding that a file is on a coarser grid than asked.
const GRID_GAPS = 20;

/**
 * The bar length a file is really on, when its first {@link GRID_GAPS} gaps all equal one supported
 * timeframe of at least twice `tf`: day bars read with the default `--timeframe 1m` would otherwise run as a
 * "1m" backtest whose bar counts, labels and per-bar strategies all mean something else. Real 1m
 * data with quiet minutes (Upbit makes no candle for a minute without trades) has irregular gaps,
 * so it is never mistaken for a coarser grid.
 */
export function coarserGrid(openTimes: readonly number[], tf: Timeframe): number | undefined {
  if (openTimes.length <= GRID_GAPS) return undefined;
  const gap = (openTimes[1] as number) - (openTimes[0] as number);
  if (gap < 2 * timeframeMs(tf) || !TIMEFRAMES.some((t) => timeframeMs(t) === gap)) return undefined;
  for (let i = 2; i <= GRID_GAPS; i++)
    if ((openTimes[i] as number) - (openTimes[i - 1] as number) !== gap) return undefined;
  return gap;
}

function* spacingChecked(source: Iterable<Candle>, tf: Timeframe, path: string): Generator<Candle> {
  const head: Candle[] = [];
  for (const c of source) {
    if (head.length <= GRID_GAPS) {
      head.push(c);
      if (head.length <= GRID_GAPS) continue;
      const gap = coarserGrid(
        head.map((h) => h.openTime),
        tf,
      );
      if (gap !== undefined) {
        const name = TIMEFRAMES.find((t) => timeframeMs(t) === gap);
        throw new CandleDataError(
          path,
          undefined,
          `bars are ${gap / MS.minute} minutes apart, not ${tf}: this looks like ${name} data, pass --timeframe ${name}`,
        );
      }
      yield* head;
      continue;
    }
    yield c;
  }
  if (head.length <= GRID_GAPS) yield* head;
}
