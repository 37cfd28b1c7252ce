import type { EpochMs } from '../time/epoch';
import type { Candle } from './market-data';
import { parseMarket } from './market-id';
import { CandleResampler, resampleCandles } from './resampler';
import { bucketStart, parseTimeframe } from './timeframe';

const BTC = parseMarket('KRW-BTC');
const at = (iso: string) => Date.parse(iso) as EpochMs;
function bar(iso: string, o: number, h: number, l: number, c: number, v = 1): Candle {
  return {
    market: BTC,
    timeframe: '1m',
    openTime: at(iso),
    open: o,
    high: h,
    low: l,
    close: c,
    volume: v,
    quoteVolume: v * c,
  };
}

describe('resampler', () => {
  it('aggregates 1m into 3m buckets aligned to UTC multiples', () => {
    const out = resampleCandles(
      [
        bar('2026-11-25T00:00:00Z', 10, 12, 9, 11),
        bar('2026-11-25T00:01:00Z', 11, 15, 10, 14, 2),
        bar('2026-11-25T00:02:00Z', 14, 14, 8, 9),
        bar('2026-11-25T00:03:00Z', 9, 9, 9, 9),
      ],
      '1m',
      '3m',
    );
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({
      openTime: at('2026-11-25T00:00:00Z'),
      open: 10,
      high: 15,
      low: 8,
      close: 9,
      volume: 4,
      timeframe: '3m',
    });
    expect(out[1]).toMatchObject({ openTime: at('2026-11-25T00:03:00Z'), open: 9, close: 9 });
  });

  it('leaves gaps as gaps (no invented candles) and starts buckets at the first real bar', () => {
    const out = resampleCandles(
      [bar('2026-11-25T00:01:00Z', 1, 1, 1, 1), bar('2026-11-25T00:11:00Z', 2, 2, 2, 2)],
      '1m',
      '5m',
    );
    expect(out.map((c) => c.openTime)).toEqual([at('2026-11-25T00:00:00Z'), at('2026-11-25T00:10:00Z')]);
  });

  it('aligns 240m candles at 01/05/09/13/17/21 KST and day candles at 09:00 KST (00:00 UTC)', () => {
    expect(bucketStart(at('2026-11-25T03:59:59Z'), '240m')).toBe(at('2026-11-25T00:00:00Z')); // 09:00 KST
    expect(bucketStart(at('2026-11-25T17:30:00Z'), '240m')).toBe(at('2026-11-25T16:00:00Z')); // 01:00 KST
    expect(bucketStart(at('2026-11-25T23:59:59Z'), '1d')).toBe(at('2026-11-25T00:00:00Z'));
  });

  it('emits a bucket only once a later bar proves it complete', () => {
    const r = new CandleResampler('1m', '5m');
    expect(r.update(bar('2026-11-25T00:00:00Z', 1, 1, 1, 1))).toBeUndefined();
    expect(r.update(bar('2026-11-25T00:04:00Z', 1, 1, 1, 2))).toBeUndefined();
    expect(r.update(bar('2026-11-25T00:05:00Z', 3, 3, 3, 3))?.close).toBe(2);
  });

  it('refuses impossible conversions and out-of-order input', () => {
    expect(() => new CandleResampler('3m', '5m')).toThrow('whole multiple');
    expect(() => parseTimeframe('2m')).toThrow('use one of 1s, 1m, 3m, 5m, 15m, 60m, 240m, 1d');
    const r = new CandleResampler('1m', '3m');
    r.update(bar('2026-11-25T00:03:00Z', 1, 1, 1, 1));
    expect(() => r.update(bar('2026-11-25T00:00:00Z', 1, 1, 1, 1))).toThrow('time order');
  });
});
