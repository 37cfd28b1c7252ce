import type { Candle } from '../../market/market-data';
import type { Market } from '../../market/market-id';
import type { EpochMs } from '../../time/epoch';
import type { StrategyContext, StrategySignal } from '../strategy';
import { DEFAULT_STRATEGY_PARAMS, type MomentumScalpingParams } from '../strategy-params';
import { createMomentumScalping } from './momentum-scalping-strategy';

const BTC = 'KRW-BTC' as Market;
const T0 = Date.UTC(2026, 0, 5, 0, 0);
const params: MomentumScalpingParams = DEFAULT_STRATEGY_PARAMS.momentum_scalping;
const ctx = (i: number, positionVolume = 0): StrategyContext => ({
  now: (T0 + (i + 1) * 60_000) as EpochMs,
  positionVolume,
  availableKrw: 1e6,
});

function candle(i: number, close: number, volume: number, prev = close): Candle {
  return {
    market: BTC,
    timeframe: '1m',
    openTime: (T0 + i * 60_000) as EpochMs,
    open: prev,
    high: Math.max(prev, close),
    low: Math.min(prev, close),
    close,
    volume,
    quoteVolume: volume * close,
  };
}

/** Feeds closes/volumes as 1m candles; returns every signal with the bar index that produced it. */
function feed(
  p: MomentumScalpingParams,
  closes: readonly number[],
  volumes: readonly number[],
  held = 0,
): { i: number; s: StrategySignal }[] {
  const strategy = createMomentumScalping(p, [BTC]);
  const out: { i: number; s: StrategySignal }[] = [];
  closes.forEach((c, i) => {
    for (const s of strategy.onBar(candle(i, c, volumes[i] as number, closes[i - 1] ?? c), ctx(i, held)))
      out.push({ i, s });
  });
  return out;
}

// 40 quiet bars around 100 (volume 1), then a steady rise of 0.1 %/bar.
const quiet = Array.from({ length: 40 }, (_, i) => 100 + (i % 2) * 0.01);
const rising = Array.from({ length: 10 }, (_, k) => 100 * 1.001 ** (k + 1));
const falling = Array.from({ length: 10 }, (_, k) => 100 * 0.999 ** (k + 1));

describe('momentum_scalping', () => {
  it('buys a rising series once volume surges above the multiplier, not before', () => {
    const closes = [...quiet, ...rising];
    const thin = feed(
      params,
      closes,
      closes.map(() => 1),
    );
    expect(thin.filter((x) => x.s.direction === 'buy')).toEqual([]);
    const surge = closes.map((_, i) => (i === 47 ? 5 : 1));
    const got = feed(params, closes, surge);
    expect(got.map((x) => [x.i, x.s.direction])).toEqual([[47, 'buy']]);
    const s = got[0]?.s;
    expect(s?.strength).toBeGreaterThanOrEqual(0.5);
    expect(s?.strength).toBeLessThanOrEqual(1);
    expect(s?.reason).toMatch(/^momentum up: WMA5 > WMA20 on 1m/);
    expect(s?.priceHint).toBe(closes[47]);
    expect(s?.sizeHintKrw).toBe(Math.floor((s?.strength ?? 0) * 1e6));
  });

  it('emits a breakdown sell on a falling series with a volume surge', () => {
    const closes = [...quiet, ...falling];
    const got = feed(
      params,
      closes,
      closes.map((_, i) => (i === 47 ? 5 : 1)),
    );
    expect(got.map((x) => [x.i, x.s.direction])).toEqual([[47, 'sell']]);
  });

  it('exits a held position once momentum fades (fast WMA below slow and falling), even without a surge', () => {
    const closes = [...quiet, ...rising, ...falling.map((c) => c * 1.01)];
    const vols = closes.map(() => 1);
    expect(feed(params, closes, vols, 0)).toEqual([]);
    const held = feed(params, closes, vols, 0.01);
    expect(held).toHaveLength(1);
    expect(held[0]?.s.direction).toBe('sell');
    expect(held[0]?.s.reason).toMatch(/^momentum faded, exit/);
  });

  it('runs on 3m/5m bars built from the 1m feed, signalling on the minute that closes the bucket', () => {
    const p5: MomentumScalpingParams = {
      ...params,
      timeframe: '5m',
      fastWma: 3,
      slowWma: 8,
      momentumLookback: 3,
      volumeWindow: 8,
    };
    // 5m buckets: 15 quiet buckets, then rising buckets; the surge sits in bucket 17 (minutes 85–89).
    const closes = [
      ...Array.from({ length: 75 }, (_, i) => 100 + (i % 2) * 0.01),
      ...Array.from({ length: 25 }, (_, k) => 100 * 1.0006 ** (k + 1)),
    ];
    const vols = closes.map((_, i) => (i >= 85 && i < 90 ? 4 : 1));
    const got = feed(p5, closes, vols);
    expect(got.map((x) => [x.i, x.s.direction])).toEqual([[89, 'buy']]);
    expect(got[0]?.s.reason).toMatch(/on 5m/);
    expect(createMomentumScalping(p5, [BTC]).warmupBars).toBe(5 * 9);
  });

  it('refuses timeframes outside 1–5 minutes and fast ≥ slow', () => {
    expect(() => createMomentumScalping({ ...params, timeframe: '15m' }, [BTC])).toThrow(/1m, 3m or 5m/);
    expect(() => createMomentumScalping({ ...params, fastWma: 20 }, [BTC])).toThrow(/fastWma < slowWma/);
  });
});
