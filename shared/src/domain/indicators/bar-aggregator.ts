import type { Candle } from '../market/market-data';
import { CandleResampler } from '../market/resampler';
import { bucketStart, type Timeframe, timeframeMs } from '../market/timeframe';

/**
 * Turns a stream of closed candles (e.g. 1m) into closed candles of a strategy's timeframe (1m, 3m,
 * 5m, …). When the source already has the target timeframe, candles pass straight through. Unlike
 * a bare {@link CandleResampler}, a bucket is emitted as soon as the source candle that ends it
 * arrives (the 1m bar opening at :04 closes a 5m bucket), not one bar later; a bucket whose last
 * minute had no trades (Upbit makes no candle then) is emitted when the next bucket starts. Either
 * way only closed source bars are used, so there is no lookahead. One instance per market.
 */
export class BarAggregator {
  private resampler: CandleResampler | undefined = undefined;
  private source: Timeframe | undefined = undefined;
  private lastOpen = Number.NEGATIVE_INFINITY;
  private readonly completed: Candle[] = [];

  constructor(readonly target: Timeframe) {}

  /**
   * {@link update} for a candle already on the target timeframe, which passes straight through:
   * true when `bar` is that candle (checked for time order and taken, as update would), false
   * (nothing done) when it needs {@link update}. Saves the per-bar result list on the common path.
   */
  passThrough(bar: Candle): boolean {
    if (bar.timeframe !== this.target) return false;
    this.accept(bar);
    return true;
  }

  private accept(bar: Candle): void {
    if (!(bar.openTime > this.lastOpen))
      throw new RangeError(
        `candles must arrive in strictly increasing time order: ${bar.market} ${bar.openTime} after ${this.lastOpen}`,
      );
    this.lastOpen = bar.openTime;
  }

  /**
   * Adds a closed source candle; returns the target candles it completed, oldest first: usually
   * none or one, two when a gap skipped a bucket's last minute and this candle also ends its own
   * bucket. The returned array is reused by the next call: read it before updating again.
   */
  update(bar: Candle): readonly Candle[] {
    this.accept(bar);
    if (bar.timeframe === this.target) {
      // The feed is already on the target timeframe (every 1m strategy): the one slot rewritten,
      // no array resize per bar.
      const one = this.completed;
      if (one.length === 1) one[0] = bar;
      else {
        one.length = 0;
        one.push(bar);
      }
      return one;
    }
    const out = this.completed;
    if (out.length !== 0) out.length = 0;
    if (this.source === undefined) this.source = bar.timeframe;
    else if (bar.timeframe !== this.source)
      throw new RangeError(`mixed candle timeframes: got ${bar.timeframe} after ${this.source}`);
    if (timeframeMs(bar.timeframe) > timeframeMs(this.target))
      throw new RangeError(`cannot build ${this.target} bars from coarser ${bar.timeframe} candles`);
    this.resampler ??= new CandleResampler(bar.timeframe, this.target);
    const previous = this.resampler.update(bar);
    if (previous !== undefined) out.push(previous);
    const endsBucket =
      bar.openTime + timeframeMs(bar.timeframe) ===
      bucketStart(bar.openTime, this.target) + timeframeMs(this.target);
    const current = endsBucket ? this.resampler.flush() : undefined;
    if (current !== undefined) out.push(current);
    return out;
  }
}
