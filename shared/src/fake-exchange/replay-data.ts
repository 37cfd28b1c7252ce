import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { CandleDataError } from '../backtest/data/candle-data-error';
import { type CandleFile, candlesOf, findCandleFiles } from '../backtest/data/candle-files';
import { parseCsvTime } from '../backtest/data/csv-candle-reader';
import type { ReplayBar } from '../domain/exchange/price-path';
import { type Market, parseMarket } from '../domain/market/market-id';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '../domain/market/timeframe';
import { parseIsoUtc } from '../domain/time/epoch';

/** The candles of one market to replay, oldest first. */
export interface ReplaySeries {
  readonly market: Market;
  readonly timeframe: Timeframe;
  readonly barMs: number;
  readonly bars: readonly ReplayBar[];
}

const SAMPLE_ROWS = 200;

/** Smallest positive gap between consecutive sorted times: the bar length, even with gaps in the data. */
function barLength(times: number[], path: string): Timeframe {
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  let min = Number.POSITIVE_INFINITY;
  for (let i = 1; i < sorted.length; i++)
    min = Math.min(min, (sorted[i] as number) - (sorted[i - 1] as number));
  if (!Number.isFinite(min)) return '1m';
  const tf = TIMEFRAMES.find((t) => TIMEFRAME_MS[t] === min);
  if (tf === undefined)
    throw new CandleDataError(
      path,
      undefined,
      `bars are ${min} ms apart; the sim replays ${TIMEFRAMES.join(', ')} candles`,
    );
  return tf;
}

function csvSampleTimes(path: string): number[] {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const times: number[] = [];
    for (const raw of buf.toString('utf8', 0, n).split('\n').slice(0, SAMPLE_ROWS)) {
      const cell = raw.split(',')[0]?.trim() ?? '';
      if (cell === '' || cell.startsWith('#') || /^timestamp$/i.test(cell)) continue;
      try {
        times.push(parseCsvTime(cell));
      } catch {
        // A bad row is reported with its line number by the real reader below.
      }
    }
    return times;
  } finally {
    closeSync(fd);
  }
}

function jsonSampleTimes(path: string): number[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CandleDataError(path, undefined, `not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(data)) return [];
  const times: number[] = [];
  for (const item of data.slice(0, SAMPLE_ROWS)) {
    const text = (item as { candle_date_time_utc?: unknown } | null)?.candle_date_time_utc;
    if (typeof text === 'string') times.push(parseIsoUtc(text));
  }
  return times;
}

/** Bar length of a candle file, read from its first rows (Upbit JSON or CSV). */
export function detectTimeframe(file: CandleFile): Timeframe {
  return barLength(file.format === 'csv' ? csvSampleTimes(file.path) : jsonSampleTimes(file.path), file.path);
}

/**
 * Loads the candles to replay from `--data` (one file or a directory of `KRW-XXX*.json|csv`, read by the
 * backtester's readers so both accept exactly the same files). `markets` narrows a directory, or names
 * the market of a single file whose name does not. The bar length is detected per file.
 */
export function loadReplayData(dataPath: string, markets: readonly string[] = []): ReplaySeries[] {
  const files = findCandleFiles(
    dataPath,
    markets.map((m) => parseMarket(m)),
  );
  return files.map((file) => {
    const timeframe = detectTimeframe(file);
    const bars: ReplayBar[] = [];
    for (const c of candlesOf(file, timeframe))
      bars.push({
        openTime: c.openTime,
        open: c.open,
        high: c.high,
        low: c.low,
        close: c.close,
        volume: c.volume,
      });
    if (bars.length === 0) throw new CandleDataError(file.path, undefined, 'no candles to replay');
    return { market: file.market, timeframe, barMs: TIMEFRAME_MS[timeframe], bars };
  });
}
