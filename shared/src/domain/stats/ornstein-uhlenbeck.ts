import { WorkSlot, workBuffer } from './householder';
import { fitOfMatrix } from './ols';

/**
 * Ornstein–Uhlenbeck parameters dS = θ(μ − S)dt + σ dW fitted to a spread sampled every `dt`.
 * `halfLife` is how long a deviation takes to halve; the stat-arb strategy refuses pairs whose
 * half-life is longer than it is willing to hold a position.
 */
export interface OuFit {
  /** Mean-reversion speed per unit of `dt` (0 when the spread does not revert). */
  readonly theta: number;
  readonly mu: number;
  /** Diffusion per √(unit of dt). */
  readonly sigma: number;
  /** ln 2 / θ in units of `dt`; Infinity when the AR(1) coefficient is ≥ 1 (no reversion). */
  readonly halfLife: number;
  /** AR(1) coefficient b of S_t = a + b·S_{t−1} + ε. */
  readonly ar1: number;
  /** Stationary standard deviation σ/√(2θ) (= residual sd/√(1 − b²)); NaN without reversion. */
  readonly equilibriumStd: number;
}

// The AR(1) fit's a and b, read at once (reused: the fit allocates no result arrays).
const AR1 = new Float64Array(2);

/**
 * Exact discretisation fit: regress S_t on [1, S_{t−1}]; b = e^(−θ·dt), μ = a/(1 − b),
 * σ = sd(ε)·√(2θ/(1 − b²)). With b ≤ 0 the spread flips sign every step, which is noise rather than
 * OU reversion, so it is reported as non-reverting too (θ = 0, half-life ∞).
 */
export function fitOrnsteinUhlenbeck(spread: ArrayLike<number>, dt = 1): OuFit {
  const n = spread.length;
  if (n < 3) throw new RangeError(`fitOrnsteinUhlenbeck needs at least 3 points, got ${n}`);
  const residualSd = ar1Regression(spread, AR1);
  const a = AR1[0] as number;
  const b = AR1[1] as number;
  // Both fits worked out on every call and one chosen by value: the non-reverting one is rare (a
  // stat-arb year first meets it weeks in), and as a branch of its own its operations had no type
  // feedback when the fit and the pair calibration inlining it were optimised, so V8 threw both away
  // there and compiled them again. The reverting fields are the same expressions as ever; for a
  // non-reverting b they are NaN or ±Infinity, never read.
  const reverting = b > 0 && b < 1;
  const theta = -Math.log(b) / dt;
  const mu = a / (1 - b);
  const sigma = residualSd * Math.sqrt((2 * theta) / (1 - b * b));
  const halfLife = Math.LN2 / theta;
  const equilibriumStd = residualSd / Math.sqrt(1 - b * b);
  const flatSigma = residualSd / Math.sqrt(dt);
  return {
    theta: reverting ? theta : 0,
    mu: reverting ? mu : NAN,
    sigma: reverting ? sigma : flatSigma,
    halfLife: reverting ? halfLife : INFINITY,
    ar1: b,
    equilibriumStd: reverting ? equilibriumStd : NAN,
  };
}

/**
 * The AR(1) regression S_t = a + b·S_{t−1} + ε of a spread of at least 3 points: a and b written to
 * `out[0]`, `out[1]`, the residual standard deviation returned. Its own function so that the fit and
 * the tests' reference fit (which checks how the fit turns a and b into OU parameters) share one
 * regression instead of two copies.
 */
export function ar1Regression(spread: ArrayLike<number>, out: Float64Array): number {
  const n = spread.length;
  // ols(S_t, [1, S_{t−1}]) with its augmented matrix [1 | S_{t−1} | S_t] written in place (a work
  // buffer: no column arrays, no copies); the fit is the same, bit for bit.
  const m = n - 1;
  const design = workBuffer(WorkSlot.matrix, 3 * m);
  for (let i = 0; i < m; i++) {
    design[i] = 1;
    design[m + i] = spread[i] as number;
    design[2 * m + i] = spread[i + 1] as number;
  }
  // Only the coefficients and the SSR are read: fitOfMatrix gives them as olsOfMatrix would.
  const ssr = fitOfMatrix(design, m, 2, out, undefined);
  return Math.sqrt(ssr / (n - 1 - 2));
}

// Read from the module, not from the global Number (a property read with feedback of its own).
const NAN = Number.NaN;
const INFINITY = Number.POSITIVE_INFINITY;
