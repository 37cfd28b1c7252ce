import { join } from 'node:path';
import type { BookLevel, OrderbookSnapshot, Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { decimalFromNumber, formatDecimal } from '../../domain/money/decimal';
import type { OrderSide } from '../../domain/orders/order-types';
import type { EpochMs } from '../../domain/time/epoch';

/**
 * The recorded market tape, one directory per KST day (Upbit's trading day), one file per market and
 * kind, gzip (a file is a series of complete gzip members, so appending after a restart needs no
 * rewrite and a crash can lose at most the unflushed tail):
 *
 * - `<dir>/<YYYY-MM-DD>/<MARKET>.trades.csv.gz`: header {@link TAPE_TRADES_HEADER}, one public trade
 *   per line, `side` = the taker's side (`bid` = a buyer lifted the ask), decimals as plain text;
 * - `<dir>/<YYYY-MM-DD>/<MARKET>.orderbook.jsonl.gz`: one snapshot per line,
 *   `{"t":<ms>,"bids":[["price","size"],…],"asks":[…]}`, bids best (highest) first, asks best first.
 *
 * The backtester, the paper venue and the sim replay these files; the format is a contract, change
 * it only with a new file name.
 */
export const TAPE_TRADES_HEADER = 'timestamp,price,volume,side,sequential_id';

/** The two kinds of tape file. */
export type TapeKind = 'trades' | 'orderbook';

/** One recorded trade; prices and volumes stay decimal text end to end. */
export interface TapeTradeRow {
  readonly timestamp: EpochMs;
  readonly price: string;
  readonly volume: string;
  /** The taker's side. */
  readonly side: OrderSide;
  readonly sequentialId: string;
}

/** One `[price, size]` level as decimal text. */
export type TapeLevel = readonly [string, string];

/** One recorded order-book snapshot. */
export interface TapeBookRow {
  readonly t: EpochMs;
  readonly bids: readonly TapeLevel[];
  readonly asks: readonly TapeLevel[];
}

/** `<dir>/<date>/<market>.<kind>…gz`. */
export function tapeFilePath(dir: string, date: string, market: Market, kind: TapeKind): string {
  return join(dir, date, kind === 'trades' ? `${market}.trades.csv.gz` : `${market}.orderbook.jsonl.gz`);
}

// Plain decimal text of a float from the feed: its shortest round-trip form, never exponent notation.
function text(value: number): string {
  return formatDecimal(decimalFromNumber(value));
}

/** A feed trade as a tape row. */
export function tradeRow(trade: Trade): TapeTradeRow {
  return {
    timestamp: trade.timestamp,
    price: text(trade.price),
    volume: text(trade.volume),
    side: trade.takerSide,
    sequentialId: trade.sequentialId,
  };
}

function levels(rows: readonly BookLevel[]): TapeLevel[] {
  return rows.map((l) => [text(l.price), text(l.size)] as const);
}

/** A feed order-book snapshot as a tape row. */
export function bookRow(book: OrderbookSnapshot): TapeBookRow {
  return { t: book.timestamp, bids: levels(book.bids), asks: levels(book.asks) };
}

/** One CSV line (no newline). Fields never contain commas: decimals, a side and digits. */
export function formatTradeLine(row: TapeTradeRow): string {
  return `${row.timestamp},${row.price},${row.volume},${row.side},${row.sequentialId}`;
}

/** One JSON line (no newline), keys in the documented order. */
export function formatBookLine(row: TapeBookRow): string {
  return JSON.stringify({ t: row.t, bids: row.bids, asks: row.asks });
}

/** A tape row back as the feed's float trade (for strategies and the paper venue). */
export function tradeFromRow(market: Market, row: TapeTradeRow): Trade {
  return {
    market,
    timestamp: row.timestamp,
    price: Number(row.price),
    volume: Number(row.volume),
    takerSide: row.side,
    sequentialId: row.sequentialId,
  };
}

/** A tape row back as the feed's float snapshot. */
export function bookFromRow(market: Market, row: TapeBookRow): OrderbookSnapshot {
  const toLevels = (rows: readonly TapeLevel[]) =>
    rows.map(([p, s]) => ({ price: Number(p), size: Number(s) }));
  return { market, timestamp: row.t, bids: toLevels(row.bids), asks: toLevels(row.asks) };
}
