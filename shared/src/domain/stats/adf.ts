import { gramAdfLag } from './adf-gram-lag';
import { WorkSlot, workBuffer } from './householder';
import { type AdfRegression, type CriticalValues, mackinnoncrit, mackinnonp } from './mackinnon';
import { nestedOlsAicOfMatrix, tValueOfMatrix } from './ols';

/** Result of an augmented Dickey–Fuller test, with the fields of statsmodels' `adfuller` tuple. */
export interface AdfResult {
  /** τ: the t-value of the lagged level in the test regression; more negative = more stationary. */
  readonly statistic: number;
  readonly pValue: number;
  /** Lagged differences in the chosen regression. */
  readonly usedLag: number;
  /** Observations in the final regression. */
  readonly nobs: number;
  readonly critical: CriticalValues;
  /** Best AIC found by the lag search (undefined when the lag was fixed). */
  readonly icBest?: number;
}

/** Options of {@link adfuller}; the defaults are statsmodels' (`maxlag=None, regression='c', autolag='AIC'`). */
export interface AdfOptions {
  readonly maxLag?: number;
  readonly regression?: AdfRegression;
  /** `aic` searches lags 0..maxLag; `none` uses maxLag as given. */
  readonly autolag?: 'aic' | 'none';
  /** Number of I(1) series for the p-value table (1 for ADF, 2 for a pair's residuals). */
  readonly pValueN?: number;
  /**
   * Report `icBest` (default true): one more exact prefix fit when the Gram search chose the lag;
   * Engle–Granger does not read it and turns it off.
   */
  readonly icBest?: boolean;
}

/**
 * Schwert's (1989) rule as statsmodels applies it: ⌈12·(n/100)^¼⌉, capped at n/2 − ntrend − 1 so
 * the lag search always has more observations than regressors.
 */
export function defaultMaxLag(nobs: number, regression: AdfRegression): number {
  const ntrend = regression === 'c' ? 1 : 0;
  return Math.min(Math.floor(nobs / 2) - ntrend - 1, Math.ceil(12 * (nobs / 100) ** 0.25));
}

/**
 * Augmented Dickey–Fuller test with statsmodels' exact conventions, so a pair accepted here is the
 * pair a researcher would accept in Python:
 * Δx_t = [c] + γ·x_{t−1} + Σ_{i=1..p} φ_i·Δx_{t−i} + ε_t, τ = γ̂/se(γ̂).
 * With `autolag: 'aic'`, every p in 0..maxLag is fitted on the same sample (the last n − maxLag − 1
 * differences) and the smallest AIC wins (ties → fewer lags); the chosen model is then refitted on
 * all the observations it can use. p-values are MacKinnon (1994), critical values MacKinnon (2010).
 */
export function adfuller(x: ArrayLike<number>, options: AdfOptions = {}): AdfResult {
  const regression = options.regression ?? 'c';
  const autolag = options.autolag ?? 'aic';
  const n = x.length;
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(x[i] as number)) throw new RangeError(`adfuller: x[${i}] is not a finite number`);
  const ntrend = regression === 'c' ? 1 : 0;
  const maxLag = options.maxLag ?? defaultMaxLag(n, regression);
  if (maxLag < 0)
    throw new RangeError(`adfuller: ${n} observations are too few for the "${regression}" regression`);
  if (options.maxLag !== undefined && maxLag > Math.floor(n / 2) - ntrend - 1)
    throw new RangeError(
      `adfuller: maxLag ${maxLag} must be at most n/2 − 1 − ntrend = ${Math.floor(n / 2) - ntrend - 1}`,
    );
  // A work buffer (see workBuffer), viewed at its exact length: the searches read diff.length.
  const diff = workBuffer(WorkSlot.series, n - 1).subarray(0, n - 1);
  for (let i = 1; i < n; i++) diff[i - 1] = (x[i] as number) - (x[i - 1] as number);

  let usedLag = maxLag;
  let icBest: number | undefined;
  if (autolag === 'aic') {
    // The Gram search decides when it provably agrees with the QR search (adf-gram-lag.ts);
    // otherwise (a near-tie, an ill-conditioned design) the exact QR search below decides.
    const fast = gramAdfLag(x, diff, maxLag, ntrend);
    if (fast === undefined) {
      const search = qrLagSearch(x, diff, maxLag, regression);
      usedLag = search.lag;
      icBest = search.aic;
    } else {
      usedLag = fast;
      if (options.icBest !== false) {
        // The chosen prefix's AIC exactly as the QR search computes it: its first k columns'
        // reflectors and y's are the same operations whatever follows them.
        const d = designMatrix(x, diff, maxLag, fast, regression);
        icBest = nestedOlsAicOfMatrix(d.a, d.rows, d.k, d.k)[0] as number;
      }
    }
  }
  const final = designMatrix(x, diff, usedLag, usedLag, regression);
  // τ is the level's t-value, all the final fit is read for (bit for bit olsOfMatrix's).
  const statistic = tValueOfMatrix(final.a, final.rows, final.k, ntrend);
  const pn = options.pValueN ?? 1;
  return {
    statistic,
    pValue: mackinnonp(statistic, regression, pn),
    usedLag,
    nobs: final.rows,
    critical: mackinnoncrit(pn, regression, final.rows),
    ...(icBest === undefined ? {} : { icBest }),
  };
}

/**
 * statsmodels' lag search: every lag 0..maxLag fitted on the same sample; the smallest AIC wins
 * (ties → fewer lags). Columns are ordered [const, level, Δx_{t−1}, …] and one QR of all of them
 * gives every prefix's fit exactly (nestedOlsAic).
 */
function qrLagSearch(
  x: ArrayLike<number>,
  diff: Float64Array,
  maxLag: number,
  regression: AdfRegression,
): { readonly lag: number; readonly aic: number } {
  const design = designMatrix(x, diff, maxLag, maxLag, regression);
  const aics = nestedOlsAicOfMatrix(design.a, design.rows, design.k, (regression === 'c' ? 1 : 0) + 1);
  let lag = 0;
  for (let l = 1; l <= maxLag; l++) if ((aics[l] as number) < (aics[lag] as number)) lag = l;
  return { lag, aic: aics[lag] as number };
}

interface Design {
  /** Column-major [X | y] as olsOfMatrix and tValueOfMatrix take it. */
  readonly a: Float64Array;
  readonly rows: number;
  /** Regressor columns. */
  readonly k: number;
}

// Rows t = trim..n−2 of the differenced series; columns [const?, level x_t, Δx_{t−1}..Δx_{t−lags}],
// then y = Δx_t, written straight into the augmented matrix.
function designMatrix(
  x: ArrayLike<number>,
  diff: Float64Array,
  trim: number,
  lags: number,
  regression: AdfRegression,
): Design {
  const rows = diff.length - trim;
  if (rows <= 0) throw new RangeError('adfuller: series too short for the requested lags');
  const k = (regression === 'c' ? 1 : 0) + 1 + lags;
  // Every value is written below, so the shared work buffer needs no clearing.
  const a = workBuffer(WorkSlot.matrix, rows * (k + 1));
  let off = 0;
  if (regression === 'c') {
    a.fill(1, 0, rows);
    off = rows;
  }
  for (let r = 0; r < rows; r++) a[off + r] = x[trim + r] as number;
  off += rows;
  for (let l = 1; l <= lags; l++, off += rows) a.set(diff.subarray(trim - l, trim - l + rows), off);
  a.set(diff.subarray(trim), off);
  return { a, rows, k };
}
