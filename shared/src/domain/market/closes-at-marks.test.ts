import type { EpochMs } from '../time/epoch';
import { closesAtMarks, latestOpenTime } from './closes-at-marks';
import type { Candle } from './market-data';
import { parseMarket } from './market-id';

const BTC = parseMarket('KRW-BTC');
const MIN = 60_000;

function candle(minute: number, close: number): Candle {
  return {
    market: BTC,
    timeframe: '1m',
    openTime: (minute * MIN) as EpochMs,
    open: close,
    high: close,
    low: close,
    close,
    volume: 1,
    quoteVolume: close,
  };
}

describe('closesAtMarks', () => {
  it('takes the close in force at each mark, carrying a quiet market forward instead of shifting it', () => {
    // Trades only at even minutes: by index, "2 candles ago" would be 4 minutes ago.
    const candles = [0, 2, 4, 6, 8].map((m) => candle(m, 100 + m));
    expect(closesAtMarks(candles, (8 * MIN) as EpochMs, 2 * MIN, 5)).toEqual([100, 102, 104, 106, 108]);
    expect(closesAtMarks(candles, (9 * MIN) as EpochMs, MIN, 4)).toEqual([106, 106, 108, 108]);
  });

  it('leaves out marks before the first candle', () => {
    const candles = [candle(5, 1), candle(6, 2)];
    expect(closesAtMarks(candles, (6 * MIN) as EpochMs, MIN, 10)).toEqual([1, 2]);
    expect(closesAtMarks([], (6 * MIN) as EpochMs, MIN, 10)).toEqual([]);
  });

  it('anchors every market at the latest candle start among them', () => {
    expect(latestOpenTime([[candle(1, 1), candle(3, 1)], [candle(7, 1)], []])).toBe(7 * MIN);
    expect(latestOpenTime([])).toBeUndefined();
  });
});
