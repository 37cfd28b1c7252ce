import { normalCdf } from '../../domain/stats/normal-cdf';

/**
 * The deflated Sharpe ratio of Bailey & López de Prado ("The Deflated Sharpe Ratio: Correcting for
 * Selection Bias, Backtest Overfitting and Non-Normality", Journal of Portfolio Management 40(5),
 * 2014), for the optimizer's multiple-testing correction. All Sharpe ratios here are per period
 * (daily, not annualised): the formulas need the unannualised estimate and its sample length.
 *
 * - Probabilistic Sharpe ratio: PSR(SR*) = Φ( (SR − SR*) · √(T − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4 · SR²) ),
 *   the probability that the true Sharpe exceeds SR*, given T returns with skewness γ₃ and
 *   (non-excess) kurtosis γ₄.
 * - Expected maximum Sharpe of N unskilled trials: SR₀ = √V · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))),
 *   γ the Euler–Mascheroni constant and V the variance of the N trials' Sharpe estimates.
 * - DSR = PSR(SR₀): the probability that the selected strategy's true Sharpe is above what the best
 *   of N worthless ones would show by luck. 0.95 or more is the usual bar for "significant".
 * With N = 1 (nothing was selected on the data judged) SR₀ = 0 and DSR = PSR(0).
 */

const EULER_GAMMA = 0.5772156649015329;

/** Sample moments of a return series, what the PSR/DSR formulas need. */
export interface SharpeSample {
  /** Number of returns T. */
  readonly periods: number;
  /** Per-period Sharpe ratio: mean / sample standard deviation. */
  readonly sharpe: number;
  /** Skewness γ₃ (population moments). */
  readonly skew: number;
  /** Kurtosis γ₄, not excess (3 for a normal distribution). */
  readonly kurtosis: number;
}

/** Moments of `returns`, or undefined with fewer than 2 returns or no variance. */
export function sharpeSample(returns: readonly number[]): SharpeSample | undefined {
  const n = returns.length;
  if (n < 2) return undefined;
  let mean = 0;
  for (const r of returns) mean += r;
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const r of returns) {
    const d = r - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const sd = Math.sqrt((m2 * n) / (n - 1));
  if (!(sd > 1e-15)) return undefined;
  return { periods: n, sharpe: mean / sd, skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}

/**
 * Φ⁻¹(p): Acklam's rational approximation (relative error < 1.2e-9) polished by one Newton step
 * on the repository's Φ, so the two agree to machine precision.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    throw new RangeError(`probability must be in [0, 1], got ${p}`);
  }
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ] as const;
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ] as const;
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ] as const;
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = normalCdf(x) - p;
  const density = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  return density > 0 ? x - e / density : x;
}

/** PSR(benchmark): probability that the true per-period Sharpe exceeds `benchmark` (see module doc). */
export function probabilisticSharpe(s: SharpeSample, benchmark = 0): number {
  const denom = 1 - s.skew * s.sharpe + ((s.kurtosis - 1) / 4) * s.sharpe * s.sharpe;
  // A pathological sample (huge skew) can make the variance term non-positive: no information.
  if (!(denom > 0) || s.periods < 2) return 0.5;
  return normalCdf(((s.sharpe - benchmark) * Math.sqrt(s.periods - 1)) / Math.sqrt(denom));
}

/** SR₀: the Sharpe the best of `trials` unskilled trials reaches by luck (per period). */
export function expectedMaxSharpe(trials: number, varianceOfSharpes: number): number {
  if (!(trials > 1) || !(varianceOfSharpes > 0)) return 0;
  return (
    Math.sqrt(varianceOfSharpes) *
    ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) +
      EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E)))
  );
}

/** Sample variance of the trials' per-period Sharpe estimates (0 with fewer than two). */
export function varianceOf(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((x, y) => x + y, 0) / values.length;
  return values.reduce((x, y) => x + (y - mean) ** 2, 0) / (values.length - 1);
}

/**
 * DSR of a selected strategy: PSR against SR₀ for `trials` configurations whose per-period Sharpe
 * estimates have variance `varianceOfSharpes`. When the cross-section cannot give a variance (one
 * trial, or none with a defined Sharpe), the estimator's own variance under the null, 1/(T − 1), is
 * used instead, so the correction never silently disappears.
 */
export function deflatedSharpe(s: SharpeSample, trials: number, varianceOfSharpes: number): number {
  const variance = varianceOfSharpes > 0 ? varianceOfSharpes : 1 / Math.max(1, s.periods - 1);
  return probabilisticSharpe(s, expectedMaxSharpe(trials, variance));
}
