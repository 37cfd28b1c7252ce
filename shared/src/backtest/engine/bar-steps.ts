import type { Candle } from '../../domain/market/market-data';

/** Candles of one market, oldest first: an array, a generator, or an async stream (download, file). */
export type CandleSource = Iterable<Candle> | AsyncIterable<Candle>;

function iteratorOf(source: CandleSource): AsyncIterator<Candle> | Iterator<Candle> {
  if (Symbol.asyncIterator in source) return (source as AsyncIterable<Candle>)[Symbol.asyncIterator]();
  return (source as Iterable<Candle>)[Symbol.iterator]();
}

/**
 * Merges per-market sources into time steps: all candles sharing one open time, ordered by market
 * code, oldest step first. Holds one pending candle per market (memory O(markets), not O(bars)), so
 * a year of 1-minute bars streams. A market whose candles do not strictly increase is an error:
 * silently re-sorting would hide a broken file.
 */
export async function* barSteps(sources: ReadonlyMap<string, CandleSource>): AsyncGenerator<Candle[]> {
  const markets = [...sources.keys()].sort();
  const iterators = markets.map((m) => iteratorOf(sources.get(m) as CandleSource));
  const heads: (Candle | undefined)[] = [];
  for (const it of iterators) heads.push(await pull(it));
  for (;;) {
    let t = Number.POSITIVE_INFINITY;
    for (const h of heads) if (h !== undefined && h.openTime < t) t = h.openTime;
    if (t === Number.POSITIVE_INFINITY) return;
    const step: Candle[] = [];
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h === undefined || h.openTime !== t) continue;
      step.push(h);
      const next = await pull(iterators[i] as AsyncIterator<Candle> | Iterator<Candle>);
      if (next !== undefined && next.openTime <= h.openTime)
        throw new RangeError(
          `${h.market} candles are not strictly increasing in time at ${new Date(next.openTime).toISOString()}`,
        );
      heads[i] = next;
    }
    yield step;
  }
}

async function pull(it: AsyncIterator<Candle> | Iterator<Candle>): Promise<Candle | undefined> {
  const r = await it.next();
  return r.done === true ? undefined : r.value;
}
