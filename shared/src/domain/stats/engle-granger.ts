import { adfuller } from './adf';
import { WorkSlot, workBuffer } from './householder';
import { type CriticalValues, mackinnoncrit, mackinnonp } from './mackinnon';
import { fitOfMatrix, rSquared } from './ols';

/** Engle–Granger two-step cointegration result for y on x (statsmodels `coint(y, x)` semantics). */
export interface CointegrationResult {
  /** ADF τ of the residuals (−Infinity when y and x are perfectly collinear). */
  readonly statistic: number;
  /** MacKinnon (1994) p-value with the N = 2, constant tables. */
  readonly pValue: number;
  /** MacKinnon (2010) N = 2 critical values at nobs − 1 (statsmodels mirrors Stata's `egranger`). */
  readonly critical: CriticalValues;
  /** Hedge ratio β in y = α + β·x + u. */
  readonly beta: number;
  readonly alpha: number;
  /** Lagged differences chosen by AIC in the residual ADF. */
  readonly usedLag: number;
  /** Residuals u_t = y_t − α − β·x_t; the spread the strategy trades. */
  readonly residuals: Float64Array;
}

// β and α of the first step, read at once (reused: the fit allocates no result arrays).
const HEDGE = new Float64Array(2);

// statsmodels treats R² ≥ 1 − 100·√ε as perfectly collinear and skips the ADF.
const COLLINEAR_R2 = 1 - 100 * Math.sqrt(2.220446049250313e-16);

/**
 * Engle–Granger test exactly as statsmodels' `coint(y0, y1, trend='c', autolag='aic')`:
 * 1. OLS of y on [x, 1] gives the hedge ratio and the residual spread;
 * 2. ADF with no deterministic term (`regression='n'`) and AIC lag selection on the residuals;
 * 3. the p-value uses the constant-case tables with N = 2, because the constant lives in step 1.
 * A small p-value rejects "no cointegration", i.e. the spread mean-reverts.
 */
export function engleGranger(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  maxLag?: number,
): CointegrationResult {
  if (y.length !== x.length)
    throw new RangeError(`engleGranger: y has ${y.length} points but x has ${x.length}`);
  const n = y.length;
  // ols(y, [x, 1]) with its augmented matrix [x | 1 | y] written in place (a work buffer: no
  // column arrays, no copies); the fit is the same, bit for bit.
  const a = workBuffer(WorkSlot.matrix, 3 * n);
  for (let i = 0; i < n; i++) {
    a[i] = x[i] as number;
    a[n + i] = 1;
    a[2 * n + i] = y[i] as number;
  }
  // Only the coefficients, residuals and SSR are read: fitOfMatrix gives them as olsOfMatrix would.
  const resid = new Float64Array(n);
  const ssr = fitOfMatrix(a, n, 2, HEDGE, resid);
  const beta = HEDGE[0] as number;
  const alpha = HEDGE[1] as number;
  const critical = mackinnoncrit(2, 'c', n - 1);
  if (rSquared(y, ssr) >= COLLINEAR_R2)
    return {
      statistic: Number.NEGATIVE_INFINITY,
      pValue: 0,
      critical,
      beta,
      alpha,
      usedLag: 0,
      residuals: resid,
    };
  const adf = adfuller(resid, {
    regression: 'n',
    autolag: 'aic',
    icBest: false,
    ...(maxLag === undefined ? {} : { maxLag }),
  });
  return {
    statistic: adf.statistic,
    pValue: mackinnonp(adf.statistic, 'c', 2),
    critical,
    beta,
    alpha,
    usedLag: adf.usedLag,
    residuals: resid,
  };
}
