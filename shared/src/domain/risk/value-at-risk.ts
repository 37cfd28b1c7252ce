/**
 * Value at risk and expected shortfall in float64 (risk measures, never order sizes). Conventions:
 * returns are simple per-period returns; VaR and ES are positive loss fractions (or KRW when scaled by
 * a value); horizon = the return period of the input series.
 * - Historical: sort the returns, k = ⌈n·(1 − c)⌉, VaR = −(k-th smallest return), ES = −mean of the k
 *   smallest. No interpolation, so a hand check is one sort away.
 * - Parametric (variance–covariance, normal): VaR = z·σ − μ, ES = σ·φ(z)/(1 − c) − μ with z = Φ⁻¹(c),
 *   σ the sample standard deviation (n − 1).
 */

/** Simple returns p[t]/p[t−1] − 1 of a price series. */
export function simpleReturns(prices: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < prices.length; i++) {
    const prev = prices[i - 1] as number;
    out.push((prices[i] as number) / prev - 1);
  }
  return out;
}

/** Mean and sample standard deviation (n − 1); a single value has σ = 0. */
export function meanAndStdev(xs: readonly number[]): { readonly mean: number; readonly stdev: number } {
  if (xs.length === 0) throw new RangeError('need at least one observation');
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  if (xs.length === 1) return { mean, stdev: 0 };
  let sq = 0;
  for (const x of xs) sq += (x - mean) ** 2;
  return { mean, stdev: Math.sqrt(sq / (xs.length - 1)) };
}

function checkConfidence(c: number): void {
  if (!(c > 0 && c < 1)) throw new RangeError(`confidence must be in (0, 1), got ${c}`);
}

function tailCount(n: number, confidence: number): number {
  // 20 × (1 − 0.95) is 1.0000000000000009 in float64; round before ceil so it stays 1.
  return Math.max(1, Math.ceil(Number((n * (1 - confidence)).toFixed(9))));
}

