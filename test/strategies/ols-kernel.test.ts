import fc from 'fast-check';
import { ols, RegressionError } from '../../shared/src/domain/stats/ols';
import { firstBitDifference } from '../../shared/testing/bit-equality';

/**
 * `ols` runs a blocked Householder kernel (four reflector dot products per pass, y as a column of
 * the matrix). It must round exactly like the column-by-column textbook loop it replaced, kept
 * below as the reference: every field, bit for bit, on random designs (levels, lags, a constant).
 */
function referenceOls(y: Float64Array, columns: readonly Float64Array[]) {
  const n = y.length;
  const k = columns.length;
  const a = new Float64Array(n * k);
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) a[j * n + i] = columns[j]?.[i] as number;
  const qty = Float64Array.from(y);
  const rdiag = new Float64Array(k);
  const reflect = (off: number, j: number, vnorm2: number, t: Float64Array, toff: number) => {
    let dot = 0;
    for (let i = j; i < n; i++) dot += (a[off + i] as number) * (t[toff + i] as number);
    const f = (2 * dot) / vnorm2;
    for (let i = j; i < n; i++) t[toff + i] = (t[toff + i] as number) - f * (a[off + i] as number);
  };
  for (let j = 0; j < k; j++) {
    const off = j * n;
    let sq = 0;
    for (let i = j; i < n; i++) sq += (a[off + i] as number) ** 2;
    const norm = Math.sqrt(sq);
    if (norm === 0) throw new RegressionError(`column ${j} is dependent`);
    const ajj = a[off + j] as number;
    const alpha = ajj > 0 ? -norm : norm;
    a[off + j] = ajj - alpha;
    let vnorm2 = 0;
    for (let i = j; i < n; i++) vnorm2 += (a[off + i] as number) ** 2;
    rdiag[j] = alpha;
    for (let c = j + 1; c < k; c++) reflect(off, j, vnorm2, a, c * n);
    reflect(off, j, vnorm2, qty, 0);
  }
  const scale = Math.max(...Array.from(rdiag, Math.abs));
  for (let j = 0; j < k; j++)
    if (Math.abs(rdiag[j] as number) <= scale * 1e-13) throw new RegressionError(`column ${j} is dependent`);
  const r = (row: number, col: number): number =>
    row === col ? (rdiag[row] as number) : (a[col * n + row] as number);
  const params = new Float64Array(k);
  for (let j = k - 1; j >= 0; j--) {
    let s = qty[j] as number;
    for (let c = j + 1; c < k; c++) s -= r(j, c) * (params[c] as number);
    params[j] = s / r(j, j);
  }
  const resid = new Float64Array(n);
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let j = 0; j < k; j++) fit += (columns[j]?.[i] as number) * (params[j] as number);
    const e = (y[i] as number) - fit;
    resid[i] = e;
    ssr += e * e;
  }
  const sigma2 = ssr / (n - k);
  const inv = new Float64Array(k * k);
  for (let j = k - 1; j >= 0; j--) {
    inv[j * k + j] = 1 / r(j, j);
    for (let c = j + 1; c < k; c++) {
      let s = 0;
      for (let m = j + 1; m <= c; m++) s += r(j, m) * (inv[m * k + c] as number);
      inv[j * k + c] = -s / r(j, j);
    }
  }
  const bse = new Float64Array(k);
  const tvalues = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let d = 0;
    for (let c = j; c < k; c++) d += (inv[j * k + c] as number) ** 2;
    bse[j] = Math.sqrt(sigma2 * d);
    tvalues[j] = (params[j] as number) / (bse[j] as number);
  }
  const llf = -0.5 * n * (Math.log(2 * Math.PI) + Math.log(ssr / n) + 1);
  return { params, bse, tvalues, resid, ssr, llf, aic: -2 * llf + 2 * k };
}

describe('ols kernel', () => {
  const series = (n: number, seed: number, ar: number): Float64Array => {
    let s = seed >>> 0 || 1;
    const out = new Float64Array(n);
    let level = 0;
    for (let i = 0; i < n; i++) {
      s = (s * 16807) % 2147483647;
      level = ar * level + (s / 2147483647 - 0.5) * 0.01;
      out[i] = level;
    }
    return out;
  };

  it('equals the column-by-column reference, bit for bit, on every field', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 260 }),
        fc.integer({ min: 1, max: 18 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, k, seed, constant, ar) => {
          fc.pre(n > k);
          const cols: Float64Array[] = [];
          if (constant) cols.push(new Float64Array(n).fill(1));
          for (let c = cols.length; c < k; c++) cols.push(series(n, seed + 97 * c, ar));
          const y = series(n, seed + 7, ar);
          let expected: ReturnType<typeof referenceOls> | undefined;
          try {
            expected = referenceOls(y, cols);
          } catch (error) {
            if (!(error instanceof RegressionError)) throw error;
          }
          if (expected === undefined) {
            expect(() => ols(y, cols)).toThrow(RegressionError);
            return;
          }
          const got = ols(y, cols);
          for (const key of ['params', 'bse', 'tvalues', 'resid'] as const)
            expect(firstBitDifference(got[key], expected[key])).toBe(-1);
          expect(
            firstBitDifference([got.ssr, got.llf, got.aic], [expected.ssr, expected.llf, expected.aic]),
          ).toBe(-1);
        },
      ),
      { numRuns: 400 },
    );
  });
});
