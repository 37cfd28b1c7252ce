import type { EpochMs } from '../time/epoch';
import type { Candle } from './market-data';
import { bucketStart, type Timeframe, timeframeMs } from './timeframe';

interface Building {
  market: Candle['market'];
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
}

/**
 * Streaming resampler from a finer timeframe to a coarser one (1m → 3m/5m/15m/60m/240m/1d), aligned
 * as Upbit aligns candles (UTC multiples; see `bucketStart`). Missing input candles are gaps, as on
 * Upbit: no empty candle is ever invented. One mutable accumulator, no per-bar arrays.
 */
export class CandleResampler {
  private building: Building | undefined = undefined;

  constructor(
    private readonly from: Timeframe,
    private readonly to: Timeframe,
  ) {
    const fromMs = timeframeMs(from);
    const toMs = timeframeMs(to);
    if (toMs <= fromMs || toMs % fromMs !== 0)
      throw new RangeError(
        `cannot resample ${from} to ${to}: the target must be a whole multiple of the source`,
      );
  }

  /**
   * Adds a closed candle. Returns the previous bucket when this candle starts a new one; a bucket is
   * only emitted once a later candle proves it is complete (or on {@link flush}), so no partial
   * bucket leaks into a backtest.
   */
  update(c: Candle): Candle | undefined {
    if (c.timeframe !== this.from) throw new RangeError(`expected ${this.from} candles, got ${c.timeframe}`);
    const start = bucketStart(c.openTime, this.to);
    const b = this.building;
    if (b !== undefined && start < b.openTime) throw new RangeError('candles must arrive in time order');
    if (b !== undefined && start === b.openTime && b.market === c.market) {
      if (c.high > b.high) b.high = c.high;
      if (c.low < b.low) b.low = c.low;
      b.close = c.close;
      b.volume += c.volume;
      b.quoteVolume += c.quoteVolume;
      return undefined;
    }
    const done = b === undefined ? undefined : this.emit(b);
    this.building = {
      market: c.market,
      openTime: start,
      open: c.open,
      high: c.high,
      low: c.low,
      close: c.close,
      volume: c.volume,
      quoteVolume: c.quoteVolume,
    };
    return done;
  }

  /** Emits the bucket being built (e.g. at the end of a data set) and resets. */
  flush(): Candle | undefined {
    const b = this.building;
    this.building = undefined;
    return b === undefined ? undefined : this.emit(b);
  }

  private emit(b: Building): Candle {
    return {
      market: b.market,
      timeframe: this.to,
      openTime: b.openTime as EpochMs,
      open: b.open,
      high: b.high,
      low: b.low,
      close: b.close,
      volume: b.volume,
      quoteVolume: b.quoteVolume,
    };
  }
}

/** Batch helper over {@link CandleResampler}; includes the last (possibly partial) bucket. */
export function resampleCandles(candles: Iterable<Candle>, from: Timeframe, to: Timeframe): Candle[] {
  const resampler = new CandleResampler(from, to);
  const out: Candle[] = [];
  for (const c of candles) {
    const done = resampler.update(c);
    if (done !== undefined) out.push(done);
  }
  const last = resampler.flush();
  if (last !== undefined) out.push(last);
  return out;
}
