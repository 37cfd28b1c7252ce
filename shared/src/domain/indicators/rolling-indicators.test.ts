import upbitRows from '../../../../test/fixtures/data/upbit_krw-btc_1m_2020-02-20.json';
import { Ema } from './ema';
import { Macd } from './macd';
import { RollingOls, rollingBetaBatch } from './rolling-ols';
import { RollingStats } from './rolling-stats';
import { RollingZScore, rollingZScoreBatch, zScore } from './rolling-z-score';
import { Sma } from './sma';
import { candlesFromUpbitRows } from './testing/fixture-candles';
import { mismatches, refOls, refRollingVwap, refStd, refWma } from './testing/reference-indicators';
import { TrueRange } from './true-range';
import { VolumeProfile } from './volume-profile';
import { RollingVwap, rollingVwapBatch, SessionVwap, typicalPrice } from './vwap';
import { WmaMomentum, wmaMomentumBatch } from './wma-momentum';

const upbit = candlesFromUpbitRows(upbitRows);
const close = upbit.map((c) => c.close);

describe('rolling z-score', () => {
  it('is (x − mean)/σ of the window including x, on real KRW-BTC closes', () => {
    const z = rollingZScoreBatch(close, 20);
    const sd = refStd(close, 20);
    for (let i = 19; i < close.length; i++) {
      const window = close.slice(i - 19, i + 1);
      const mean = window.reduce((a, b) => a + b, 0) / 20;
      const want = (sd[i] as number) > 0 ? ((close[i] as number) - mean) / (sd[i] as number) : 0;
      expect(Math.abs((z[i] as number) - want)).toBeLessThan(1e-7);
    }
    expect(Number.isNaN(z[18] as number)).toBe(true);
  });

  it('reads 0 for a flat window and recovers when prices move again', () => {
    const z = new RollingZScore(5);
    for (let i = 0; i < 10; i++) expect(Number.isFinite(z.update(11_500_000)) || !z.ready).toBe(true);
    expect(z.value).toBe(0);
    expect(z.update(11_510_000)).toBeCloseTo(2, 9); // one outlier in 5: z = (n−1)/√(n−1) = 2
    expect(zScore(5, 5, 0)).toBe(0);
  });
});

describe('rolling OLS hedge ratio', () => {
  it('matches a naive fit on two real series and exposes the spread', () => {
    const x = close;
    const y = upbit.map((c) => (c.high + c.low) / 2);
    const betas = rollingBetaBatch(x, y, 30);
    const ref = refOls(x, y, 30);
    expect(mismatches(betas, ref.beta, 1e-7)).toEqual([]);
    const ols = new RollingOls(30);
    x.forEach((xi, i) => {
      ols.update(xi, y[i] as number);
    });
    const last = x.length - 1;
    const spread =
      (y[last] as number) - (ref.alpha[last] as number) - (ref.beta[last] as number) * (x[last] as number);
    expect(Math.abs(ols.residual - spread)).toBeLessThan(1e-6 * (y[last] as number) * 1e-3);
    expect(ols.rSquared).toBeGreaterThan(0);
    expect(ols.rSquared).toBeLessThanOrEqual(1);
    expect(ols.hedgeRatio).toBe(ols.beta);
  });

  it('is not ready while x is constant (no slope exists)', () => {
    const ols = new RollingOls(4);
    for (let i = 0; i < 8; i++) ols.update(100, i);
    expect(ols.ready).toBe(false);
    expect(Number.isNaN(ols.beta)).toBe(true);
    expect(Number.isNaN(ols.spread(100, 3))).toBe(true);
  });

  it('refuses windows under 3 and mismatched batch inputs', () => {
    expect(() => new RollingOls(2)).toThrow(/at least 3/);
    expect(() => rollingBetaBatch([1, 2], [1], 3)).toThrow(/lengths differ/);
  });
});

describe('VWAP', () => {
  it('rolling VWAP equals Σpv/Σv over the window', () => {
    const tp = upbit.map((c) => typicalPrice(c.high, c.low, c.close));
    const vol = upbit.map((c) => c.volume);
    expect(mismatches(rollingVwapBatch(tp, vol, 15), refRollingVwap(tp, vol, 15))).toEqual([]);
  });

  it('session VWAP resets at 00:00 KST (15:00 UTC) and refuses out-of-order bars', () => {
    const v = new SessionVwap();
    const t0 = Date.UTC(2020, 1, 20, 14, 58);
    v.update(100, 1, t0);
    v.update(200, 1, t0 + 60_000);
    expect(v.value).toBe(150);
    v.update(300, 2, t0 + 120_000); // 15:00 UTC = 00:00 KST: new session
    expect(v.value).toBe(300);
    expect(() => v.update(1, 1, t0)).toThrow(/time order/);
  });

  it('is not ready without volume, and refuses negative volume', () => {
    const r = new RollingVwap(2);
    r.update(10, 0);
    r.update(11, 0);
    expect(r.ready).toBe(false);
    expect(() => r.update(1, -1)).toThrow(/≥ 0/);
  });
});

