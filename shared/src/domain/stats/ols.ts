/**
 * Ordinary least squares with the statistics the unit-root tests need (standard errors, t-values,
 * log-likelihood, AIC), matching statsmodels' `OLS(...).fit()` definitions so ADF and Engle–Granger
 * results agree with the reference implementation.
 *
 * Solved by Householder QR rather than normal equations: lagged price levels are nearly collinear
 * and forming XᵀX would square their condition number.
 */
export interface OlsResult {
  /** Coefficients, in the order of the regressor columns. */
  readonly params: Float64Array;
  /** Standard errors √(σ̂²·[(XᵀX)⁻¹]ᵢᵢ) with σ̂² = SSR/(n−k). */
  readonly bse: Float64Array;
  /** params / bse. */
  readonly tvalues: Float64Array;
  readonly resid: Float64Array;
  /** Sum of squared residuals. */
  readonly ssr: number;
  readonly nobs: number;
  /** Number of regressors (columns), including any constant column. */
  readonly k: number;
  /** Gaussian log-likelihood −n/2·(ln 2π + ln(SSR/n) + 1), as statsmodels' `llf`. */
  readonly llf: number;
  /** −2·llf + 2k, as statsmodels' `aic` (k counts the constant when present). */
  readonly aic: number;
}

/** Why a regression could not be fitted; the message says which input was wrong. */
export class RegressionError extends Error {
  override readonly name = 'RegressionError';
}

/**
 * Fits y = Xβ + ε. `columns` are the regressor columns (each of length n); include a column of ones
 * for an intercept. Throws {@link RegressionError} when n ≤ k or X is rank deficient, because a
 * silently regularised fit would produce meaningless test statistics.
 */
export function ols(y: ArrayLike<number>, columns: readonly ArrayLike<number>[]): OlsResult {
  const n = y.length;
  const k = columns.length;
  if (k === 0) throw new RegressionError('ols needs at least one regressor column');
  if (n <= k) throw new RegressionError(`ols needs more observations (${n}) than regressors (${k})`);
  // Column-major copy of X, overwritten by the Householder vectors; qty becomes Qᵀy.
  const a = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    const col = columns[j] as ArrayLike<number>;
    if (col.length !== n) throw new RegressionError(`column ${j} has ${col.length} rows, expected ${n}`);
    for (let i = 0; i < n; i++) a[j * n + i] = col[i] as number;
  }
  const qty = Float64Array.from(y as ArrayLike<number>);
  const rdiag = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const off = j * n;
    let sq = 0;
    for (let i = j; i < n; i++) sq += (a[off + i] as number) ** 2;
    const norm = Math.sqrt(sq);
    if (norm === 0) throw new RegressionError(`regressor column ${j} is linearly dependent on the others`);
    const ajj = a[off + j] as number;
    const alpha = ajj > 0 ? -norm : norm;
    a[off + j] = ajj - alpha;
    let vnorm2 = 0;
    for (let i = j; i < n; i++) vnorm2 += (a[off + i] as number) ** 2;
    rdiag[j] = alpha;
    // Apply H = I − 2vvᵀ/(vᵀv) to the remaining columns and to y.
    for (let c = j + 1; c < k; c++) applyReflector(a, off, j, n, vnorm2, a, c * n);
    applyReflector(a, off, j, n, vnorm2, qty, 0);
  }
  const scale = Math.max(...Array.from(rdiag, Math.abs));
  for (let j = 0; j < k; j++)
    if (Math.abs(rdiag[j] as number) <= scale * 1e-13)
      throw new RegressionError(`regressor column ${j} is (nearly) linearly dependent on the others`);
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
    for (let j = 0; j < k; j++)
      fit += ((columns[j] as ArrayLike<number>)[i] as number) * (params[j] as number);
    const e = (y[i] as number) - fit;
    resid[i] = e;
    ssr += e * e;
  }
  const sigma2 = ssr / (n - k);
  const rinv = upperInverse(k, r);
  const bse = new Float64Array(k);
  const tvalues = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let d = 0;
    for (let c = j; c < k; c++) d += (rinv[j * k + c] as number) ** 2;
    bse[j] = Math.sqrt(sigma2 * d);
    tvalues[j] = (params[j] as number) / (bse[j] as number);
  }
  const llf = -0.5 * n * (Math.log(2 * Math.PI) + Math.log(ssr / n) + 1);
  return { params, bse, tvalues, resid, ssr, nobs: n, k, llf, aic: -2 * llf + 2 * k };
}

function applyReflector(
  v: Float64Array,
  voff: number,
  j: number,
  n: number,
  vnorm2: number,
  target: Float64Array,
  toff: number,
): void {
  let dot = 0;
  for (let i = j; i < n; i++) dot += (v[voff + i] as number) * (target[toff + i] as number);
  const f = (2 * dot) / vnorm2;
  for (let i = j; i < n; i++) target[toff + i] = (target[toff + i] as number) - f * (v[voff + i] as number);
}

