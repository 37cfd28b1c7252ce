import { parseTrades } from '../../adapters/upbit/rest/quotation-parsers';
import type { Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { OrderSide } from '../../domain/orders/order-types';
import type { EpochMs } from '../../domain/time/epoch';
import { CandleDataError } from './candle-data-error';
import type { TimeWindow } from './candle-files';
import { parseCsvTime } from './csv-candle-reader';
import { readLines, readTextFile } from './read-lines';
import { findTapeFiles, type TapeFile } from './tape-files';

/** One market's trade tape: one file, or one per recorded day, in time order. */
export type TradeFile = TapeFile;

const HEADER = /^\s*timestamp\s*,\s*price\s*,\s*volume\s*,\s*side\s*(,\s*sequential_id\s*)?$/i;

/**
 * Finds trade tapes for the run's markets (see `findTapeFiles`): a file, a directory of
 * `KRW-XXX*.csv|json[.gz]`, or the recorder's root of `YYYY-MM-DD/KRW-XXX.trades.csv.gz` days.
 */
export function findTradeFiles(path: string, markets: readonly Market[]): TradeFile[] {
  return findTapeFiles(path, markets, 'trades');
}

/** A single-file tape, for callers that name one file directly. */
export function tradeFile(market: Market, path: string, format: 'csv' | 'json'): TradeFile {
  return { market, parts: [{ path, format }] };
}

/**
 * Trades of one tape inside the window, oldest first. CSV `timestamp,price,volume,side[,sequential_id]`
 * (the recorder's columns; gzip when the name ends in `.gz`) is read in order and must be in time
 * order; Upbit `GET /v1/trades/ticks` JSON (newest first as served, or saved oldest first) is parsed
 * whole and put in time order, ties kept in tape order. Day files are read one after another.
 */
export function* tradesOf(file: TradeFile, window: TimeWindow = {}): Generator<Trade> {
  for (const part of file.parts) {
    const source =
      part.format === 'json' ? upbitTradeJson(file.market, part.path) : readCsvTrades(part.path, file.market);
    for (const t of source) {
      if (window.from !== undefined && t.timestamp < window.from) continue;
      if (window.to !== undefined && t.timestamp >= window.to) return;
      yield t;
    }
  }
}

function upbitTradeJson(market: Market, path: string): Trade[] {
  let trades: Trade[];
  try {
    const text = readTextFile(path);
    // The text too: sequential ids exceed 2^53 and are read from it exactly.
    trades = parseTrades(JSON.parse(text), text);
  } catch (error) {
    throw new CandleDataError(
      path,
      undefined,
      `not an Upbit GET /v1/trades/ticks array: ${(error as Error).message}`,
    );
  }
  const other = trades.find((t) => t.market !== market);
  if (other !== undefined)
    throw new CandleDataError(path, undefined, `holds ${other.market} trades, expected ${market}`);
  const first = trades[0];
  const last = trades[trades.length - 1];
  if (first !== undefined && last !== undefined && first.timestamp > last.timestamp) trades.reverse();
  return trades.sort((a, b) => a.timestamp - b.timestamp);
}

function sideOf(cell: string): OrderSide | undefined {
  const s = cell.trim().toLowerCase();
  if (s === 'buy' || s === 'bid') return 'bid';
  if (s === 'sell' || s === 'ask') return 'ask';
  return undefined;
}

/**
 * Streams `timestamp,price,volume,side[,sequential_id]` rows; side is the taker's (buy|bid or
 * sell|ask); without an id column the line number stands in.
 */
function* readCsvTrades(path: string, market: Market): Generator<Trade> {
  let last: number | undefined;
  for (const { text, lineNo } of readLines(path)) {
    if (last === undefined && HEADER.test(text)) continue;
    const where = `line ${lineNo}`;
    const cells = text.split(',');
    if (cells.length !== 4 && cells.length !== 5)
      throw new CandleDataError(
        path,
        where,
        `expected 4 or 5 columns timestamp,price,volume,side[,sequential_id], got ${cells.length}`,
      );
    let timestamp: EpochMs;
    try {
      timestamp = parseCsvTime(cells[0] as string);
    } catch (error) {
      throw new CandleDataError(path, where, (error as Error).message);
    }
    const price = Number((cells[1] as string).trim());
    const volume = Number((cells[2] as string).trim());
    const takerSide = sideOf(cells[3] as string);
    if (!(Number.isFinite(price) && price > 0))
      throw new CandleDataError(path, where, 'price must be positive');
    if (!(Number.isFinite(volume) && volume > 0))
      throw new CandleDataError(path, where, 'volume must be positive');
    if (takerSide === undefined)
      throw new CandleDataError(
        path,
        where,
        `side must be buy, sell, bid or ask, got "${(cells[3] as string).trim()}"`,
      );
    if (last !== undefined && timestamp < last)
      throw new CandleDataError(
        path,
        where,
        'rows must be in time order (CSV files are streamed, not re-sorted)',
      );
    last = timestamp;
    yield { market, timestamp, price, volume, takerSide, sequentialId: cells[4]?.trim() || `${lineNo}` };
  }
}
