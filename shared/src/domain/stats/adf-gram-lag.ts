/**
 * A fast first opinion on ADF's AIC lag search, from the Gram matrix of the test regression instead
 * of a Householder QR per re-test (stat_arb re-tests every pair every hour: the QR of a 224 × 16
 * design plus 16 prefix fits was ~90k multiply-adds, a third of a year's backtest).
 *
 * The lag search's regressors are shifted copies of one differenced series, so their Gram matrix is
 * nearly Toeplitz: entry (l, m) is a window sum of Δx_s·Δx_{s+|l−m|}, read from one prefix sum per
 * lag distance, O(n·maxLag) in all instead of O(n·maxLag²). A Cholesky factor of it gives every
 * nested prefix's SSR at once (SSR_k = yᵀy − Σ_{i<k} z_i², z = L⁻¹Xᵀy).
 *
 * These SSRs round differently from the QR's, so they only decide the lag when the decision cannot
 * differ from the QR's: the conditioning guards below keep the relative SSR error under ~5e-9
 * (a first-order bound: n·ε·VIF·yᵀy/SSR ≈ 239 · 2.2e-16 · 1e3 · 1e2 ≈ 5e-9), i.e. an AIC error
 * under n·5e-9 ≈ 1e-6, and the winner must beat every other lag by {@link AIC_MARGIN_PER_ROW}·n
 * (1e-7 relative in SSR, 20× that bound). Observed on a year of stat_arb windows: ≤ 2e-12. Otherwise the caller runs the exact QR search. ADF's
 * result then comes from the same exact final fit as before, so the statistic, p-value and chosen
 * lag are bit for bit those of the QR search (a fast-check property pins the lag).
 */

/** A regressor's variance inflation (G_jj / its Cholesky pivot²) above this sends the search to the QR. */
const MAX_VIF = 1e3;
/** R² of a prefix regression above 1 − this sends the search to the QR (SSR = yᵀy − Σz² cancels). */
const MIN_UNEXPLAINED = 1e-2;
/** The winning AIC must be lower than every other lag's by this × rows (≈ 1e-7 relative in SSR). */
const AIC_MARGIN_PER_ROW = 1e-7;

/** A column whose sum of squares is below this × the largest's goes to the QR (its rank test decides). */
const MIN_DIAG_RATIO = 1e-16;

const LOG_2PI = Math.log(2 * Math.PI);

// Work arrays reused across calls (a search never nests in another): five Float64Array
// allocations per re-test cost a fifth of the search. Grown on demand, never shrunk.
const scratch = {
  g: new Float64Array(0),
  b: new Float64Array(0),
  head: new Float64Array(0),
  tail: new Float64Array(0),
  mid: new Float64Array(0),
};

/**
 * The lag (0..maxLag) ADF's AIC search on `x` picks, from the Gram matrix; undefined when it cannot
 * be sure the exact QR search picks the same one (ill-conditioned design, a near-tie, a prefix the
 * QR would refuse), so the caller falls back to it. `diff` is x's first difference, `ntrend` 1 with
 * a constant ('c'), 0 without ('n'); the design is {@link adfuller}'s: rows t = maxLag..n−2 of the
 * differences, columns [1?, x_t, Δx_{t−1}..Δx_{t−maxLag}], y = Δx_t.
 */
export function gramAdfLag(
  x: ArrayLike<number>,
  diff: Float64Array,
  maxLag: number,
  ntrend: 0 | 1,
): number | undefined {
  const aics = gramAdfAics(x, diff, maxLag, ntrend);
  if (aics === undefined) return undefined;
  let best = 0;
  for (let lag = 1; lag <= maxLag; lag++) if ((aics[lag] as number) < (aics[best] as number)) best = lag;
  const margin = AIC_MARGIN_PER_ROW * (diff.length - maxLag);
  const bestAic = aics[best] as number;
  for (let lag = 0; lag <= maxLag; lag++)
    if (lag !== best && !((aics[lag] as number) - bestAic > margin)) return undefined;
  return best;
}

