import fc from 'fast-check';
import { nestedOlsAic, ols, RegressionError } from '../../shared/src/domain/stats/ols';

/**
 * stat_arb's re-tests run ADF with an AIC lag search: one regression per lag on the same sample.
 * `nestedOlsAic` gets every prefix's fit from one QR (4× faster); it must be bit-for-bit what
 * fitting each prefix with `ols` gives, so no pair verdict or backtest result moves.
 */
describe('ADF lag search from one QR', () => {
  const series = (n: number, seed: number): Float64Array => {
    let s = seed >>> 0 || 1;
    const out = new Float64Array(n);
    let level = 0;
    for (let i = 0; i < n; i++) {
      s = (s * 16807) % 2147483647;
      level = 0.8 * level + (s / 2147483647 - 0.5) * 0.01;
      out[i] = level;
    }
    return out;
  };

  it('equals ols on every prefix, bit for bit (random designs, with and without a constant)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 260 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.boolean(),
        (n, k, seed, constant) => {
          fc.pre(n > k + 1);
          const cols: Float64Array[] = [];
          if (constant) cols.push(new Float64Array(n).fill(1));
          for (let c = cols.length; c < k; c++) cols.push(series(n, seed + 97 * c));
          const y = series(n, seed + 7);
          const fromK = constant ? 2 : 1;
          if (k < fromK) return;
          const expected: number[] = [];
          let refused = false;
          try {
            for (let j = fromK; j <= k; j++) expected.push(ols(y, cols.slice(0, j)).aic);
          } catch (error) {
            if (!(error instanceof RegressionError)) throw error;
            refused = true;
          }
          if (refused) expect(() => nestedOlsAic(y, cols, fromK)).toThrow(RegressionError);
          else expect(nestedOlsAic(y, cols, fromK)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a dependent column exactly where ols does', () => {
    const n = 50;
    const a = series(n, 3);
    const cols = [a, series(n, 5), Float64Array.from(a, (v) => 2 * v)];
    const y = series(n, 9);
    expect(ols(y, cols.slice(0, 2)).aic).toBe(nestedOlsAic(y, cols.slice(0, 2), 1)[1]);
    expect(() => ols(y, cols)).toThrow(RegressionError);
    expect(() => nestedOlsAic(y, cols, 1)).toThrow(RegressionError);
  });
});
