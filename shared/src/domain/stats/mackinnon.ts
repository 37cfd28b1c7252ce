import { normalCdf } from './normal-cdf';

/**
 * MacKinnon's response-surface approximations for unit-root and Engle–Granger cointegration tests,
 * transcribed from statsmodels 0.13.5 `statsmodels/tsa/adfvalues.py` (BSD-3-Clause), which takes them from:
 * - MacKinnon, J.G. (1994) "Approximate Asymptotic Distribution Functions for Unit-Root and
 *   Cointegration Tests", Journal of Business & Economic Statistics 12(2), 167–176 (p-values);
 * - MacKinnon, J.G. (2010) "Critical Values for Cointegration Tests", Queen's University Economics
 *   Working Paper 1227 (finite-sample critical values).
 * Only the trend cases this system uses are carried: `c` (constant) and `n` (none).
 * N is the number of I(1) series: 1 for a plain ADF test, 2 for a pair's Engle–Granger test.
 */
export const AdfRegression = { constant: 'c', none: 'n' } as const;
/** One of {@link AdfRegression}. */
export type AdfRegression = (typeof AdfRegression)[keyof typeof AdfRegression];

/** Largest N the transcribed tables cover. */
export const MACKINNON_MAX_N = 6;

// Rows are N = 1..6. Left tail (τ ≤ τ*) uses the quadratic "small p" fit, the rest the cubic one.
const TAU_STAR = {
  n: [-1.04, -1.53, -2.68, -3.09, -3.07, -3.77],
  c: [-1.61, -2.62, -3.13, -3.47, -3.78, -3.93],
} as const;
const TAU_MIN = {
  n: [-19.04, -19.62, -21.21, -23.25, -21.63, -25.74],
  c: [-18.83, -18.86, -23.48, -28.07, -25.96, -23.27],
} as const;
const TAU_MAX = {
  n: [Number.POSITIVE_INFINITY, 1.51, 0.86, 0.88, 1.05, 1.24],
  c: [2.74, 0.92, 0.55, 0.61, 0.79, 1],
} as const;

// Published with scaling [1, 1, 1e-2] (small p) and [1, 1e-1, 1e-1, 1e-2] (large p); applied below.
const TAU_SMALLP_RAW = {
  n: [
    [0.6344, 1.2378, 3.2496],
    [1.9129, 1.3857, 3.5322],
    [2.7648, 1.4502, 3.4186],
    [3.4336, 1.4835, 3.19],
    [4.0999, 1.5533, 3.59],
    [4.5388, 1.5344, 2.9807],
  ],
  c: [
    [2.1659, 1.4412, 3.8269],
    [2.92, 1.5012, 3.9796],
    [3.4699, 1.4856, 3.164],
    [3.9673, 1.4777, 2.6315],
    [4.5509, 1.5338, 2.9545],
    [5.1399, 1.6036, 3.4445],
  ],
} as const;
const TAU_LARGEP_RAW = {
  n: [
    [0.4797, 9.3557, -0.6999, 3.3066],
    [1.5578, 8.558, -2.083, -3.3549],
    [2.2268, 6.8093, -3.2362, -5.4448],
    [2.7654, 6.4502, -3.0811, -4.4946],
    [3.2684, 6.8051, -2.6778, -3.4972],
    [3.7268, 7.167, -2.3648, -2.8288],
  ],
  c: [
    [1.7339, 9.3202, -1.2745, -1.0368],
    [2.1945, 6.4695, -2.9198, -4.2377],
    [2.5893, 4.5168, -3.6529, -5.0074],
    [3.0387, 4.5452, -3.3666, -4.1921],
    [3.5049, 5.2098, -2.9158, -3.3468],
    [3.9489, 5.8933, -2.5359, -2.721],
  ],
} as const;
const SMALL_SCALING = [1, 1, 1e-2] as const;
const LARGE_SCALING = [1, 1e-1, 1e-1, 1e-2] as const;

