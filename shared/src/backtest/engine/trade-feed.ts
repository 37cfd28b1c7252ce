import type { Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';

/** Trades of one market, oldest first: an array, a generator, or an async stream (a file). */
export type TradeSource = Iterable<Trade> | AsyncIterable<Trade>;

type AnyIterator = AsyncIterator<Trade> | Iterator<Trade>;

function iteratorOf(source: TradeSource): AnyIterator {
  if (Symbol.asyncIterator in source) return (source as AsyncIterable<Trade>)[Symbol.asyncIterator]();
  return (source as Iterable<Trade>)[Symbol.iterator]();
}

/**
 * Merges per-market tapes into one time-ordered stream that the event loop drains up to each bar
 * close: `takeBefore(t)` returns every trade stamped before `t` not yet returned, ordered by time,
 * then market code, then tape order, so the order never depends on how the files were read. Holds
 * one pending trade per market (memory O(markets)); a tape going back in time is an error, because
 * silently re-sorting would hide a broken file.
 */
export class TradeFeed {
  private readonly markets: readonly Market[];
  private readonly iterators: AnyIterator[];
  private heads: (Trade | undefined)[] | undefined = undefined;

  constructor(sources: ReadonlyMap<Market, TradeSource>) {
    this.markets = [...sources.keys()].sort();
    this.iterators = this.markets.map((m) => iteratorOf(sources.get(m) as TradeSource));
  }

  /** Every remaining trade with `timestamp < end`, in feed order. */
  async takeBefore(end: number): Promise<Trade[]> {
    const heads = await this.start();
    const out: Trade[] = [];
    for (;;) {
      let pick = -1;
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i];
        if (h === undefined || h.timestamp >= end) continue;
        const best = pick < 0 ? undefined : heads[pick];
        if (best === undefined || h.timestamp < best.timestamp) pick = i;
      }
      if (pick < 0) return out;
      const trade = heads[pick] as Trade;
      out.push(trade);
      const next = await pull(this.iterators[pick] as AnyIterator);
      if (next !== undefined && next.timestamp < trade.timestamp)
        throw new RangeError(
          `${trade.market} trades go back in time at ${new Date(next.timestamp).toISOString()}`,
        );
      heads[pick] = next;
    }
  }

  private async start(): Promise<(Trade | undefined)[]> {
    if (this.heads === undefined) {
      const heads: (Trade | undefined)[] = [];
      for (const it of this.iterators) heads.push(await pull(it));
      this.heads = heads;
    }
    return this.heads;
  }
}

async function pull(it: AnyIterator): Promise<Trade | undefined> {
  const r = await it.next();
  return r.done === true ? undefined : r.value;
}