/** Historical VaR and ES of a return series (see module conventions). */
export function historicalVar(
  returns: readonly number[],
  confidence = 0.95,
): { readonly var: number; readonly es: number } {
  checkConfidence(confidence);
  if (returns.length === 0) throw new RangeError('need at least one return');
  const sorted = [...returns].sort((a, b) => a - b);
  const k = tailCount(sorted.length, confidence);
  let tail = 0;
  for (let i = 0; i < k; i++) tail += sorted[i] as number;
  return { var: -(sorted[k - 1] as number), es: -tail / k };
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

// Acklam's rational approximation (relative error < 1.15e-9), enough for risk reporting.
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

function poly(coeffs: readonly number[], x: number): number {
  let acc = 0;
  for (const c of coeffs) acc = acc * x + c;
  return acc;
}

/** Inverse standard normal CDF Φ⁻¹(p). */
export function inverseNormalCdf(p: number): number {
  checkConfidence(p);
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(C, q) / (poly(D, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(C, q) / (poly(D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(A, r) * q) / (poly(B, r) * r + 1);
}

/** Parametric (normal) VaR and ES from a mean and standard deviation of returns. */
export function parametricVar(
  mean: number,
  stdev: number,
  confidence = 0.95,
): { readonly var: number; readonly es: number } {
  checkConfidence(confidence);
  if (!(stdev >= 0)) throw new RangeError(`stdev must be ≥ 0, got ${stdev}`);
  const z = inverseNormalCdf(confidence);
  return { var: z * stdev - mean, es: (stdev * normalPdf(z)) / (1 - confidence) - mean };
}

/** Pearson correlation matrix of aligned return series (one row per market, equal lengths). */
export function correlationMatrix(series: readonly (readonly number[])[]): number[][] {
  const n = series.length;
  const len = series[0]?.length ?? 0;
  if (series.some((s) => s.length !== len) || len < 2)
    throw new RangeError('correlation needs aligned series of equal length ≥ 2');
  const stats = series.map((s) => meanAndStdev(s));
  const m: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      if (i === j) {
        row.push(1);
        continue;
      }
      const si = series[i] as readonly number[];
      const sj = series[j] as readonly number[];
      const a = stats[i] as { mean: number; stdev: number };
      const b = stats[j] as { mean: number; stdev: number };
      if (a.stdev === 0 || b.stdev === 0) {
        row.push(0);
        continue;
      }
      let cov = 0;
      for (let t = 0; t < len; t++) cov += ((si[t] as number) - a.mean) * ((sj[t] as number) - b.mean);
      row.push(cov / (len - 1) / (a.stdev * b.stdev));
    }
    m.push(row);
  }
  return m;
}

/** One held market for portfolio VaR: its KRW value and its return series (aligned across markets). */
export interface HeldExposure {
  readonly market: string;
  readonly value: number;
  readonly returns: readonly number[];
}

/** VaR/ES in KRW for each position alone and for the portfolio. */
export interface PortfolioRisk {
  readonly positions: readonly { readonly market: string; readonly var: number; readonly es: number }[];
  readonly portfolio: { readonly var: number; readonly es: number };
  /** Correlation matrix of the held markets, in input order (parametric only). */
  readonly correlation?: readonly (readonly number[])[];
}

/**
 * Parametric portfolio VaR: σ_p² = wᵀ Σ w with Σ_ij = ρ_ij σ_i σ_j and w the KRW values, μ_p = Σ w_i μ_i.
 * The sum of position VaRs minus the portfolio VaR is the diversification benefit the dashboard shows.
 */
export function portfolioParametricVar(held: readonly HeldExposure[], confidence = 0.95): PortfolioRisk {
  if (held.length === 0) return { positions: [], portfolio: { var: 0, es: 0 }, correlation: [] };
  const stats = held.map((h) => meanAndStdev(h.returns));
  const corr = held.length === 1 ? [[1]] : correlationMatrix(held.map((h) => h.returns));
  let variance = 0;
  let mean = 0;
  for (let i = 0; i < held.length; i++) {
    const wi = (held[i] as HeldExposure).value;
    const si = (stats[i] as { stdev: number; mean: number }).stdev;
    mean += wi * (stats[i] as { mean: number }).mean;
    for (let j = 0; j < held.length; j++) {
      const wj = (held[j] as HeldExposure).value;
      const sj = (stats[j] as { stdev: number }).stdev;
      variance += wi * wj * ((corr[i] as number[])[j] as number) * si * sj;
    }
  }
  const positions = held.map((h, i) => {
    const s = stats[i] as { mean: number; stdev: number };
    const r = parametricVar(s.mean, s.stdev, confidence);
    return { market: h.market, var: r.var * h.value, es: r.es * h.value };
  });
  const sigma = Math.sqrt(Math.max(0, variance));
  const p = parametricVar(mean, sigma, confidence);
  return { positions, portfolio: { var: p.var, es: p.es }, correlation: corr };
}

/**
 * Historical portfolio VaR: revalues today's holdings under each past period's joint returns
 * (P&L_t = Σ w_i r_i,t), which keeps the real co-movement, fat tails included.
 */
export function portfolioHistoricalVar(held: readonly HeldExposure[], confidence = 0.95): PortfolioRisk {
  if (held.length === 0) return { positions: [], portfolio: { var: 0, es: 0 } };
  const len = held[0]?.returns.length ?? 0;
  if (held.some((h) => h.returns.length !== len) || len === 0)
    throw new RangeError('historical VaR needs aligned, non-empty return series');
  const pnl: number[] = new Array<number>(len).fill(0);
  for (const h of held)
    for (let t = 0; t < len; t++) pnl[t] = (pnl[t] as number) + h.value * (h.returns[t] as number);
  const positions = held.map((h) => {
    const r = historicalVar(h.returns, confidence);
    return { market: h.market, var: r.var * h.value, es: r.es * h.value };
  });
  return { positions, portfolio: historicalVar(pnl, confidence) };
}
