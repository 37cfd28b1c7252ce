import {
  augmentedMatrix,
  backSubstitute,
  householderStep,
  RegressionError,
  residuals,
  WorkSlot,
  workBuffer,
} from './householder';

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

export { RegressionError } from './householder';

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
  return olsOfMatrix(augmentedMatrix(y, columns, workBuffer(WorkSlot.matrix, n * (k + 1))), n, k);
}

/**
 * {@link ols} of the column-major augmented matrix [X | y] (n rows, k regressor columns, then y),
 * which it overwrites: lets a caller that builds its design (ADF) skip the column arrays.
 */
export function olsOfMatrix(a: Float64Array, n: number, k: number): OlsResult {
  const params = new Float64Array(k);
  const resid = new Float64Array(n);
  const ssr = fitOfMatrix(a, n, k, params, resid);
  const sigma2 = ssr / (n - k);
  const rinv = upperInverse(k, a, n, workBuffer(WorkSlot.diag, k));
  const bse = new Float64Array(k);
  const tvalues = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    bse[j] = standardError(rinv, k, j, sigma2);
    tvalues[j] = (params[j] as number) / (bse[j] as number);
  }
  const llf = -0.5 * n * (Math.log(2 * Math.PI) + Math.log(ssr / n) + 1);
  return { params, bse, tvalues, resid, ssr, nobs: n, k, llf, aic: -2 * llf + 2 * k };
}

/**
 * The least-squares part of {@link olsOfMatrix}: the coefficients into `params[0..k)`, the
 * residuals into `resid` when given, and the SSR returned, by the very operations olsOfMatrix
 * performs (it is built on this), so each is bit for bit its field. For a caller that reads
 * nothing else (Engle–Granger's first step, the OU fit: a re-test of a pair ran three full fits
 * and used a third of what they made): no standard errors, no log-likelihood, no result arrays.
 * Overwrites `a` (the factorisation, which {@link tValueOfMatrix} reads) and the work buffers.
 */
export function fitOfMatrix(
  a: Float64Array,
  n: number,
  k: number,
  params: Float64Array,
  resid: Float64Array | undefined,
): number {
  if (k === 0) throw new RegressionError('ols needs at least one regressor column');
  if (n <= k) throw new RegressionError(`ols needs more observations (${n}) than regressors (${k})`);
  // The factorisation overwrites `a` with the Householder vectors and Qᵀy; `x` keeps the inputs
  // for the residuals.
  const x = workBuffer(WorkSlot.inputs, n * (k + 1));
  x.set(a.subarray(0, n * (k + 1)));
  const rdiag = workBuffer(WorkSlot.diag, k);
  for (let j = 0; j < k; j++) rdiag[j] = householderStep(a, n, k + 1, j);
  let scale = 0;
  for (let j = 0; j < k; j++) scale = Math.max(scale, Math.abs(rdiag[j] as number));
  for (let j = 0; j < k; j++)
    if (Math.abs(rdiag[j] as number) <= scale * 1e-13)
      throw new RegressionError(`regressor column ${j} is (nearly) linearly dependent on the others`);
  backSubstitute(a, n, rdiag, k, k, params);
  return residuals(x, x.subarray(k * n), n, k, params, workBuffer(WorkSlot.vector, n), resid);
}

/**
 * `olsOfMatrix(a, n, k).tvalues[j]`, bit for bit (the same operations), without the other
 * columns' statistics or any result array: ADF reads only its lagged level's t-value.
 */
export function tValueOfMatrix(a: Float64Array, n: number, k: number, j: number): number {
  const params = workBuffer(WorkSlot.params, k);
  const ssr = fitOfMatrix(a, n, k, params, undefined);
  const rinv = upperInverse(k, a, n, workBuffer(WorkSlot.diag, k));
  return (params[j] as number) / standardError(rinv, k, j, ssr / (n - k));
}

// √(σ̂²·Σ_c (R⁻¹)²_{jc}): row j of R⁻¹ (upper triangular, row-major) gives [(XᵀX)⁻¹]_jj.
function standardError(rinv: Float64Array, k: number, j: number, sigma2: number): number {
  let d = 0;
  for (let c = j; c < k; c++) {
    const v = rinv[j * k + c] as number;
    d += v * v;
  }
  return Math.sqrt(sigma2 * d);
}

// Row-major inverse of the upper-triangular R (diagonal in `rdiag`, above it column c's rows in
// a[c·n..]); rows of R⁻¹ give diag((XᵀX)⁻¹) = Σ_c (R⁻¹)²_{jc}. Reads R in place: a closure per fit
// cost more than this k × k loop under tsx.
function upperInverse(k: number, a: Float64Array, n: number, rdiag: Float64Array): Float64Array {
  const inv = workBuffer(WorkSlot.inverse, k * k);
  for (let j = k - 1; j >= 0; j--) {
    const rjj = rdiag[j] as number;
    inv[j * k + j] = 1 / rjj;
    for (let c = j + 1; c < k; c++) {
      let s = 0;
      for (let m = j + 1; m <= c; m++) s += (a[m * n + j] as number) * (inv[m * k + c] as number);
      inv[j * k + c] = -s / rjj;
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
  for (let i = 0; i < y.length; i++) {
    const d = (y[i] as number) - mean;
    tss += d * d;
  }
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
  return nestedOlsAicOfMatrix(augmentedMatrix(y, columns), n, K, fromK);
}

/** {@link nestedOlsAic} of the column-major augmented matrix [X | y] (n rows, K columns, then y), which it overwrites. */
export function nestedOlsAicOfMatrix(a: Float64Array, n: number, K: number, fromK: number): number[] {
  if (fromK < 1) throw new RegressionError('ols needs at least one regressor column');
  if (n <= K) throw new RegressionError(`ols needs more observations (${n}) than regressors (${K})`);
  const x = workBuffer(WorkSlot.inputs, n * (K + 1));
  x.set(a.subarray(0, n * (K + 1)));
  const yIn = x.subarray(K * n);
  const rdiag = workBuffer(WorkSlot.diag, K);
  const params = workBuffer(WorkSlot.params, K);
  const fit = workBuffer(WorkSlot.vector, n);
  const out: number[] = [];
  let scale = 0;
  for (let j = 0; j < K; j++) {
    const alpha = householderStep(a, n, K + 1, j);
    rdiag[j] = alpha;
    if (Math.abs(alpha) > scale) scale = Math.abs(alpha);
    const k = j + 1;
    if (k < fromK) continue;
    for (let m = 0; m < k; m++)
      if (Math.abs(rdiag[m] as number) <= scale * 1e-13)
        throw new RegressionError(`regressor column ${m} is (nearly) linearly dependent on the others`);
    backSubstitute(a, n, rdiag, K, k, params);
    const ssr = residuals(x, yIn, n, k, params, fit, undefined);
    const llf = -0.5 * n * (Math.log(2 * Math.PI) + Math.log(ssr / n) + 1);
    out.push(-2 * llf + 2 * k);
  }
  return out;
}
