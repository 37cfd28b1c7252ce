import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { bucketStart, type Timeframe } from '../../domain/market/timeframe';
import { type EpochMs, parseIsoUtc } from '../../domain/time/epoch';
import { candleProblem } from './candle-checks';
import { CandleDataError } from './candle-data-error';
import { readLines } from './read-lines';

const HEADER =
  /^\s*timestamp\s*,\s*open\s*,\s*high\s*,\s*low\s*,\s*close\s*,\s*volume\s*(,\s*quote_volume\s*)?$/i;
const INTEGER = /^\d+$/;

/** Parses a CSV time cell: epoch milliseconds (digits) or ISO-8601 (no zone = UTC, like Upbit). */
export function parseCsvTime(cell: string): EpochMs {
  const text = cell.trim();
  if (INTEGER.test(text)) {
    const ms = Number(text);
    // 10-digit values are epoch seconds; accepting them silently would put every bar in 1970.
    if (text.length <= 11)
      throw new RangeError(`timestamp ${text} looks like seconds; use milliseconds or ISO-8601`);
    return ms as EpochMs;
  }
  return parseIsoUtc(text);
}

/**
 * Streams candles from a CSV file `timestamp,open,high,low,close,volume[,quote_volume]` (header
 * optional) in 1 MB chunks, so a year of 1-minute bars never sits in memory at once. Rows must be
 * oldest first (streaming cannot re-sort); timestamps must sit on the timeframe grid. Every error
 * names the line. `quote_volume` defaults to close × volume when absent.
 */
export function* readCsvCandles(path: string, market: Market, timeframe: Timeframe): Generator<Candle> {
  let last: number | undefined;
  for (const { text, lineNo } of readLines(path)) {
    if (last === undefined && HEADER.test(text)) continue;
    const candle = parseRow(text, path, lineNo, market, timeframe);
    if (last !== undefined && candle.openTime <= last)
      throw new CandleDataError(
        path,
        `line ${lineNo}`,
        candle.openTime === last
          ? `duplicate bar at ${new Date(candle.openTime).toISOString()}`
          : 'rows must be sorted oldest first (CSV files are streamed, not re-sorted)',
      );
    last = candle.openTime;
    yield candle;
  }
}

function parseRow(line: string, path: string, lineNo: number, market: Market, tf: Timeframe): Candle {
  const cells = line.split(',');
  if (cells.length !== 6 && cells.length !== 7)
    throw new CandleDataError(
      path,
      `line ${lineNo}`,
      `expected 6 columns timestamp,open,high,low,close,volume (optional quote_volume), got ${cells.length}`,
    );
  let openTime: EpochMs;
  try {
    openTime = parseCsvTime(cells[0] as string);
  } catch (error) {
    throw new CandleDataError(path, `line ${lineNo}`, (error as Error).message);
  }
  if (bucketStart(openTime, tf) !== openTime)
    throw new CandleDataError(path, `line ${lineNo}`, `time ${cells[0]} is not the start of a ${tf} bar`);
  const [open, high, low, close, vol] = cells
    .slice(1, 6)
    .map((c, i) => numberCell(c, i + 1, path, lineNo)) as number[];
  const quoteCell = cells[6];
  const row = {
    openTime,
    open: open as number,
    high: high as number,
    low: low as number,
    close: close as number,
    volume: vol as number,
    quoteVolume:
      quoteCell === undefined ? (close as number) * (vol as number) : numberCell(quoteCell, 6, path, lineNo),
  };
  const problem = candleProblem(row);
  if (problem !== undefined) throw new CandleDataError(path, `line ${lineNo}`, problem);
  return { market, timeframe: tf, ...row };
}

const COLUMNS = ['timestamp', 'open', 'high', 'low', 'close', 'volume', 'quote_volume'] as const;

/**
 * A cell's number. `Number` reads an empty cell as 0 and `0x10` as 16: a blank volume would load as
 * a bar that trades nothing, silently, so only decimal text is a number here.
 */
function numberCell(cell: string, column: number, path: string, lineNo: number): number {
  const text = cell.trim();
  const sign = text.charCodeAt(0) === 43 || text.charCodeAt(0) === 45 ? 1 : 0;
  const radix = text.charCodeAt(sign) === 48 ? text.charCodeAt(sign + 1) | 0x20 : 0;
  if (text.length === sign || radix === 0x78 || radix === 0x62 || radix === 0x6f)
    throw new CandleDataError(
      path,
      `line ${lineNo}`,
      `${COLUMNS[column] ?? `column ${column + 1}`} is ${text === '' ? 'empty' : `"${text}"`}: expected a decimal number`,
    );
  return Number(text);
}
