import type { Candle } from '../market/market-data';
import type { Market } from '../market/market-id';
import type { Timeframe } from '../market/timeframe';
import type { EpochMs } from '../time/epoch';
import { BarAggregator } from './bar-aggregator';

const MINUTE = 60_000;

function bar(minute: number, timeframe: Timeframe = '1m', close = 100 + minute): Candle {
  return {
    market: 'KRW-BTC' as Market,
    timeframe,
    openTime: (minute * MINUTE) as EpochMs,
    open: close,
    high: close + 1,
    low: close - 1,
    close,
    volume: 1,
    quoteVolume: close,
  };
}

describe('BarAggregator.passThrough', () => {
  it('takes a candle on the target timeframe, as update would pass it through', () => {
    const viaPass = new BarAggregator('1m');
    const viaUpdate = new BarAggregator('1m');
    for (let m = 0; m < 5; m++) {
      const b = bar(m);
      expect(viaPass.passThrough(b)).toBe(true);
      expect(viaUpdate.update(b)).toEqual([b]);
    }
  });

  it('refuses a candle out of time order, like update', () => {
    const agg = new BarAggregator('1m');
    expect(agg.passThrough(bar(3))).toBe(true);
    expect(() => agg.passThrough(bar(3))).toThrow(/strictly increasing/);
    expect(() => agg.update(bar(2))).toThrow(/strictly increasing/);
  });

  it('leaves a candle of another timeframe to update, untouched', () => {
    const agg = new BarAggregator('5m');
    expect(agg.passThrough(bar(0))).toBe(false);
    // Nothing was taken: the same candle is still new to update.
    expect(agg.update(bar(0))).toEqual([]);
    expect(agg.passThrough(bar(5, '5m'))).toBe(true);
    expect(() => agg.update(bar(5))).toThrow(/strictly increasing/);
  });
});
