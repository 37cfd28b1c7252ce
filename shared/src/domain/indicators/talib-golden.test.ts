import binanceRows from '../../../../test/fixtures/data/binance_btcusdt_1m_2021-02-21_8h.json';
import talib from '../../../../test/fixtures/data/talib_regtest_252.json';
import upbitRows from '../../../../test/fixtures/data/upbit_krw-btc_1m_2020-02-20.json';
import type { Market } from '../market/market-id';
import { atrBatch } from './atr';
import { bollingerBatch } from './bollinger-bands';
import { emaBatch } from './ema';
import { macdBatch } from './macd';
import { rsiBatch } from './rsi';
import { smaBatch } from './sma';
import { candlesFromBinanceRows, candlesFromUpbitRows } from './testing/fixture-candles';
import {
  firstReady,
  mismatches,
  refAtr,
  refBbands,
  refEma,
  refMacd,
  refRsi,
  refSma,
  refTrange,
  refWma,
} from './testing/reference-indicators';
import { trueRangeBatch } from './true-range';
import { wmaBatch } from './wma';

const input = talib.input;

interface Outputs {
  readonly [output: string]: Float64Array;
}

/** Our streaming-built batch output for one TA-Lib expected entry. */
function ours(fn: string, params: Record<string, number | string>): Outputs {
  const p = (k: string) => params[k] as number;
  const { close, high, low } = input;
  switch (fn) {
    case 'SMA':
      return { value: smaBatch(close, p('timePeriod')) };
    case 'WMA':
      return { value: wmaBatch(close, p('timePeriod')) };
    case 'EMA':
      return { value: emaBatch(close, p('timePeriod')) };
    case 'RSI':
      return { value: rsiBatch(close, p('timePeriod')) };
    case 'MACD':
      return macdBatch(close, p('fastPeriod'), p('slowPeriod'), p('signalPeriod'));
    case 'BBANDS':
      return bollingerBatch(close, p('timePeriod'), p('nbDevUp'), p('nbDevDn'));
    case 'TRANGE':
      return { value: trueRangeBatch(high, low, close) };
    case 'ATR':
      return { value: atrBatch(high, low, close, p('timePeriod')) };
    default:
      throw new Error(`no indicator for TA-Lib function ${fn}`);
  }
}

describe('TA-Lib published regression values (daily_ref_0, 252 bars)', () => {
  it('covers all eight functions in the fixture', () => {
    expect(new Set(talib.expected.map((e) => e.function))).toEqual(
      new Set(['SMA', 'WMA', 'EMA', 'RSI', 'MACD', 'BBANDS', 'TRANGE', 'ATR']),
    );
    expect(talib.expected).toHaveLength(48);
  });

  it.each(
    talib.expected.map(
      (e) => [`${e.function}${JSON.stringify(e.params)} ${e.output}[${e.outIndex}]`, e] as const,
    ),
  )('%s matches within 0.01 with the same begIndex and nbElement', (_name, e) => {
    const series = ours(e.function, e.params as Record<string, number | string>)[e.output];
    if (series === undefined) throw new Error(`no output ${e.output}`);
    expect(firstReady(series)).toBe(e.begIndex);
    expect(series.length - e.begIndex).toBe(e.nbElement);
    expect(series.slice(e.begIndex).every(Number.isFinite)).toBe(true);
    expect(Math.abs((series[e.inputIndex] as number) - e.value)).toBeLessThan(e.tolerance);
  });
});

const upbit = candlesFromUpbitRows(upbitRows);
const binance = candlesFromBinanceRows(binanceRows, 'KRW-BTC' as Market);
const datasets = [
  { name: 'TA-Lib daily_ref_0', close: input.close, high: input.high, low: input.low },
  {
    name: 'Upbit KRW-BTC 1m',
    close: upbit.map((c) => c.close),
    high: upbit.map((c) => c.high),
    low: upbit.map((c) => c.low),
  },
  {
    name: 'Binance BTC/USDT 1m',
    close: binance.map((c) => c.close),
    high: binance.map((c) => c.high),
    low: binance.map((c) => c.low),
  },
] as const;

describe.each(datasets)(
  'exact agreement (1e-9 relative) with naive TA-Lib-convention references on $name',
  (d) => {
    const periods = [2, 5, 14, 20, 30];
    const scale = Math.max(...d.close);

    it.each(periods)('SMA, WMA, EMA(%i) including warm-up', (n) => {
      expect(mismatches(smaBatch(d.close, n), refSma(d.close, n))).toEqual([]);
      expect(mismatches(wmaBatch(d.close, n), refWma(d.close, n))).toEqual([]);
      expect(mismatches(emaBatch(d.close, n), refEma(d.close, n))).toEqual([]);
      expect(firstReady(smaBatch(d.close, n))).toBe(n - 1);
    });

    it.each(periods)('RSI and ATR (period %i) with Wilder smoothing', (n) => {
      expect(mismatches(rsiBatch(d.close, n), refRsi(d.close, n))).toEqual([]);
      expect(mismatches(atrBatch(d.high, d.low, d.close, n), refAtr(d.high, d.low, d.close, n))).toEqual([]);
      expect(firstReady(rsiBatch(d.close, n))).toBe(n);
    });

    it('TRANGE', () => {
      expect(mismatches(trueRangeBatch(d.high, d.low, d.close), refTrange(d.high, d.low, d.close))).toEqual(
        [],
      );
    });

    it.each([
      [12, 26, 9],
      [5, 35, 5],
      [3, 10, 16],
    ])('MACD(%i,%i,%i) with the fast EMA aligned to the slow one', (f, s, g) => {
      const got = macdBatch(d.close, f, s, g);
      const want = refMacd(d.close, f, s, g);
      expect(firstReady(got.macd)).toBe(s + g - 2);
      // MACD is a difference of prices: judge its error against the price scale.
      expect(mismatches(got.macd, want.macd, 1e-9, scale)).toEqual([]);
      expect(mismatches(got.signal, want.signal, 1e-9, scale)).toEqual([]);
      expect(mismatches(got.histogram, want.histogram, 1e-9, scale)).toEqual([]);
    });

    it.each([
      [20, 2],
      [10, 1.5],
      [5, 3],
    ])('BBANDS(%i, %d) with population σ', (n, k) => {
      const got = bollingerBatch(d.close, n, k);
      const want = refBbands(d.close, n, k);
      expect(mismatches(got.middle, want.middle)).toEqual([]);
      expect(mismatches(got.upper, want.upper)).toEqual([]);
      expect(mismatches(got.lower, want.lower)).toEqual([]);
    });
  },
);