// MacKinnon (2010) Table: per N, rows 1 %, 5 %, 10 %; crit = β∞ + β1/T + β2/T² + β3/T³.
// The `n` case exists only for N = 1 (MacKinnon 1996 values, not updated in 2010).
const TAU_2010 = {
  n: [
    [
      [-2.56574, -2.2358, -3.627, 0],
      [-1.941, -0.2686, -3.365, 31.223],
      [-1.61682, 0.2656, -2.714, 25.364],
    ],
  ],
  c: [
    [
      [-3.43035, -6.5393, -16.786, -79.433],
      [-2.86154, -2.8903, -4.234, -40.04],
      [-2.56677, -1.5384, -2.809, 0],
    ],
    [
      [-3.89644, -10.9519, -33.527, 0],
      [-3.33613, -6.1101, -6.823, 0],
      [-3.04445, -4.2412, -2.72, 0],
    ],
    [
      [-4.29374, -14.4354, -33.195, 47.433],
      [-3.74066, -8.5632, -10.852, 27.982],
      [-3.45218, -6.2143, -3.718, 0],
    ],
    [
      [-4.64332, -18.1031, -37.972, 0],
      [-4.096, -11.2349, -11.175, 0],
      [-3.8102, -8.3931, -4.137, 0],
    ],
    [
      [-4.95756, -21.8883, -45.142, 0],
      [-4.41519, -14.0405, -12.575, 0],
      [-4.13157, -10.7417, -3.784, 0],
    ],
    [
      [-5.24568, -25.6688, -57.737, 88.639],
      [-4.70693, -16.9178, -17.492, 60.007],
      [-4.42501, -13.1875, -5.104, 27.877],
    ],
  ],
} as const;

/** Critical values of a test at the 1 %, 5 % and 10 % levels. */
export interface CriticalValues {
  readonly '1%': number;
  readonly '5%': number;
  readonly '10%': number;
}

function checkN(n: number, max: number): void {
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new RangeError(`MacKinnon tables cover N = 1..${max} series, got N = ${n}`);
}

function polyAscending(coef: readonly number[], scaling: readonly number[], x: number): number {
  // Horner from the highest power, like numpy.polyval on the reversed coefficients.
  let acc = 0;
  for (let i = coef.length - 1; i >= 0; i--) acc = acc * x + (coef[i] as number) * (scaling[i] as number);
  return acc;
}

/**
 * MacKinnon (1994) approximate asymptotic p-value of a Dickey–Fuller τ statistic, as statsmodels'
 * `mackinnonp(teststat, regression, N)`: 1 above the table's maximum, 0 below its minimum, else
 * Φ(polynomial in τ).
 */
export function mackinnonp(teststat: number, regression: AdfRegression = 'c', n = 1): number {
  checkN(n, MACKINNON_MAX_N);
  if (Number.isNaN(teststat)) return Number.NaN;
  const i = n - 1;
  if (teststat > (TAU_MAX[regression][i] as number)) return 1;
  if (teststat < (TAU_MIN[regression][i] as number)) return 0;
  const small = teststat <= (TAU_STAR[regression][i] as number);
  const coef = (small ? TAU_SMALLP_RAW : TAU_LARGEP_RAW)[regression][i] as readonly number[];
  return normalCdf(polyAscending(coef, small ? SMALL_SCALING : LARGE_SCALING, teststat));
}

/**
 * MacKinnon (2010) critical values for sample size `nobs` (asymptotic when `nobs` is Infinity), as
 * statsmodels' `mackinnoncrit(N, regression, nobs)`.
 */
export function mackinnoncrit(
  n = 1,
  regression: AdfRegression = 'c',
  nobs = Number.POSITIVE_INFINITY,
): CriticalValues {
  checkN(n, TAU_2010[regression].length);
  const rows = TAU_2010[regression][n - 1] as readonly (readonly number[])[];
  return { '1%': critAt(rows, 0, nobs), '5%': critAt(rows, 1, nobs), '10%': critAt(rows, 2, nobs) };
}

const UNIT_SCALING: readonly number[] = [1, 1, 1, 1];

// One row of the 2010 table at `nobs`. A function, not a closure per call: stat_arb asks for
// critical values at every pair re-test, and a closure per call (named at run time under tsx and
// esbuild's keep-names) cost more than the polynomial.
function critAt(rows: readonly (readonly number[])[], row: number, nobs: number): number {
  const coef = rows[row] as readonly number[];
  if (nobs === Number.POSITIVE_INFINITY) return coef[0] as number;
  return polyAscending(coef, UNIT_SCALING, 1 / nobs);
}
