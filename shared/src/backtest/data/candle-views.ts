import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { Timeframe } from '../../domain/market/timeframe';
import type { EpochMs } from '../../domain/time/epoch';
import { type CandleColumns, candleAt } from './candle-columns';

/**
 * A candle that reads row `row` of columns that never change while it lives: one small object per
 * bar instead of a candle whose seven doubles are each a heap number of their own (a candle object
 * is ~8 allocations). The values are the columns' doubles, so every reader sees exactly what
 * `candleAt` would give. Its fields are getters on the prototype: a spread or `Object.keys`
 * does not see them (`toJSON` gives the plain candle); nothing on the backtest path copies a candle.
 */
class ColumnCandle implements Candle {
  // Assigned in the constructor only (`declare`: no class-field definitions before it, which
  // would cost a define per field and bar).
  declare private readonly cols: CandleColumns;
  declare private readonly row: number;
  declare readonly market: Market;
  declare readonly timeframe: Timeframe;

  constructor(cols: CandleColumns, row: number, market: Market, timeframe: Timeframe) {
    this.cols = cols;
    this.row = row;
    this.market = market;
    this.timeframe = timeframe;
  }

  get openTime(): EpochMs {
    return this.cols.openTime[this.row] as EpochMs;
  }

  get open(): number {
    return this.cols.open[this.row] as number;
  }

  get high(): number {
    return this.cols.high[this.row] as number;
  }

  get low(): number {
    return this.cols.low[this.row] as number;
  }

  get close(): number {
    return this.cols.close[this.row] as number;
  }

  get volume(): number {
    return this.cols.volume[this.row] as number;
  }

  get quoteVolume(): number {
    return this.cols.quoteVolume[this.row] as number;
  }

  /** The plain candle (what `JSON.stringify` writes). */
  toJSON(): Candle {
    return candleAt(this.cols, this.row, this.market, this.timeframe);
  }
}

/**
 * `columnCandles` with each candle a view of its row (see ColumnCandle): one object per bar
 * instead of ~8, for a run over columns held whole that never change while the candles are in use
 * (the synthetic benchmarks' columns; not a reader that refills one buffer block by block, which
 * uses `candleAt`). The candles read the same doubles; only a spread, `Object.keys` or a deep
 * equality that walks own properties sees the difference.
 */
export function columnCandleViews(
  cols: CandleColumns,
  market: Market,
  timeframe: Timeframe,
): Iterable<Candle> {
  return {
    [Symbol.iterator](): Iterator<Candle> {
      return new ColumnViewIterator(cols, market, timeframe);
    },
  };
}

/**
 * The iterator of {@link columnCandleViews}. A class, so the iterators of every run share one `next`
 * (a closure per iterator was a new call target for the engine's inlined step loop in each run after
 * an isolate's first: an optimizer worker's every second task), and one result literal for the last
 * step and the others (V8 widened the `value` field type when the separate end-of-data literal first
 * ran, at the end of a worker's first task, and threw away the code compiled for it).
 */
class ColumnViewIterator implements Iterator<Candle> {
  private i = 0;

  constructor(
    private readonly cols: CandleColumns,
    private readonly market: Market,
    private readonly timeframe: Timeframe,
  ) {}

  next(): IteratorResult<Candle> {
    const done = this.i >= this.cols.length;
    const value = done ? undefined : new ColumnCandle(this.cols, this.i++, this.market, this.timeframe);
    return { done, value } as IteratorResult<Candle>;
  }
}
