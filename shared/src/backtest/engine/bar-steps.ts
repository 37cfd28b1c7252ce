import type { Candle } from '../../domain/market/market-data';

/** Candles of one market, oldest first: an array, a generator, or an async stream (download, file). */
export type CandleSource = Iterable<Candle> | AsyncIterable<Candle>;

function isAsync(source: CandleSource): source is AsyncIterable<Candle> {
  return Symbol.asyncIterator in source;
}

function iteratorOf(source: CandleSource): AsyncIterator<Candle> | Iterator<Candle> {
  if (isAsync(source)) return source[Symbol.asyncIterator]();
  return source[Symbol.iterator]();
}

function notIncreasing(h: Candle, next: Candle): RangeError {
  return new RangeError(
    `${h.market} candles are not strictly increasing in time at ${new Date(next.openTime).toISOString()}`,
  );
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
      if (next !== undefined && next.openTime <= h.openTime) throw notIncreasing(h, next);
      heads[i] = next;
    }
    yield step;
  }
}

async function pull(it: AsyncIterator<Candle> | Iterator<Candle>): Promise<Candle | undefined> {
  const r = await it.next();
  return r.done === true ? undefined : r.value;
}

/**
 * {@link barSteps} for sources that are all synchronous (arrays, generators, file readers): the same
 * steps in the same order, without a promise per bar. An awaited step costs more than a bar of a
 * single strategy, so the backtest takes this path whenever it can.
 */
export class SyncBarSteps {
  private readonly iterators: Iterator<Candle>[];
  private readonly heads: (Candle | undefined)[];
  private readonly step: Candle[] | undefined;

  /**
   * `reuse`: every step is the same array, refilled (no array per bar), for a caller that keeps no
   * step past the next call.
   */
  constructor(sources: ReadonlyMap<string, Iterable<Candle>>, reuse = false) {
    // One slot from the start, in an object array: a fresh `[]` (small integers, no room) threw away
    // the optimised step loop at the first bar of every run but an isolate's first (optimizer tasks).
    this.step = reuse ? (Array.of(undefined) as unknown as Candle[]) : undefined;
    const markets = [...sources.keys()].sort();
    this.iterators = markets.map((m) => (sources.get(m) as Iterable<Candle>)[Symbol.iterator]());
    this.heads = this.iterators.map((it) => {
      const r = it.next();
      return r.done === true ? undefined : r.value;
    });
  }

  /** Sync sources only, or undefined when one of them is asynchronous. */
  static of(sources: ReadonlyMap<string, CandleSource>, reuse = false): SyncBarSteps | undefined {
    for (const s of sources.values()) if (isAsync(s)) return undefined;
    return new SyncBarSteps(sources as ReadonlyMap<string, Iterable<Candle>>, reuse);
  }

  /** The next step, or undefined when every source is exhausted. */
  next(): Candle[] | undefined {
    const heads = this.heads;
    if (heads.length === 1) return this.nextOfOne();
    let t = Number.POSITIVE_INFINITY;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h !== undefined && h.openTime < t) t = h.openTime;
    }
    if (t === Number.POSITIVE_INFINITY) return undefined;
    const step = this.step ?? [];
    // Refilled by index: setting `length` to 0 on every step is a runtime call.
    let n = 0;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h === undefined || h.openTime !== t) continue;
      step[n++] = h;
      const r = (this.iterators[i] as Iterator<Candle>).next();
      const next = r.done === true ? undefined : r.value;
      if (next !== undefined && next.openTime <= h.openTime) throw notIncreasing(h, next);
      heads[i] = next;
    }
    if (step.length !== n) step.length = n;
    return step;
  }

  /** {@link next} for one market (every single-market run): its head is the step. */
  private nextOfOne(): Candle[] | undefined {
    const h = this.heads[0];
    const t = h === undefined ? Number.POSITIVE_INFINITY : h.openTime;
    // As the general path: a head whose time is not below +∞ (NaN included) ends the steps.
    if (h === undefined || !(t < Number.POSITIVE_INFINITY)) return undefined;
    const step = this.step ?? [];
    step[0] = h;
    if (step.length !== 1) step.length = 1;
    const r = (this.iterators[0] as Iterator<Candle>).next();
    const next = r.done === true ? undefined : r.value;
    if (next !== undefined && next.openTime <= t) throw notIncreasing(h, next);
    this.heads[0] = next;
    return step;
  }
}
