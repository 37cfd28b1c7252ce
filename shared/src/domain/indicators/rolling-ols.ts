import { assertFinite, assertPeriod, RingBuffer } from './ring-buffer';
import { NEAR_FLAT_RATIO } from './rolling-stats';

/**
 * Rolling ordinary least squares of y on x with an intercept (y = alpha + beta·x + e) over the last
 * `period` pairs: the hedge ratio of a pairs trade. O(1) per update via running centred co-moments
 * (means and Cxx, Cxy, Cyy updated Welford-style on add and remove), never raw Σx², Σxy, which
 * cancel catastrophically for KRW prices ~1e7. All moments are recomputed two-pass whenever the
 * ring wraps (amortised O(1)), bounding drift, and also whenever x or y is flat to within
 * {@link NEAR_FLAT_RATIO} of its mean (where the sliding moments would be mostly rounding residue).
 */
export class RollingOls {
  private readonly xs: RingBuffer;
  private readonly ys: RingBuffer;
  private mx = 0;
  private my = 0;
  private cxx = 0;
  private cxy = 0;
  private cyy = 0;
  private lastX = Number.NaN;
  private lastY = Number.NaN;

  constructor(readonly period: number) {
    assertPeriod(period, 'OLS window');
    if (period < 3) throw new RangeError(`OLS window must be at least 3 pairs, got ${period}`);
    this.xs = new RingBuffer(period);
    this.ys = new RingBuffer(period);
  }

  /** True once the window is full and x has non-zero variance (a slope exists). */
  get ready(): boolean {
    // x must vary by more than a rounding-noise floor (1e-12 relative std), else beta is garbage.
    const floor = 1e-12 * Math.max(Math.abs(this.mx), 1);
    return this.xs.full && this.cxx > this.period * floor * floor;
  }

  /** Hedge ratio beta = Cov(x, y)/Var(x); NaN until ready. */
  get beta(): number {
    return this.ready ? this.cxy / this.cxx : Number.NaN;
  }

  /** Intercept alpha = mean(y) − beta·mean(x); NaN until ready. */
  get alpha(): number {
    return this.ready ? this.my - (this.cxy / this.cxx) * this.mx : Number.NaN;
  }

  /** Alias of {@link beta}, the usual name in pairs trading. */
  get hedgeRatio(): number {
    return this.beta;
  }

  /** Residual of the newest pair under the current fit: y − alpha − beta·x. */
  get residual(): number {
    return this.spread(this.lastX, this.lastY);
  }

  /** Coefficient of determination R² of the window fit; NaN until ready or when y is constant. */
  get rSquared(): number {
    if (!this.ready || !(this.cyy > 0)) return Number.NaN;
    return (this.cxy * this.cxy) / (this.cxx * this.cyy);
  }

  /** Sum of squared residuals of the window fit (Cyy − Cxy²/Cxx), clamped at 0. */
  get ssr(): number {
    if (!this.ready) return Number.NaN;
    return Math.max(0, this.cyy - (this.cxy * this.cxy) / this.cxx);
  }

  /** Residual standard error sqrt(SSR/(n − 2)), the OLS estimate of the noise level. */
  get residualStd(): number {
    return Math.sqrt(this.ssr / (this.period - 2));
  }

  /** Mean of x over the window (NaN when empty). */
  get meanX(): number {
    return this.xs.length === 0 ? Number.NaN : this.mx;
  }

  /** Mean of y over the window (NaN when empty). */
  get meanY(): number {
    return this.ys.length === 0 ? Number.NaN : this.my;
  }

  /** Spread y − alpha − beta·x for any pair under the current fit; NaN until ready. */
  spread(x: number, y: number): number {
    if (!this.ready) return Number.NaN;
    const beta = this.cxy / this.cxx;
    return y - (this.my - beta * this.mx) - beta * x;
  }

  /** Adds one (x, y) pair; returns the new beta (NaN until ready). O(1) amortised. */
  update(x: number, y: number): number {
    assertFinite(x, 'OLS x');
    assertFinite(y, 'OLS y');
    const wasFull = this.xs.full;
    const ex = this.xs.push(x);
    const ey = this.ys.push(y);
    this.lastX = x;
    this.lastY = y;
    if (this.xs.wrapped) this.resync();
    else {
      if (wasFull) this.remove(ex, ey, this.period);
      this.add(x, y, this.xs.length);
      // Near-flat x or y: the sliding co-moments are mostly rounding residue; recompute exactly.
      const n = this.xs.length;
      if (
        wasFull &&
        (this.cxx < n * (NEAR_FLAT_RATIO * this.mx) ** 2 || this.cyy < n * (NEAR_FLAT_RATIO * this.my) ** 2)
      )
        this.resync();
    }
    return this.beta;
  }

  /** Forgets all history. */
  reset(): void {
    this.xs.clear();
    this.ys.clear();
    this.mx = 0;
    this.my = 0;
    this.cxx = 0;
    this.cxy = 0;
    this.cyy = 0;
    this.lastX = Number.NaN;
    this.lastY = Number.NaN;
  }

  /** Welford add; n is the count after adding. */
  private add(x: number, y: number, n: number): void {
    const dx = x - this.mx;
    const dy = y - this.my;
    this.mx += dx / n;
    this.my += dy / n;
    this.cxx += dx * (x - this.mx);
    this.cxy += dx * (y - this.my);
    this.cyy += dy * (y - this.my);
  }

  /** Exact inverse of {@link add}; n is the count before removing. */
  private remove(x: number, y: number, n: number): void {
    const m = n - 1;
    const myOld = this.my;
    const mxOld = this.mx;
    this.mx = m === 0 ? 0 : mxOld - (x - mxOld) / m;
    this.my = m === 0 ? 0 : myOld - (y - myOld) / m;
    this.cxx = Math.max(0, this.cxx - (x - this.mx) * (x - mxOld));
    this.cxy -= (x - this.mx) * (y - myOld);
    this.cyy = Math.max(0, this.cyy - (y - this.my) * (y - myOld));
  }

  private resync(): void {
    const n = this.xs.length;
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      sx += this.xs.get(i);
      sy += this.ys.get(i);
    }
    const mx = sx / n;
    const my = sy / n;
    let cxx = 0;
    let cxy = 0;
    let cyy = 0;
    for (let i = 0; i < n; i++) {
      const dx = this.xs.get(i) - mx;
      const dy = this.ys.get(i) - my;
      cxx += dx * dx;
      cxy += dx * dy;
      cyy += dy * dy;
    }
    this.mx = mx;
    this.my = my;
    this.cxx = cxx;
    this.cxy = cxy;
    this.cyy = cyy;
  }
}

/** Batch rolling hedge ratios aligned with the input (NaN until ready). Built on {@link RollingOls}. */
export function rollingBetaBatch(x: ArrayLike<number>, y: ArrayLike<number>, period: number): Float64Array {
  if (x.length !== y.length) throw new RangeError(`x and y lengths differ: ${x.length} vs ${y.length}`);
  const ind = new RollingOls(period);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = ind.update(x[i] as number, y[i] as number);
  return out;
}
