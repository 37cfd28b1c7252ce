import fc from 'fast-check';
import { type AdfResult, adfuller, defaultMaxLag } from '../../shared/src/domain/stats/adf';
import { gramAdfAics, gramAdfLag } from '../../shared/src/domain/stats/adf-gram-lag';
import { mackinnoncrit, mackinnonp } from '../../shared/src/domain/stats/mackinnon';
import { nestedOlsAic, ols, RegressionError } from '../../shared/src/domain/stats/ols';

/**
 * ADF's lag search asks the Gram matrix first (adf-gram-lag.ts) and runs the Householder QR search
 * only when the Gram's answer could differ. The QR search is what decided before; it is kept below
 * as the reference (one `ols` per prefix, the final fit by `ols`), and adfuller must equal it in
 * every field, bit for bit: stat_arb's pair verdicts and the backtests depend on it.
 */
function referenceAdfuller(x: Float64Array, regression: 'c' | 'n'): AdfResult {
  const n = x.length;
  const ntrend = regression === 'c' ? 1 : 0;
  const maxLag = defaultMaxLag(n, regression);
  const diff = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) diff[i - 1] = (x[i] as number) - (x[i - 1] as number);
  const design = (trim: number, lags: number) => {
    const rows = diff.length - trim;
    const cols: Float64Array[] = [];
    if (ntrend === 1) cols.push(new Float64Array(rows).fill(1));
    cols.push(x.slice(trim, trim + rows));
    for (let l = 1; l <= lags; l++) cols.push(diff.slice(trim - l, trim - l + rows));
    return { y: diff.slice(trim), cols };
  };
  const search = design(maxLag, maxLag);
  const aics: number[] = [];
  for (let k = ntrend + 1; k <= search.cols.length; k++)
    aics.push(ols(search.y, search.cols.slice(0, k)).aic);
  let lag = 0;
  for (let l = 1; l <= maxLag; l++) if ((aics[l] as number) < (aics[lag] as number)) lag = l;
  const final = design(lag, lag);
  const fit = ols(final.y, final.cols);
  const statistic = fit.tvalues[ntrend] as number;
  return {
    statistic,
    pValue: mackinnonp(statistic, regression, 1),
    usedLag: lag,
    nobs: final.y.length,
    critical: mackinnoncrit(1, regression, final.y.length),
    icBest: aics[lag] as number,
  };
}

// A seeded AR(2) around a level: phi1 near 1 gives unit-root-like series, cross terms give lags.
function series(n: number, seed: number, phi1: number, phi2: number, scale: number): Float64Array {
  let s = seed >>> 0 || 1;
  const out = new Float64Array(n);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647;
    const v = phi1 * a + phi2 * b + (s / 2147483647 - 0.5) * scale;
    b = a;
    a = v;
    out[i] = v + 3 * scale;
  }
  return out;
}

const outcome = (f: () => AdfResult): AdfResult | string => {
  try {
    return f();
  } catch (error) {
    if (error instanceof RegressionError) return `RegressionError: ${error.message}`;
    throw error;
  }
};

describe('ADF lag search from the Gram matrix', () => {
  it('gives adfuller exactly the QR search result (every field, bit for bit)', () => {
    let decided = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 320 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.double({ min: -0.5, max: 1.05, noNaN: true }),
        fc.double({ min: -0.4, max: 0.4, noNaN: true }),
        fc.constantFrom(1e-4, 1, 3e4),
        fc.constantFrom('c' as const, 'n' as const),
        (n, seed, phi1, phi2, scale, regression) => {
          const x = series(n, seed, phi1, phi2, scale);
          const diff = x.subarray(1).map((v, i) => v - (x[i] as number));
          if (gramAdfLag(x, diff, defaultMaxLag(n, regression), regression === 'c' ? 1 : 0) !== undefined)
            decided++;
          expect(outcome(() => adfuller(x, { regression }))).toEqual(
            outcome(() => referenceAdfuller(x, regression)),
          );
        },
      ),
      { numRuns: 400 },
    );
    // The property must test the Gram path, not only the fallback (≈ 97 % of these series decide).
    expect(decided).toBeGreaterThan(300);
  });

  it('errs on the AICs far less than the margin that lets it decide (20× headroom)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 60, max: 320 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.double({ min: -0.5, max: 1.05, noNaN: true }),
        fc.double({ min: -0.4, max: 0.4, noNaN: true }),
        fc.constantFrom(0 as const, 1 as const),
        (n, seed, phi1, phi2, ntrend) => {
          const x = series(n, seed, phi1, phi2, 0.01);
          const diff = x.subarray(1).map((v, i) => v - (x[i] as number));
          const maxLag = defaultMaxLag(n, ntrend === 1 ? 'c' : 'n');
          const fast = gramAdfAics(x, diff, maxLag, ntrend);
          if (fast === undefined) return;
          const rows = diff.length - maxLag;
          const cols: Float64Array[] = [];
          if (ntrend === 1) cols.push(new Float64Array(rows).fill(1));
          cols.push(x.slice(maxLag, maxLag + rows));
          for (let l = 1; l <= maxLag; l++) cols.push(diff.slice(maxLag - l, maxLag - l + rows));
          const exact = nestedOlsAic(diff.slice(maxLag), cols, ntrend + 1);
          const margin = 1e-7 * rows;
          exact.forEach((aic, lag) => {
            expect(Math.abs((fast[lag] as number) - aic)).toBeLessThan(margin / 20);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves a degenerate design to the QR search, which refuses it as before', () => {
    // A straight line: every difference is 1, so the lag columns equal the constant.
    const flat = Float64Array.from({ length: 120 }, (_, i) => i);
    const diff = flat.subarray(1).map((v, i) => v - (flat[i] as number));
    expect(gramAdfLag(flat, diff, defaultMaxLag(120, 'c'), 1)).toBeUndefined();
    expect(outcome(() => adfuller(flat))).toEqual(outcome(() => referenceAdfuller(flat, 'c')));
  });
});
