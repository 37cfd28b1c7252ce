import { aCandle } from '../../../testing/market-data-store-contract';
import { type EpochMs, MS } from '../time/epoch';
import { closesAtMarks, latestOpenTime } from './closes-at-marks';

const candle = (minute: number, close: number) => aCandle(minute, { close });
/** The open time of minute `m` of the candles above. */
const at = (m: number) => aCandle(m).openTime as EpochMs;

describe('closesAtMarks', () => {
  it('takes the close in force at each mark, carrying a quiet market forward instead of shifting it', () => {
    // Trades only at even minutes: by index, "2 candles ago" would be 4 minutes ago.
    const candles = [0, 2, 4, 6, 8].map((m) => candle(m, 100 + m));
    expect(closesAtMarks(candles, at(8), 2 * MS.minute, 5)).toEqual([100, 102, 104, 106, 108]);
    expect(closesAtMarks(candles, at(9), MS.minute, 4)).toEqual([106, 106, 108, 108]);
  });

  it('leaves out marks before the first candle', () => {
    const candles = [candle(5, 1), candle(6, 2)];
    expect(closesAtMarks(candles, at(6), MS.minute, 10)).toEqual([1, 2]);
    expect(closesAtMarks([], at(6), MS.minute, 10)).toEqual([]);
  });

  it('anchors every market at the latest candle start among them', () => {
    expect(latestOpenTime([[candle(1, 1), candle(3, 1)], [candle(7, 1)], []])).toBe(at(7));
    expect(latestOpenTime([])).toBeUndefined();
  });
});
