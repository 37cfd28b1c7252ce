import {
  deflatedSharpe,
  expectedMaxSharpe,
  normalQuantile,
  probabilisticSharpe,
  sharpeSample,
  varianceOf,
} from '../../shared/src/backtest/optimize/deflated-sharpe';
import { SeededRandom } from '../../shared/src/domain/exchange/prng';
import { normalCdf } from '../../shared/src/domain/stats/normal-cdf';

describe('deflated Sharpe ratio (Bailey & López de Prado 2014)', () => {
  it('inverts the normal CDF to published quantiles', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263478740408408, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 11);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
  });

  it('estimates the expected maximum of N unskilled Sharpe ratios close to the exact order statistic', () => {
    // E[max of N iid N(0,1)]: 2.50759 for N = 100, 3.24144 for N = 1000 (tabulated order statistics).
    expect(expectedMaxSharpe(100, 1)).toBeCloseTo(2.5, 1);
    expect(Math.abs(expectedMaxSharpe(100, 1) - 2.50759)).toBeLessThan(0.04);
    expect(Math.abs(expectedMaxSharpe(1000, 1) - 3.24144)).toBeLessThan(0.04);
    // It scales with the dispersion of the trials and is zero without a selection.
    expect(expectedMaxSharpe(100, 4)).toBeCloseTo(2 * expectedMaxSharpe(100, 1), 12);
    expect(expectedMaxSharpe(1, 1)).toBe(0);
  });

  it('gives the PSR of normal returns: Φ(SR·√(T−1)/√(1 + SR²/2))', () => {
    const s = { periods: 101, sharpe: 0.1, skew: 0, kurtosis: 3 };
    expect(probabilisticSharpe(s)).toBeCloseTo(normalCdf((0.1 * 10) / Math.sqrt(1.005)), 14);
    expect(probabilisticSharpe(s, 0.1)).toBe(0.5);
    // 60 monthly returns at an annual Sharpe of 1.5: PSR ≈ 0.999.
    expect(
      probabilisticSharpe({ periods: 60, sharpe: 1.5 / Math.sqrt(12), skew: 0, kurtosis: 3 }),
    ).toBeCloseTo(0.9993, 4);
    // Negative skew and fat tails widen the estimate's error, so the same Sharpe convinces less.
    expect(probabilisticSharpe({ ...s, skew: -2, kurtosis: 10 })).toBeLessThan(probabilisticSharpe(s));
  });

  it('deflates more the more configurations were tried, and equals PSR(0) for one', () => {
    const s = { periods: 365, sharpe: 0.1, skew: 0, kurtosis: 3 };
    const v = 0.002;
    expect(deflatedSharpe(s, 1, v)).toBe(probabilisticSharpe(s, 0));
    expect(deflatedSharpe(s, 10, v)).toBeLessThan(deflatedSharpe(s, 1, v));
    expect(deflatedSharpe(s, 100, v)).toBeLessThan(deflatedSharpe(s, 10, v));
    // With no cross-sectional variance it falls back to the estimator's own, 1/(T − 1): never no correction.
    expect(deflatedSharpe(s, 100, 0)).toBe(probabilisticSharpe(s, expectedMaxSharpe(100, 1 / 364)));
  });

  it('calls the best of many pure-noise series insignificant', () => {
    const rng = new SeededRandom(9);
    const samples = Array.from({ length: 50 }, () =>
      sharpeSample(Array.from({ length: 250 }, () => 0.01 * rng.normal())),
    ).filter((x) => x !== undefined);
    const best = samples.reduce((a, b) => (b.sharpe > a.sharpe ? b : a));
    const variance = varianceOf(samples.map((x) => x.sharpe));
    // Alone, the luckiest series looks significant; deflated for the 50 tried, it is not.
    expect(probabilisticSharpe(best)).toBeGreaterThan(0.95);
    expect(deflatedSharpe(best, 50, variance)).toBeLessThan(0.95);
  });

  it('measures the sample moments it needs', () => {
    const s = sharpeSample([0.01, -0.01, 0.02, -0.02]);
    expect(s?.periods).toBe(4);
    expect(s?.sharpe).toBe(0);
    expect(s?.skew).toBe(0);
    expect(s?.kurtosis).toBeCloseTo(1.36, 12);
    expect(sharpeSample([0.01])).toBeUndefined();
    expect(sharpeSample([0.01, 0.01])).toBeUndefined();
  });
});