/**
 * The AIC of every lag 0..maxLag of {@link gramAdfLag}'s search (index = lag), or undefined when a
 * guard sends the search to the QR. Exported for the property that bounds its error.
 */
export function gramAdfAics(
  x: ArrayLike<number>,
  diff: Float64Array,
  maxLag: number,
  ntrend: 0 | 1,
): Float64Array | undefined {
  const N = diff.length;
  const rows = N - maxLag;
  const K = ntrend + 1 + maxLag;
  if (rows <= K || rows < maxLag) return undefined;
  const lv = ntrend; // the level column; lag l is column lv + l, y is "lag 0"
  if (scratch.g.length < K * K) scratch.g = new Float64Array(K * K);
  if (scratch.b.length < K) {
    scratch.b = new Float64Array(K);
    scratch.head = new Float64Array(K);
    scratch.tail = new Float64Array(K);
    scratch.mid = new Float64Array(K);
  }
  // Every entry read below is written first (g with stride K, b, head, tail, mid by index).
  const { g, b, head, tail, mid } = scratch;
  let yy = 0;
  // Lag-family entries: Σ_r Δ_{maxLag+r−l}·Δ_{maxLag+r−m} = S_h(N−m) − S_h(maxLag−m) for l ≤ m,
  // h = m − l, S_h(j) = Σ_{s<j} Δ_s·Δ_{s+h}. Only S_h at j ≤ maxLag − h (head) and j ≥ N − maxLag
  // (tail) are needed: one pass per h records those and runs through the middle.
  // The middle s in [maxLag, N − maxLag) is in every h's sum: four lag distances per pass (their
  // sums are independent chains, so they run at the adder's throughput, not its latency).
  let h4 = 0;
  for (; h4 + 3 <= maxLag; h4 += 4) {
    let m0 = 0;
    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    for (let s = maxLag; s < N - maxLag; s++) {
      const d = diff[s] as number;
      m0 += d * (diff[s + h4] as number);
      m1 += d * (diff[s + h4 + 1] as number);
      m2 += d * (diff[s + h4 + 2] as number);
      m3 += d * (diff[s + h4 + 3] as number);
    }
    mid[h4] = m0;
    mid[h4 + 1] = m1;
    mid[h4 + 2] = m2;
    mid[h4 + 3] = m3;
  }
  for (; h4 <= maxLag; h4++) {
    let m = 0;
    for (let s = maxLag; s < N - maxLag; s++) m += (diff[s] as number) * (diff[s + h4] as number);
    mid[h4] = m;
  }
  for (let h = 0; h <= maxLag; h++) {
    let acc = 0;
    let s = 0;
    for (; s < maxLag - h; s++) {
      acc += (diff[s] as number) * (diff[s + h] as number);
      head[s + 1] = acc; // S_h(s + 1)
    }
    for (; s < maxLag; s++) acc += (diff[s] as number) * (diff[s + h] as number);
    acc += mid[h] as number;
    s = N - maxLag;
    tail[0] = acc; // S_h(N − maxLag)
    for (; s < N - h; s++) {
      acc += (diff[s] as number) * (diff[s + h] as number);
      tail[s + 1 - (N - maxLag)] = acc;
    }
    // m = l + h from h to maxLag: S_h(N − m) = tail[maxLag − m], S_h(maxLag − m) = head[maxLag − m].
    for (let m = h; m <= maxLag; m++) {
      const v = (tail[maxLag - m] as number) - (m === maxLag ? 0 : (head[maxLag - m] as number));
      const l = m - h;
      if (l === 0) {
        if (m === 0) yy = v;
        else b[lv + m] = v;
      } else {
        g[(lv + l) * K + lv + m] = v;
        g[(lv + m) * K + lv + l] = v;
      }
    }
  }
  // Level column x_{maxLag+r} against y (lag 0) and every lag, four lags per pass.
  let levelSq = 0;
  let levelSum = 0;
  for (let r = 0; r < rows; r++) {
    const v = x[maxLag + r] as number;
    levelSq += v * v;
    levelSum += v;
  }
  g[lv * K + lv] = levelSq;
  let l = 0;
  for (; l + 3 <= maxLag; l += 4) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    const o = maxLag - l;
    for (let r = 0; r < rows; r++) {
      const v = x[maxLag + r] as number;
      a0 += v * (diff[o + r] as number);
      a1 += v * (diff[o + r - 1] as number);
      a2 += v * (diff[o + r - 2] as number);
      a3 += v * (diff[o + r - 3] as number);
    }
    setLevel(g, b, K, lv, l, a0);
    setLevel(g, b, K, lv, l + 1, a1);
    setLevel(g, b, K, lv, l + 2, a2);
    setLevel(g, b, K, lv, l + 3, a3);
  }
  for (; l <= maxLag; l++) {
    let a = 0;
    for (let r = 0; r < rows; r++) a += (x[maxLag + r] as number) * (diff[maxLag - l + r] as number);
    setLevel(g, b, K, lv, l, a);
  }
  if (ntrend === 1) {
    // The constant: the number of rows, and each column's sum over the rows.
    g[0] = rows;
    g[lv] = levelSum;
    g[lv * K] = levelSum;
    let inner = 0; // Σ Δ_s for s in [maxLag, N − maxLag): in every lag's window
    for (let s = maxLag; s < N - maxLag; s++) inner += diff[s] as number;
    for (let m = 0; m <= maxLag; m++) {
      let v = inner;
      for (let s = maxLag - m; s < maxLag; s++) v += diff[s] as number;
      for (let s = N - maxLag; s < N - m; s++) v += diff[s] as number;
      if (m === 0) b[0] = v;
      else {
        g[lv + m] = v;
        g[(lv + m) * K] = v;
      }
    }
  }
  if (!(yy > 0)) return undefined;
  // A column tiny against the largest could trip the QR's rank test (|R_jj| ≤ 1e-13·max|R|).
  let maxDiag = 0;
  for (let j = 0; j < K; j++) maxDiag = Math.max(maxDiag, g[j * K + j] as number);
  for (let j = 0; j < K; j++) if (!((g[j * K + j] as number) > MIN_DIAG_RATIO * maxDiag)) return undefined;
  // Cholesky G = L·Lᵀ (row-major lower triangle, in place), z = L⁻¹·b in b, SSR_k = yy − Σ_{i<k} z_i².
  const aics = new Float64Array(maxLag + 1);
  let explained = 0;
  for (let j = 0; j < K; j++) {
    const rj = j * K;
    for (let i = 0; i < j; i++) {
      const ri = i * K;
      let s = g[rj + i] as number;
      for (let m = 0; m < i; m++) s -= (g[rj + m] as number) * (g[ri + m] as number);
      g[rj + i] = s / (g[ri + i] as number);
    }
    const gjj = g[rj + j] as number;
    let d = gjj;
    for (let m = 0; m < j; m++) d -= (g[rj + m] as number) * (g[rj + m] as number);
    if (!(d > 0 && d * MAX_VIF >= gjj)) return undefined;
    const ljj = Math.sqrt(d);
    g[rj + j] = ljj;
    let zj = b[j] as number;
    for (let m = 0; m < j; m++) zj -= (g[rj + m] as number) * (b[m] as number);
    zj /= ljj;
    b[j] = zj;
    explained += zj * zj;
    const ssr = yy - explained;
    if (!(ssr >= MIN_UNEXPLAINED * yy)) return undefined;
    const k = j + 1;
    if (k > ntrend) aics[k - ntrend - 1] = rows * (LOG_2PI + Math.log(ssr / rows) + 1) + 2 * k;
  }
  return aics;
}

// Level column against lag l (0 = y: an entry of Xᵀy).
function setLevel(g: Float64Array, b: Float64Array, K: number, lv: number, l: number, v: number): void {
  if (l === 0) b[lv] = v;
  else {
    g[lv * K + lv + l] = v;
    g[(lv + l) * K + lv] = v;
  }
}
