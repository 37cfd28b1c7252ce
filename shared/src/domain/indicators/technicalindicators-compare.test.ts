import {
  ATR,
  EMA,
  MACD,
  RSI,
  SD,
  SMA,
  BollingerBands as TiBollinger,
  TrueRange as TiTrueRange,
  VWAP,
  WMA,
} from 'technicalindicators';
import talib from '../../../../test/fixtures/data/talib_regtest_252.json';
import upbitRows from '../../../../test/fixtures/data/upbit_krw-btc_1m_2020-02-20.json';
import { atrBatch } from './atr';
import { bollingerBatch } from './bollinger-bands';
import { emaBatch } from './ema';
import { macdBatch } from './macd';
import { rollingStdBatch } from './rolling-stats';
import { rsiBatch } from './rsi';
import { smaBatch } from './sma';
import { candlesFromUpbitRows } from './testing/fixture-candles';
import { mismatches } from './testing/reference-indicators';
import { trueRangeBatch } from './true-range';
import { SessionVwap, typicalPrice } from './vwap';
import { wmaBatch } from './wma';

// technicalindicators returns only the ready values; our batches are aligned with the input and
// hold NaN during warm-up. Dropping our NaNs must leave the same length if warm-up agrees.
const ready = (xs: Float64Array): number[] => Array.from(xs).filter((x) => !Number.isNaN(x));

const upbit = candlesFromUpbitRows(upbitRows);
const datasets = [
  {
    name: 'TA-Lib daily_ref_0',
    close: talib.input.close,
    high: talib.input.high,
    low: talib.input.low,
    volume: talib.input.volume,
  },
  {
    name: 'Upbit KRW-BTC 1m',
    close: upbit.map((c) => c.close),
    high: upbit.map((c) => c.high),
    low: upbit.map((c) => c.low),
    volume: upbit.map((c) => c.volume),
  },
] as const;

describe.each(datasets)('agreement with technicalindicators 3.1 on $name', (d) => {
  const values = [...d.close];

  it.each([2, 10, 30])('SMA, EMA, WMA(%i) agree exactly, same warm-up', (period) => {
    expect(mismatches(ready(smaBatch(values, period)), SMA.calculate({ period, values }))).toEqual([]);
    expect(mismatches(ready(emaBatch(values, period)), EMA.calculate({ period, values }))).toEqual([]);
    expect(mismatches(ready(wmaBatch(values, period)), WMA.calculate({ period, values }))).toEqual([]);
  });

  it('TrueRange and ATR(14) agree exactly', () => {
    const input = { high: [...d.high], low: [...d.low], close: values };
    expect(mismatches(ready(trueRangeBatch(d.high, d.low, d.close)), TiTrueRange.calculate(input))).toEqual(
      [],
    );
    expect(
      mismatches(ready(atrBatch(d.high, d.low, d.close, 14)), ATR.calculate({ ...input, period: 14 })),
    ).toEqual([]);
  });

  it('Bollinger(20, 2) and SD(20) agree exactly: both use the population σ', () => {
    const ours = bollingerBatch(values, 20, 2);
    const theirs = TiBollinger.calculate({ period: 20, stdDev: 2, values });
    expect(
      mismatches(
        ready(ours.middle),
        theirs.map((b) => b.middle),
      ),
    ).toEqual([]);
    expect(
      mismatches(
        ready(ours.upper),
        theirs.map((b) => b.upper),
      ),
    ).toEqual([]);
    expect(
      mismatches(
        ready(ours.lower),
        theirs.map((b) => b.lower),
      ),
    ).toEqual([]);
    expect(mismatches(ready(rollingStdBatch(values, 20)), SD.calculate({ period: 20, values }))).toEqual([]);
  });

  it('RSI(14) agrees to their 2-decimal rounding, same warm-up', () => {
    const ours = ready(rsiBatch(values, 14));
    const theirs = RSI.calculate({ period: 14, values });
    expect(ours).toHaveLength(theirs.length);
    const worst = Math.max(...ours.map((x, i) => Math.abs(x - (theirs[i] as number))));
    expect(worst).toBeLessThanOrEqual(0.005 + 1e-9);
  });

  it('MACD(12,26,9): their fast EMA starts at bar 11, ours (TA-Lib) at bar 25; they converge', () => {
    const ours = macdBatch(values, 12, 26, 9);
    const theirs = MACD.calculate({
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
      values,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    });
    // Their MACD line starts at bar 25 and their signal 8 bars later; ours waits for the signal (bar 33).
    expect(theirs).toHaveLength(values.length - 25);
    const scale = Math.max(...values);
    const first = theirs[8]?.MACD as number;
    expect(Math.abs(first - (ours.macd[33] as number))).toBeGreaterThan(1e-6 * scale);
    // The seeding difference decays like (11/13)^n: after 150 more bars it is below 1e-9 of the price.
    for (let i = 200; i < values.length; i++) {
      const t = theirs[i - 25];
      expect(Math.abs((t?.MACD as number) - (ours.macd[i] as number))).toBeLessThanOrEqual(1e-9 * scale);
      expect(Math.abs((t?.signal as number) - (ours.signal[i] as number))).toBeLessThanOrEqual(1e-9 * scale);
    }
  });

  it('VWAP: theirs is cumulative from the first bar, which is our session VWAP over one session', () => {
    const vwap = new SessionVwap(1e15, 0);
    const ours = values.map((c, i) =>
      vwap.update(typicalPrice(d.high[i] as number, d.low[i] as number, c), d.volume[i] as number, i),
    );
    const theirs = VWAP.calculate({
      high: [...d.high],
      low: [...d.low],
      close: values,
      volume: [...d.volume],
    });
    expect(mismatches(ours, theirs)).toEqual([]);
  });
});

describe('definitional differences kept on purpose (docs/indicators.md)', () => {
  it('a flat series: TA-Lib RSI reads 0, technicalindicators 100, ours 50 (neutral)', () => {
    const flat = new Array<number>(20).fill(11_500_000);
    expect(RSI.calculate({ period: 14, values: flat })[0]).toBe(100);
    expect(ready(rsiBatch(flat, 14))[0]).toBe(50);
  });
});