describe('volume profile', () => {
  it('conserves volume, puts the POC where most volume traded and brackets ≥ 70% in the value area', () => {
    const vp = new VolumeProfile(10, 10);
    // 9 bars around 100–101 with volume 1, one heavy bar at 105–106 with volume 20.
    for (let i = 0; i < 9; i++) vp.update(101, 100, 1);
    vp.update(106, 105, 20);
    expect(vp.ready).toBe(true);
    expect(vp.totalVolume).toBeCloseTo(29, 9);
    expect(vp.pointOfControl).toBeGreaterThan(105);
    expect(vp.pointOfControl).toBeLessThan(106);
    let inside = 0;
    for (let i = 0; i < vp.bins; i++) {
      const c = vp.binCenter(i);
      if (c >= vp.valueAreaLow && c <= vp.valueAreaHigh) inside += vp.binVolume(i);
    }
    expect(inside).toBeGreaterThanOrEqual(0.7 * 29);
    expect(vp.valueAreaLow).toBeLessThanOrEqual(vp.pointOfControl);
    expect(vp.valueAreaHigh).toBeGreaterThanOrEqual(vp.pointOfControl);
  });

  it('finds the nearest high-volume node below (support) and above (resistance) a price', () => {
    const vp = new VolumeProfile(30, 20);
    for (let i = 0; i < 10; i++) vp.update(100.5, 100, 10); // heavy shelf near 100
    for (let i = 0; i < 10; i++) vp.update(105, 100, 1); // thin travel
    for (let i = 0; i < 10; i++) vp.update(110, 109.5, 10); // heavy shelf near 110
    expect(vp.nearestSupport(105)).toBeLessThan(101);
    expect(vp.nearestSupport(105)).toBeGreaterThanOrEqual(100);
    expect(vp.nearestResistance(105)).toBeGreaterThan(109);
    expect(Number.isNaN(vp.nearestSupport(99))).toBe(true);
  });

  it('rolls: volume older than the window no longer counts', () => {
    const vp = new VolumeProfile(3, 4);
    vp.update(200, 199, 1000);
    for (let i = 0; i < 3; i++) vp.update(101, 100, 1);
    expect(vp.totalVolume).toBeCloseTo(3, 12);
    expect(vp.pointOfControl).toBeLessThan(101);
  });

  it('handles a flat window (every bar at one price) without NaN', () => {
    const vp = new VolumeProfile(5, 8);
    for (let i = 0; i < 5; i++) vp.update(11_500_000, 11_500_000, 2);
    expect(vp.pointOfControl).toBeCloseTo(11_500_000, 0);
    expect(vp.totalVolume).toBe(10);
  });
});

describe('WMA momentum', () => {
  it('is the percent change of WMA(period) over the lookback, ready at period − 1 + lookback', () => {
    const got = wmaMomentumBatch(close, 5, 3);
    const wma = refWma(close, 5);
    for (let i = 0; i < close.length; i++) {
      if (i < 4 + 3) expect(Number.isNaN(got[i] as number)).toBe(true);
      else {
        const want = (100 * ((wma[i] as number) - (wma[i - 3] as number))) / (wma[i - 3] as number);
        expect(Math.abs((got[i] as number) - want)).toBeLessThan(1e-9);
      }
    }
    const m = new WmaMomentum(5, 3);
    for (const c of close.slice(0, 8)) m.update(c);
    expect(m.ready).toBe(true);
    expect(m.wmaValue).toBeCloseTo(wma[7] as number, 6);
  });
});

describe('bad input is refused with a clear error', () => {
  it.each([
    ['SMA period 0', () => new Sma(0)],
    ['EMA period 1.5', () => new Ema(1.5)],
    ['MACD fast ≥ slow', () => new Macd(26, 12, 9)],
    ['rolling window -1', () => new RollingStats(-1)],
  ])('%s', (_name, make) => expect(make).toThrow(RangeError));

  it('NaN or Infinity input throws instead of poisoning the running sums', () => {
    const sma = new Sma(3);
    sma.update(1);
    expect(() => sma.update(Number.NaN)).toThrow(/finite/);
    expect(() => new TrueRange().update(1, 2, 1)).toThrow(/below low/);
    expect(() => new VolumeProfile(3, 3).update(1, 1, Number.POSITIVE_INFINITY)).toThrow(/finite/);
    sma.update(2);
    sma.update(3);
    expect(sma.value).toBe(2);
  });
});
