import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { Timeframe } from '../../domain/market/timeframe';
import type { EpochMs } from '../../domain/time/epoch';

/** The numeric fields of a candle, in the order the binary cache stores them. */
export const CANDLE_COLUMNS = ['openTime', 'open', 'high', 'low', 'close', 'volume', 'quoteVolume'] as const;

/** One of {@link CANDLE_COLUMNS}. */
export type CandleColumn = (typeof CANDLE_COLUMNS)[number];

/**
 * Candles of one market as Float64Array columns (8 bytes a field, no object per bar): what the
 * binary candle cache holds and what the synthetic benchmark generates up front so that the
 * measured time is the engine's. Every field of a candle is a double, so a round trip through
 * columns gives back exactly the same numbers.
 */
export type CandleColumns = { readonly length: number } & { readonly [K in CandleColumn]: Float64Array };

/**
 * The columns object {@link columnsOf} makes: a class, not an object literal. A literal is copied
 * from a boilerplate that V8 rebuilds, with its fields unset, when the making function's bytecode
 * has been flushed (a function idle through a long run, such as the setup between two benchmark
 * cases). That rebuilt boilerplate widened the seven Float64Array fields' tracked type to "any"
 * and threw away the optimised code of every reader (the candle views' getters and the engine's
 * inlined step loop) at the next case's start. A constructor's stores keep the type.
 */
class Columns {
  // Assigned in the constructor only, in CANDLE_COLUMNS order (`declare`: no field definitions).
  declare readonly length: number;
  declare readonly openTime: Float64Array;
  declare readonly open: Float64Array;
  declare readonly high: Float64Array;
  declare readonly low: Float64Array;
  declare readonly close: Float64Array;
  declare readonly volume: Float64Array;
  declare readonly quoteVolume: Float64Array;

  constructor(length: number, col: (index: number) => Float64Array) {
    this.length = length;
    this.openTime = col(0);
    this.open = col(1);
    this.high = col(2);
    this.low = col(3);
    this.close = col(4);
    this.volume = col(5);
    this.quoteVolume = col(6);
  }
}

/** Columns of `length` bars from the array of each {@link CANDLE_COLUMNS} index, in that order. */
export function columnsOf(length: number, col: (index: number) => Float64Array): CandleColumns {
  return new Columns(length, col);
}

/** Collects candles into columns that grow by doubling (amortised O(1) per bar). */
export class CandleColumnsBuilder {
  private capacity: number;
  private size = 0;
  private cols: Float64Array[];

  constructor(initialCapacity = 1024) {
    this.capacity = Math.max(1, initialCapacity);
    this.cols = CANDLE_COLUMNS.map(() => new Float64Array(this.capacity));
  }

  get length(): number {
    return this.size;
  }

  push(c: Candle): void {
    if (this.size === this.capacity) this.grow();
    const i = this.size++;
    const cols = this.cols;
    (cols[0] as Float64Array)[i] = c.openTime;
    (cols[1] as Float64Array)[i] = c.open;
    (cols[2] as Float64Array)[i] = c.high;
    (cols[3] as Float64Array)[i] = c.low;
    (cols[4] as Float64Array)[i] = c.close;
    (cols[5] as Float64Array)[i] = c.volume;
    (cols[6] as Float64Array)[i] = c.quoteVolume;
  }

  /**
   * The columns of the bars pushed: the arrays themselves when full, else exact-length copies (with
   * `trim`, for columns kept for a whole run: no growth slack, up to half of a doubled array) or
   * views (without, for columns that live briefly: no copy).
   */
  build(trim = true): CandleColumns {
    const exact = this.size === this.capacity;
    const col = (k: number) => {
      const a = this.cols[k] as Float64Array;
      if (exact) return a;
      return trim ? a.slice(0, this.size) : a.subarray(0, this.size);
    };
    return columnsOf(this.size, col);
  }

  private grow(): void {
    this.capacity *= 2;
    this.cols = this.cols.map((old) => {
      const next = new Float64Array(this.capacity);
      next.set(old);
      return next;
    });
  }
}

/** All candles of a source as columns; `expected` (the bar count, when known) avoids any regrowth. */
export function toCandleColumns(candles: Iterable<Candle>, expected = 1024): CandleColumns {
  const b = new CandleColumnsBuilder(expected);
  for (const c of candles) b.push(c);
  return b.build();
}

/** The candle at row `i` (a fresh object: the engine may keep it). */
export function candleAt(cols: CandleColumns, i: number, market: Market, timeframe: Timeframe): Candle {
  return {
    market,
    timeframe,
    openTime: cols.openTime[i] as EpochMs,
    open: cols.open[i] as number,
    high: cols.high[i] as number,
    low: cols.low[i] as number,
    close: cols.close[i] as number,
    volume: cols.volume[i] as number,
    quoteVolume: cols.quoteVolume[i] as number,
  };
}

/**
 * The columns as a re-iterable candle source, oldest first. A plain iterator rather than a
 * generator: resuming a generator per bar costs more than building the bar.
 */
export function columnCandles(cols: CandleColumns, market: Market, timeframe: Timeframe): Iterable<Candle> {
  return {
    [Symbol.iterator](): Iterator<Candle> {
      let i = 0;
      return {
        next(): IteratorResult<Candle> {
          if (i >= cols.length) return { done: true, value: undefined };
          return { done: false, value: candleAt(cols, i++, market, timeframe) };
        },
      };
    },
  };
}
