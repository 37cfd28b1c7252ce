import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseTrades } from '../../adapters/upbit/rest/quotation-parsers';
import type { Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { OrderSide } from '../../domain/orders/order-types';
import type { EpochMs } from '../../domain/time/epoch';
import { CandleDataError } from './candle-data-error';
import { type CandleFile, formatOf, marketFromName, type TimeWindow } from './candle-files';
import { parseCsvTime } from './csv-candle-reader';
import { readLines } from './read-lines';

/** One market's trade (tape) file, found by name like a candle file. */
export type TradeFile = CandleFile;

const HEADER = /^\s*timestamp\s*,\s*price\s*,\s*volume\s*,\s*side\s*$/i;

/**
 * Finds trade files for the run's markets. `path` is one file (market from its name, or the only
 * market) or a directory of `KRW-XXX*.json|csv`. Unlike candles, trades are optional per market: a
 * market without a file simply runs on bars alone (its strategies use their candle-only estimators).
 * A file for a market the run does not trade is ignored; two files for one market are an error.
 */
export function findTradeFiles(path: string, markets: readonly Market[]): TradeFile[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new CandleDataError(path, undefined, 'no such file or directory');
  }
  if (!isDir) {
    const format = formatOf(path);
    if (format === undefined)
      throw new CandleDataError(path, undefined, 'expected a .csv or .json trade file');
    const market = marketFromName(path) ?? (markets.length === 1 ? markets[0] : undefined);
    if (market === undefined)
      throw new CandleDataError(path, undefined, 'cannot tell the market: name the file KRW-XXX….csv|json');
    if (markets.length > 0 && !markets.includes(market))
      throw new CandleDataError(
        path,
        undefined,
        `trades for ${market}, but the run trades ${markets.join(',')}`,
      );
    return [{ market, path, format }];
  }
  const found = new Map<Market, TradeFile>();
  for (const name of readdirSync(path).sort()) {
    const format = formatOf(name);
    const market = marketFromName(name);
    if (format === undefined || market === undefined) continue;
    if (markets.length > 0 && !markets.includes(market)) continue;
    const prior = found.get(market);
    if (prior !== undefined)
      throw new CandleDataError(
        path,
        undefined,
        `several trade files for ${market}: ${basename(prior.path)}, ${name}`,
      );
    found.set(market, { market, path: join(path, name), format });
  }
  return [...found.values()].sort((a, b) => (a.market < b.market ? -1 : 1));
}

/**
 * Trades of one file inside the window, oldest first. CSV `timestamp,price,volume,side` is streamed
 * and must be in time order; Upbit `GET /v1/trades/ticks` JSON (newest first as served, or saved
 * oldest first) is parsed whole and put in time order, ties kept in tape order.
 */
export function* tradesOf(file: TradeFile, window: TimeWindow = {}): Generator<Trade> {
  const source = file.format === 'csv' ? readCsvTrades(file.path, file.market) : upbitTradeJson(file);
  for (const t of source) {
    if (window.from !== undefined && t.timestamp < window.from) continue;
    if (window.to !== undefined && t.timestamp >= window.to) return;
    yield t;
  }
}

function upbitTradeJson(file: TradeFile): Trade[] {
  let trades: Trade[];
  try {
    const text = readFileSync(file.path, 'utf8');
    // The text too: sequential ids exceed 2^53 and are read from it exactly.
    trades = parseTrades(JSON.parse(text), text);
  } catch (error) {
    throw new CandleDataError(
      file.path,
      undefined,
      `not an Upbit GET /v1/trades/ticks array: ${(error as Error).message}`,
    );
  }
  const other = trades.find((t) => t.market !== file.market);
  if (other !== undefined)
    throw new CandleDataError(file.path, undefined, `holds ${other.market} trades, expected ${file.market}`);
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

/** Streams `timestamp,price,volume,side` rows; side is the taker's (buy|bid or sell|ask). */
function* readCsvTrades(path: string, market: Market): Generator<Trade> {
  let last: number | undefined;
  for (const { text, lineNo } of readLines(path)) {
    if (last === undefined && HEADER.test(text)) continue;
    const where = `line ${lineNo}`;
    const cells = text.split(',');
    if (cells.length !== 4)
      throw new CandleDataError(
        path,
        where,
        `expected 4 columns timestamp,price,volume,side, got ${cells.length}`,
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
    yield { market, timestamp, price, volume, takerSide, sequentialId: `${lineNo}` };
  }
}
