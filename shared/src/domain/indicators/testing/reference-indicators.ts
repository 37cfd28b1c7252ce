/**
 * Test-only, deliberately naive batch references for the streaming indicators: each output is
 * recomputed from scratch with plain loops following TA-Lib's documented conventions, so they share
 * no code or numerical tricks with the production classes they check. O(n·period); never use them
 * on a hot path.
 */

const nan = (n: number): number[] => new Array<number>(n).fill(Number.NaN);
const at = (xs: ArrayLike<number>, i: number): number => xs[i] as number;

function windowMean(xs: ArrayLike<number>, end: number, period: number): number {
  let s = 0;
  for (let j = end - period + 1; j <= end; j++) s += at(xs, j);
  return s / period;
}

/** SMA: mean of the last `period` values; first at period − 1. */
export function refSma(xs: ArrayLike<number>, period: number): number[] {
  const out = nan(xs.length);
  for (let i = period - 1; i < xs.length; i++) out[i] = windowMean(xs, i, period);
  return out;
}

/** WMA with weights 1..period (newest heaviest). */
export function refWma(xs: ArrayLike<number>, period: number): number[] {
  const out = nan(xs.length);
  for (let i = period - 1; i < xs.length; i++) {
    let s = 0;
    for (let j = 0; j < period; j++) s += (j + 1) * at(xs, i - period + 1 + j);
    out[i] = s / ((period * (period + 1)) / 2);
  }
  return out;
}

/** EMA seeded by the SMA of the `period` values ending at `seedAt` (default period − 1). */
export function refEma(xs: ArrayLike<number>, period: number, seedAt = period - 1): number[] {
  const out = nan(xs.length);
  if (seedAt >= xs.length) return out;
  const k = 2 / (period + 1);
  let e = windowMean(xs, seedAt, period);
  out[seedAt] = e;
  for (let i = seedAt + 1; i < xs.length; i++) {
    e = (at(xs, i) - e) * k + e;
    out[i] = e;
  }
  return out;
}

/** TA-Lib RSI (Wilder, simple-mean seed); 50 when nothing moved (documented difference). */
export function refRsi(xs: ArrayLike<number>, period: number): number[] {
  const out = nan(xs.length);
  if (xs.length <= period) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = at(xs, i) - at(xs, i - 1);
    if (d < 0) loss -= d;
    else gain += d;
  }
  gain /= period;
  loss /= period;
  const rsi = () => (gain + loss > 0 ? (100 * gain) / (gain + loss) : 50);
  out[period] = rsi();
  for (let i = period + 1; i < xs.length; i++) {
    const d = at(xs, i) - at(xs, i - 1);
    gain = (gain * (period - 1) + Math.max(d, 0)) / period;
    loss = (loss * (period - 1) + (d < 0 ? -d : 0)) / period;
    out[i] = rsi();
  }
  return out;
}

/** TA-Lib MACD: fast EMA seeded where the slow one starts; signal = SMA-seeded EMA of the line. */
export function refMacd(
  xs: ArrayLike<number>,
  fast: number,
  slow: number,
  signal: number,
): { macd: number[]; signal: number[]; histogram: number[] } {
  const n = xs.length;
  const f = refEma(xs, fast, slow - 1);
  const s = refEma(xs, slow);
  const line = nan(n);
  for (let i = slow - 1; i < n; i++) line[i] = at(f, i) - at(s, i);
  const first = slow + signal - 2;
  const sig = nan(n);
  if (first < n) {
    const k = 2 / (signal + 1);
    let e = windowMean(line, first, signal);
    sig[first] = e;
    for (let i = first + 1; i < n; i++) {
      e = (at(line, i) - e) * k + e;
      sig[i] = e;
    }
  }
  const macd = nan(n);
  const histogram = nan(n);
  for (let i = first; i < n; i++) {
    macd[i] = at(line, i);
    histogram[i] = at(line, i) - at(sig, i);
  }
  return { macd, signal: sig, histogram };
}

