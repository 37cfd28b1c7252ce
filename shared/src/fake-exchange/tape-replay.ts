import { existsSync, statSync } from 'node:fs';
import { type BookFile, booksOf, findBookFiles } from '../backtest/data/book-files';
import { CandleDataError } from '../backtest/data/candle-data-error';
import type { TimeWindow } from '../backtest/data/candle-files';
import { findTradeFiles, type TradeFile, tradesOf } from '../backtest/data/trade-files';
import type { OrderbookSnapshot, Trade } from '../domain/market/market-data';
import { type Market, parseMarket } from '../domain/market/market-id';

/** One recorded event of one market: a public trade or an order-book snapshot. */
export type TapeEvent =
  | { readonly kind: 'book'; readonly at: number; readonly book: OrderbookSnapshot }
  | { readonly kind: 'trade'; readonly at: number; readonly trade: Trade };

/** A recorded tape ready to replay: its markets, where it starts, and its events in time order. */
export interface TapeReplay {
  readonly root: string;
  readonly markets: readonly Market[];
  /** Time of the first event replayed (sim time starts here). */
  readonly startAt: number;
  /** Every market's events merged in time order (books before trades at the same millisecond). */
  events(): Generator<TapeEvent>;
}

/** Why a tape cannot be replayed; the message names the path and the fix. */
export class TapeReplayError extends CandleDataError {}

const LAYOUT = '<DIR>/<YYYY-MM-DD>/<MARKET>.trades.csv.gz and <MARKET>.orderbook.jsonl.gz';

/**
 * One market's events in time order: its trades (inside the window) and books (the last one before
 * the window, then those inside it), books first at equal times so a trade is matched against the
 * book shown at or before it — the backtester's rule for the queue ahead.
 */
function* marketEvents(
  trades: TradeFile | undefined,
  books: BookFile | undefined,
  window: TimeWindow,
): Generator<TapeEvent> {
  const t = trades === undefined ? undefined : tradesOf(trades, window);
  const b = books === undefined ? undefined : booksOf(books, window);
  let trade = t?.next();
  let book = b?.next();
  // Books before the window: only the latest matters (it is the book shown when the window opens).
  if (window.from !== undefined && b !== undefined)
    for (;;) {
      if (book === undefined || book.done === true || book.value.timestamp >= window.from) break;
      const following = b.next();
      if (following.done === true || following.value.timestamp > window.from) {
        yield { kind: 'book', at: window.from, book: { ...book.value, timestamp: window.from } };
        book = following;
        break;
      }
      book = following;
    }
  for (;;) {
    const nextBook = book === undefined || book.done === true ? undefined : book.value;
    const nextTrade = trade === undefined || trade.done === true ? undefined : trade.value;
    if (nextBook === undefined && nextTrade === undefined) return;
    if (nextBook !== undefined && (nextTrade === undefined || nextBook.timestamp <= nextTrade.timestamp)) {
      yield { kind: 'book', at: nextBook.timestamp, book: nextBook };
      book = b?.next();
    } else if (nextTrade !== undefined) {
      yield { kind: 'trade', at: nextTrade.timestamp, trade: nextTrade };
      trade = t?.next();
    }
  }
}

/** Merges per-market streams by time (stable: earlier markets first at equal times). */
function* merged(streams: Generator<TapeEvent>[]): Generator<TapeEvent> {
  const heads: (TapeEvent | undefined)[] = streams.map((s) => s.next().value ?? undefined);
  for (;;) {
    let best = -1;
    let bestAt = Number.POSITIVE_INFINITY;
    heads.forEach((h, i) => {
      if (h !== undefined && h.at < bestAt) {
        best = i;
        bestAt = h.at;
      }
    });
    if (best < 0) return;
    yield heads[best] as TapeEvent;
    heads[best] = (streams[best] as Generator<TapeEvent>).next().value ?? undefined;
  }
}

/**
 * Opens the executor's recorded tape under `root` (the recorder's layout, also a directory of
 * `KRW-XXX.trades.csv[.gz]` files or one file) for the markets asked (default: every market that has a
 * trade tape). Reads the first event of every market at once, so a missing, empty or unreadable tape
 * fails here with the file (and line) named; a line damaged later stops the replay with the same
 * kind of message. Day files are read one after another through the backtester's readers (each
 * `.gz` file is decompressed whole, so memory holds about one day of one market's file at a time).
 */
export function openTapeReplay(
  root: string,
  markets: readonly string[] = [],
  window: TimeWindow = {},
): TapeReplay {
  if (!existsSync(root))
    throw new TapeReplayError(root, undefined, `no such tape directory; expected ${LAYOUT}`);
  const wanted = markets.map((m) => parseMarket(m));
  const tradeFiles = findTradeFiles(root, wanted);
  const bookFiles = statSync(root).isDirectory() ? findBookFiles(root, wanted) : [];
  if (tradeFiles.length === 0)
    throw new TapeReplayError(
      root,
      undefined,
      `no trade tape${wanted.length > 0 ? ` for ${wanted.join(', ')}` : ''}; expected ${LAYOUT} ` +
        '(what the executor records under executor.tapeDir)',
    );
  const bookOf = new Map(bookFiles.map((f) => [f.market, f]));
  const streamsOf = () => tradeFiles.map((f) => marketEvents(f, bookOf.get(f.market), window));
  let startAt = Number.POSITIVE_INFINITY;
  for (const [i, stream] of streamsOf().entries()) {
    const first = stream.next();
    const file = tradeFiles[i] as TradeFile;
    if (first.done === true)
      throw new TapeReplayError(
        file.parts[0]?.path ?? root,
        undefined,
        `the ${file.market} tape holds no trade or book${window.from === undefined && window.to === undefined ? '' : ' inside --from/--to'}`,
      );
    startAt = Math.min(startAt, first.value.at);
  }
  return {
    root,
    markets: tradeFiles.map((f) => f.market),
    startAt,
    events: () => merged(streamsOf()),
  };
}
