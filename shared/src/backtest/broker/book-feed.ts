import type { Candle, OrderbookSnapshot, Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { BarTape } from './tape-fills';

/** Recorded order-book snapshots of one market, oldest first: an array, a generator or a stream. */
export type BookSource = Iterable<OrderbookSnapshot> | AsyncIterable<OrderbookSnapshot>;

type AnyIterator = AsyncIterator<OrderbookSnapshot> | Iterator<OrderbookSnapshot>;

function iteratorOf(source: BookSource): AnyIterator {
  if (Symbol.asyncIterator in source)
    return (source as AsyncIterable<OrderbookSnapshot>)[Symbol.asyncIterator]();
  return (source as Iterable<OrderbookSnapshot>)[Symbol.iterator]();
}

interface Cursor {
  readonly it: AnyIterator;
  next: OrderbookSnapshot | undefined;
  latest: OrderbookSnapshot | undefined;
  started: boolean;
}

/**
 * Walks recorded order books forward with the bars: `at(t)` gives, per market, the latest snapshot
 * taken at or before `t` and not older than `maxAgeMs` (an older book says nothing about the queue
 * our order joins now). Holds one pending snapshot per market, so a day of books streams; a book
 * going back in time is an error, because silently re-sorting would hide a broken recording.
 */
export class BookFeed {
  private readonly cursors = new Map<Market, Cursor>();

  constructor(
    sources: ReadonlyMap<Market, BookSource>,
    private readonly maxAgeMs: number,
  ) {
    for (const [market, source] of sources)
      this.cursors.set(market, {
        it: iteratorOf(source),
        next: undefined,
        latest: undefined,
        started: false,
      });
  }

  /** Latest usable book per market at `t` (markets without one are absent). */
  async at(t: number): Promise<Map<Market, OrderbookSnapshot>> {
    const out = new Map<Market, OrderbookSnapshot>();
    for (const [market, c] of this.cursors) {
      if (!c.started) {
        c.next = await pull(c.it);
        c.started = true;
      }
      while (c.next !== undefined && c.next.timestamp <= t) {
        const following = await pull(c.it);
        if (following !== undefined && following.timestamp < c.next.timestamp)
          throw new RangeError(
            `${market} order books go back in time at ${new Date(following.timestamp).toISOString()}`,
          );
        c.latest = c.next;
        c.next = following;
      }
      if (c.latest !== undefined && c.latest.timestamp >= t - this.maxAgeMs) out.set(market, c.latest);
    }
    return out;
  }
}

async function pull(it: AnyIterator): Promise<OrderbookSnapshot | undefined> {
  const r = await it.next();
  return r.done === true ? undefined : r.value;
}

/**
 * The part of a time step's tape that belongs to one bar: its market's trades stamped inside
 * [open, open + barMs) and the book shown at the open; undefined when the run has neither, so the
 * broker estimates from the candle.
 */
export function barTapeOf(
  bar: Candle,
  barMs: number,
  trades: readonly Trade[],
  books: ReadonlyMap<Market, OrderbookSnapshot> | undefined,
): BarTape | undefined {
  const book = books?.get(bar.market);
  if (trades.length === 0 && book === undefined) return undefined;
  const end = bar.openTime + barMs;
  const own = trades.filter(
    (t) => t.market === bar.market && t.timestamp >= bar.openTime && t.timestamp < end,
  );
  return book === undefined ? { trades: own } : { trades: own, book };
}
