/**
 * The Householder QR kernel shared by {@link ols} and {@link nestedOlsAic}, written so that every
 * floating operation is the one the textbook column-by-column loop performs, in the same order —
 * the ADF verdicts and backtest results depend on these sums bit for bit — but faster:
 *
 * - y travels as one more column of the matrix (the augmented [X | y]), so Qᵀy is the last column;
 * - a reflector is applied to four columns per pass: their four dot products are independent
 *   dependency chains in one loop (a single serial sum is bound by the latency of an add, four
 *   run at the adder's throughput), and each column still sums its own products from row j up;
 * - squares are products (`v * v`, which is what `v ** 2` rounds to) and buffers are reused.
 *
 * Rounding is the same as applying H = I − 2vvᵀ/(vᵀv) to one column at a time:
 * dot = Σᵢ vᵢ·tᵢ (i ascending from j, starting at 0), f = 2·dot/vᵀv, tᵢ ← tᵢ − f·vᵢ.
 */

/** Why a regression could not be fitted; the message says which input was wrong. */
export class RegressionError extends Error {
  override readonly name = 'RegressionError';
}

/**
 * A work buffer of at least `length` values from a pool slot (0..3), reused across calls: a
 * Float64Array allocation costs about as much as a small regression's arithmetic, and stat_arb
 * runs three regressions per pair re-test. Each caller owns its slot for the length of one call
 * (no fit nests in another); contents are stale, so callers write every value they read.
 */
export function workBuffer(slot: number, length: number): Float64Array {
  const buf = pool[slot] as Float64Array;
  if (buf.length >= length) return buf;
  const grown = new Float64Array(length);
  pool[slot] = grown;
  return grown;
}

/**
 * Pool slots of {@link workBuffer}, one per distinct use within one fit: the matrix a fit
 * factorises, the copy of its inputs, an n-vector, R⁻¹, R's diagonal, the prefix fits' parameters,
 * and ADF's differenced series (alive across its fits).
 */
export const WorkSlot = {
  matrix: 0,
  inputs: 1,
  vector: 2,
  inverse: 3,
  diag: 4,
  params: 5,
  series: 6,
} as const;

const pool: Float64Array[] = Array.from({ length: 7 }, () => new Float64Array(0));

/**
 * Column-major copy of [columns | y] (n rows, columns.length + 1 columns) into `into` (a fresh
 * buffer when not given); the errors are {@link ols}'s for a column of the wrong length.
 */
export function augmentedMatrix(
  y: ArrayLike<number>,
  columns: readonly ArrayLike<number>[],
  into?: Float64Array,
): Float64Array {
  const n = y.length;
  const k = columns.length;
  const a = into ?? new Float64Array(n * (k + 1));
  for (let j = 0; j < k; j++) {
    const col = columns[j] as ArrayLike<number>;
    if (col.length !== n) throw new RegressionError(`column ${j} has ${col.length} rows, expected ${n}`);
    if (col instanceof Float64Array) a.set(col, j * n);
    else for (let i = 0; i < n; i++) a[j * n + i] = col[i] as number;
  }
  if (y instanceof Float64Array) a.set(y, k * n);
  else for (let i = 0; i < n; i++) a[k * n + i] = y[i] as number;
  return a;
}

/**
 * Householder step j on the augmented matrix `a` (n rows, `cols` columns, the last one y): turns
 * column j into the reflector v (a[j·n + j..] = v, R's diagonal returned), applies it to columns
 * j+1..cols−1. Throws when column j is zero below the diagonal.
 */
export function householderStep(a: Float64Array, n: number, cols: number, j: number): number {
  const off = j * n;
  let sq = 0;
  for (let i = off + j; i < off + n; i++) {
    const v = a[i] as number;
    sq += v * v;
  }
  const norm = Math.sqrt(sq);
  if (norm === 0) throw new RegressionError(`regressor column ${j} is linearly dependent on the others`);
  const ajj = a[off + j] as number;
  const alpha = ajj > 0 ? -norm : norm;
  a[off + j] = ajj - alpha;
  // vᵀv is summed inside the first columns' dot-product loop: one more independent chain there
  // (the same products added in the same order), instead of a serial pass of its own. A NaN asks
  // the first reflection for it, and each reflection returns it. One loop for every block of four
  // columns, the first included: a second loop for the blocks after the first ran only in wide
  // regressions (a stat-arb year's first on day 2), after this was optimised without feedback for
  // it, which threw the code away. Without a column after j, vᵀv is not needed.
  let c = j + 1;
  let vnorm2 = Number.NaN;
  for (; c + 3 < cols; c += 4) vnorm2 = reflect4(a, n, j, off, vnorm2, c * n);
  for (; c < cols; c++) vnorm2 = reflect1(a, n, j, off, vnorm2, c * n);
  return alpha;
}