// Row-major inverse of the upper-triangular R; rows of R⁻¹ give diag((XᵀX)⁻¹) = Σ_c (R⁻¹)²_{jc}.
function upperInverse(k: number, r: (row: number, col: number) => number): Float64Array {
  const inv = new Float64Array(k * k);
  for (let j = k - 1; j >= 0; j--) {
    inv[j * k + j] = 1 / r(j, j);
    for (let c = j + 1; c < k; c++) {
      let s = 0;
      for (let m = j + 1; m <= c; m++) s += r(j, m) * (inv[m * k + c] as number);
      inv[j * k + c] = -s / r(j, j);
    }
  }
  return inv;
}

/** Centred R² = 1 − SSR/Σ(y − ȳ)²; meaningful when the regression has a constant. */
export function rSquared(y: ArrayLike<number>, ssr: number): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i] as number;
  mean /= y.length;
  let tss = 0;
  for (let i = 0; i < y.length; i++) tss += ((y[i] as number) - mean) ** 2;
  return 1 - ssr / tss;
}

/**
 * AIC of the regressions of y on every prefix `columns[0..k)` for k = `fromK`..columns.length, from
 * one Householder QR of all the columns. Householder reflects column by column, so the first k steps
 * of the full factorisation are exactly the factorisation {@link ols} computes for the first k
 * columns: same operations in the same order, hence bit-for-bit the same AIC as calling `ols` on
 * each prefix (what ADF's lag search did, at a multiple of the cost). Throws the RegressionError
 * `ols` would throw for the first prefix it cannot fit.
 */
export function nestedOlsAic(
  y: ArrayLike<number>,
  columns: readonly ArrayLike<number>[],
  fromK: number,
): number[] {
  const n = y.length;
  const K = columns.length;
  if (fromK < 1) throw new RegressionError('ols needs at least one regressor column');
  if (n <= K) throw new RegressionError(`ols needs more observations (${n}) than regressors (${K})`);
  const a = new Float64Array(n * K);
  for (let j = 0; j < K; j++) {
    const col = columns[j] as ArrayLike<number>;
    if (col.length !== n) throw new RegressionError(`column ${j} has ${col.length} rows, expected ${n}`);
    for (let i = 0; i < n; i++) a[j * n + i] = col[i] as number;
  }
  const qty = Float64Array.from(y as ArrayLike<number>);
  const rdiag = new Float64Array(K);
  const params = new Float64Array(K);
  const fit = new Float64Array(n);
  const cols = columns.map((c) => (c instanceof Float64Array ? c : Float64Array.from(c)));
  const out: number[] = [];
  let scale = 0;
  for (let j = 0; j < K; j++) {
    const off = j * n;
    let sq = 0;
    for (let i = j; i < n; i++) sq += (a[off + i] as number) ** 2;
    const norm = Math.sqrt(sq);
    if (norm === 0) throw new RegressionError(`regressor column ${j} is linearly dependent on the others`);
    const ajj = a[off + j] as number;
    const alpha = ajj > 0 ? -norm : norm;
    a[off + j] = ajj - alpha;
    let vnorm2 = 0;
    for (let i = j; i < n; i++) vnorm2 += (a[off + i] as number) ** 2;
    rdiag[j] = alpha;
    for (let c = j + 1; c < K; c++) applyReflector(a, off, j, n, vnorm2, a, c * n);
    applyReflector(a, off, j, n, vnorm2, qty, 0);
    if (Math.abs(alpha) > scale) scale = Math.abs(alpha);
    const k = j + 1;
    if (k < fromK) continue;
    for (let m = 0; m < k; m++)
      if (Math.abs(rdiag[m] as number) <= scale * 1e-13)
        throw new RegressionError(`regressor column ${m} is (nearly) linearly dependent on the others`);
    for (let r = k - 1; r >= 0; r--) {
      let s = qty[r] as number;
      for (let c = r + 1; c < k; c++) s -= (a[c * n + r] as number) * (params[c] as number);
      params[r] = s / (rdiag[r] as number);
    }
    // Same sums as ols (per row, columns in order), accumulated column by column for locality.
    fit.fill(0);
    for (let c = 0; c < k; c++) {
      const col = cols[c] as Float64Array;
      const pc = params[c] as number;
      for (let i = 0; i < n; i++) fit[i] = (fit[i] as number) + (col[i] as number) * pc;
    }
    let ssr = 0;
    for (let i = 0; i < n; i++) {
      const e = (y[i] as number) - (fit[i] as number);
      ssr += e * e;
    }
    const llf = -0.5 * n * (Math.log(2 * Math.PI) + Math.log(ssr / n) + 1);
    out.push(-2 * llf + 2 * k);
  }
  return out;
}