/** Population standard deviation of the window ending at i, two-pass. */
export function refStd(xs: ArrayLike<number>, period: number): number[] {
  const out = nan(xs.length);
  for (let i = period - 1; i < xs.length; i++) {
    const m = windowMean(xs, i, period);
    let s = 0;
    for (let j = i - period + 1; j <= i; j++) s += (at(xs, j) - m) ** 2;
    out[i] = Math.sqrt(s / period);
  }
  return out;
}

/** BBANDS with SMA middle and population σ. */
export function refBbands(
  xs: ArrayLike<number>,
  period: number,
  k: number,
): { upper: number[]; middle: number[]; lower: number[] } {
  const middle = refSma(xs, period);
  const sd = refStd(xs, period);
  return {
    middle,
    upper: middle.map((m, i) => m + k * at(sd, i)),
    lower: middle.map((m, i) => m - k * at(sd, i)),
  };
}

/** TRANGE; NaN at 0. */
export function refTrange(h: ArrayLike<number>, l: ArrayLike<number>, c: ArrayLike<number>): number[] {
  const out = nan(c.length);
  for (let i = 1; i < c.length; i++) {
    const pc = at(c, i - 1);
    out[i] = Math.max(at(h, i) - at(l, i), Math.abs(at(h, i) - pc), Math.abs(at(l, i) - pc));
  }
  return out;
}

/** ATR: mean of TR[1..period] at index period, then Wilder smoothing. */
export function refAtr(
  h: ArrayLike<number>,
  l: ArrayLike<number>,
  c: ArrayLike<number>,
  period: number,
): number[] {
  const tr = refTrange(h, l, c);
  const out = nan(c.length);
  if (c.length <= period) return out;
  let a = 0;
  for (let i = 1; i <= period; i++) a += at(tr, i);
  a /= period;
  out[period] = a;
  for (let i = period + 1; i < c.length; i++) {
    a = (a * (period - 1) + at(tr, i)) / period;
    out[i] = a;
  }
  return out;
}

/** OLS of y on x with intercept over each window: [alpha, beta] per index. */
export function refOls(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  period: number,
): { alpha: number[]; beta: number[] } {
  const alpha = nan(x.length);
  const beta = nan(x.length);
  for (let i = period - 1; i < x.length; i++) {
    const mx = windowMean(x, i, period);
    const my = windowMean(y, i, period);
    let sxx = 0;
    let sxy = 0;
    for (let j = i - period + 1; j <= i; j++) {
      sxx += (at(x, j) - mx) ** 2;
      sxy += (at(x, j) - mx) * (at(y, j) - my);
    }
    beta[i] = sxy / sxx;
    alpha[i] = my - (sxy / sxx) * mx;
  }
  return { alpha, beta };
}

/** Rolling VWAP over `period` bars. */
export function refRollingVwap(p: ArrayLike<number>, v: ArrayLike<number>, period: number): number[] {
  const out = nan(p.length);
  for (let i = period - 1; i < p.length; i++) {
    let pv = 0;
    let vol = 0;
    for (let j = i - period + 1; j <= i; j++) {
      pv += at(p, j) * at(v, j);
      vol += at(v, j);
    }
    out[i] = vol > 0 ? pv / vol : Number.NaN;
  }
  return out;
}

/**
 * Relative comparison used by the golden tests: |a − b| ≤ tol·max(|b|, scale). `scale` lets
 * oscillators that cross zero (MACD) be judged against the input's magnitude.
 */
export function relClose(a: number, b: number, tol = 1e-9, scale = 1): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= tol * Math.max(Math.abs(b), scale);
}

/** Index of the first non-NaN value, or −1. */
export function firstReady(xs: ArrayLike<number>): number {
  for (let i = 0; i < xs.length; i++) if (!Number.isNaN(at(xs, i))) return i;
  return -1;
}

/** Indices where two series disagree under {@link relClose}; empty means equal. */
export function mismatches(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9, scale = 1): number[] {
  const bad: number[] = [];
  if (a.length !== b.length) return [-1];
  for (let i = 0; i < a.length; i++) if (!relClose(at(a, i), at(b, i), tol, scale)) bad.push(i);
  return bad;
}