// Columns at t, t+n, t+2n, t+3n, each exactly as reflect1 would do it. A NaN `vnorm2` asks for vᵀv
// to be summed in the dot-product loop (i ascending from j, as its own pass would); returns vᵀv.
function reflect4(a: Float64Array, n: number, j: number, voff: number, vnorm2: number, t: number): number {
  const t1 = t + n;
  const t2 = t1 + n;
  const t3 = t2 + n;
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  let vv = vnorm2;
  if (Number.isNaN(vnorm2)) {
    vv = 0;
    for (let i = j; i < n; i++) {
      const v = a[voff + i] as number;
      vv += v * v;
      d0 += v * (a[t + i] as number);
      d1 += v * (a[t1 + i] as number);
      d2 += v * (a[t2 + i] as number);
      d3 += v * (a[t3 + i] as number);
    }
  } else
    for (let i = j; i < n; i++) {
      const v = a[voff + i] as number;
      d0 += v * (a[t + i] as number);
      d1 += v * (a[t1 + i] as number);
      d2 += v * (a[t2 + i] as number);
      d3 += v * (a[t3 + i] as number);
    }
  const f0 = (2 * d0) / vv;
  const f1 = (2 * d1) / vv;
  const f2 = (2 * d2) / vv;
  const f3 = (2 * d3) / vv;
  for (let i = j; i < n; i++) {
    const v = a[voff + i] as number;
    a[t + i] = (a[t + i] as number) - f0 * v;
    a[t1 + i] = (a[t1 + i] as number) - f1 * v;
    a[t2 + i] = (a[t2 + i] as number) - f2 * v;
    a[t3 + i] = (a[t3 + i] as number) - f3 * v;
  }
  return vv;
}

function reflect1(a: Float64Array, n: number, j: number, voff: number, vnorm2: number, t: number): number {
  let dot = 0;
  let vv = vnorm2;
  if (Number.isNaN(vnorm2)) {
    vv = 0;
    for (let i = j; i < n; i++) {
      const v = a[voff + i] as number;
      vv += v * v;
      dot += v * (a[t + i] as number);
    }
  } else for (let i = j; i < n; i++) dot += (a[voff + i] as number) * (a[t + i] as number);
  const f = (2 * dot) / vv;
  for (let i = j; i < n; i++) a[t + i] = (a[t + i] as number) - f * (a[voff + i] as number);
  return vv;
}

/**
 * Back substitution R·β = (Qᵀy)[0..k) for the leading k×k block of the factorised augmented
 * matrix (R's off-diagonal in `a` above the diagonal, its diagonal in `rdiag`; Qᵀy in column
 * `yCol`), into params[0..k).
 */
export function backSubstitute(
  a: Float64Array,
  n: number,
  rdiag: Float64Array,
  yCol: number,
  k: number,
  params: Float64Array,
): void {
  const qty = yCol * n;
  for (let r = k - 1; r >= 0; r--) {
    let s = a[qty + r] as number;
    for (let c = r + 1; c < k; c++) s -= (a[c * n + r] as number) * (params[c] as number);
    params[r] = s / (rdiag[r] as number);
  }
}

/**
 * Residuals y − Σ_c x_c·β_c of the first k columns of the column-major copy `x` (n rows), each row
 * summed over the columns in order from 0 (four columns per pass); returns the sum of their squares.
 */
export function residuals(
  x: Float64Array,
  y: Float64Array,
  n: number,
  k: number,
  params: Float64Array,
  fit: Float64Array,
  resid: Float64Array | undefined,
): number {
  fit.fill(0, 0, n);
  let c = 0;
  for (; c + 3 < k; c += 4) {
    const o0 = c * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    const p0 = params[c] as number;
    const p1 = params[c + 1] as number;
    const p2 = params[c + 2] as number;
    const p3 = params[c + 3] as number;
    for (let i = 0; i < n; i++)
      fit[i] =
        (fit[i] as number) +
        (x[o0 + i] as number) * p0 +
        (x[o1 + i] as number) * p1 +
        (x[o2 + i] as number) * p2 +
        (x[o3 + i] as number) * p3;
  }
  for (; c < k; c++) {
    const o = c * n;
    const p = params[c] as number;
    for (let i = 0; i < n; i++) fit[i] = (fit[i] as number) + (x[o + i] as number) * p;
  }
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    const e = (y[i] as number) - (fit[i] as number);
    if (resid !== undefined) resid[i] = e;
    ssr += e * e;
  }
  return ssr;
}
