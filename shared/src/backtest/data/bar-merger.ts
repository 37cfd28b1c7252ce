import type { Candle } from '../../domain/market/market-data';

/**
 * Merges per-market candle streams (each oldest first) into one stream ordered by open time, ties
 * broken by market code so the order never depends on file-system listing order. Holds one pending
 * candle per market, nothing more: memory is O(markets), not O(bars).
 */
export function* mergeBars(streams: readonly Iterator<Candle>[]): Generator<Candle> {
  const heads: (Candle | undefined)[] = streams.map((s) => nextOf(s));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h === undefined) continue;
      const b = best < 0 ? undefined : heads[best];
      if (b === undefined || h.openTime < b.openTime || (h.openTime === b.openTime && h.market < b.market))
        best = i;
    }
    if (best < 0) return;
    const out = heads[best] as Candle;
    const next = nextOf(streams[best] as Iterator<Candle>);
    if (next !== undefined && next.openTime <= out.openTime)
      throw new RangeError(
        `${out.market} candles are not strictly increasing in time at ${new Date(next.openTime).toISOString()}`,
      );
    heads[best] = next;
    yield out;
  }
}

function nextOf(it: Iterator<Candle>): Candle | undefined {
  const r = it.next();
  return r.done === true ? undefined : r.value;
}
