import { normalCdf } from '../stats/normal-cdf';
import { assertFinite, assertPeriod, RESYNC_RATIO, RingBuffer } from './ring-buffer';
import { RollingStats } from './rolling-stats';

/**
 * Bulk volume classification (Easley, López de Prado and O'Hara 2012, "Flow toxicity and
 * liquidity in a high-frequency world"): without a tape, the buyer-initiated share of a bar's
 * volume is estimated as Φ(Δ/σ_Δ), Δ being the bar's log price change and σ_Δ the standard
 * deviation of Δ over the last `window` bars (including this one). A bar that rose by one σ counts
 * as ~84 % buying. Applied to volume-clock bars, whose returns are closer to normal. Log changes
 * keep σ comparable as the price level moves. O(1) amortised.
 */
export class BulkVolumeClassifier {
  private readonly changes: RollingStats;
  private prevClose = Number.NaN;
  private current = Number.NaN;

  constructor(readonly window: number) {
    assertPeriod(window, 'BVC window');
    if (window < 2) throw new RangeError(`BVC window must be ≥ 2 to estimate σ, got ${window}`);
    this.changes = new RollingStats(window);
  }

  /** True once `window` price changes have been seen. */
  get ready(): boolean {
    return this.changes.ready;
  }

  /** Buy share in [0, 1] of the latest bar; 0.5 when σ is 0; NaN during warm-up. */
  get value(): number {
    return this.current;
  }

  /** Adds one bar close; returns its estimated buy share (NaN during warm-up). */
  update(close: number): number {
    assertFinite(close, 'BVC close');
    if (!(close > 0)) throw new RangeError(`BVC close must be positive, got ${close}`);
    const prev = this.prevClose;
    this.prevClose = close;
    if (Number.isNaN(prev)) return this.current;
    const change = Math.log(close / prev);
    this.changes.update(change);
    if (!this.changes.ready) return this.current;
    const sigma = this.changes.sampleStd;
    this.current = sigma > 0 ? normalCdf(change / sigma) : 0.5;
    return this.current;
  }

  /** Forgets all history. */
  reset(): void {
    this.changes.reset();
    this.prevClose = Number.NaN;
    this.current = Number.NaN;
  }
}

/**
 * Signed-volume imbalance over the last `window` bars: Σ(buy − sell)/Σ(buy + sell) ∈ [−1, 1]. Fed
 * with bulk-classified or tick-rule volumes it is the bar-level stand-in for order flow imbalance
 * when no order book is available (positive = net buying pressure). O(1) amortised.
 */
export class SignedVolumeImbalance {
  private readonly signed: RingBuffer;
  private readonly total: RingBuffer;
  private signedSum = 0;
  private totalSum = 0;
  // Largest bar volume added since the last exact re-sum: the scale of the running sums' rounding residue.
  private peak = 0;

  constructor(readonly window: number) {
    assertPeriod(window, 'imbalance window');
    this.signed = new RingBuffer(window);
    this.total = new RingBuffer(window);
  }

  /** True once `window` bars have been seen. */
  get ready(): boolean {
    return this.total.full;
  }

  /** Imbalance in [−1, 1] (0 when nothing traded); NaN during warm-up. */
  get value(): number {
    if (!this.ready) return Number.NaN;
    return this.totalSum > 0 ? Math.max(-1, Math.min(1, this.signedSum / this.totalSum)) : 0;
  }

  /** Adds one bar's buyer- and seller-initiated volume; returns the imbalance (NaN during warm-up). */
  update(buyVolume: number, sellVolume: number): number {
    assertFinite(buyVolume, 'imbalance buy volume');
    assertFinite(sellVolume, 'imbalance sell volume');
    if (buyVolume < 0 || sellVolume < 0)
      throw new RangeError(`imbalance volumes must be ≥ 0, got ${buyVolume}/${sellVolume}`);
    const s = this.signed.push(buyVolume - sellVolume);
    const t = this.total.push(buyVolume + sellVolume);
    if (this.total.wrapped) this.resync();
    else {
      const total = buyVolume + sellVolume;
      this.signedSum += buyVolume - sellVolume;
      this.totalSum += total;
      if (total > this.peak) this.peak = total;
      if (!Number.isNaN(t)) {
        this.signedSum -= s;
        this.totalSum -= t;
        // Residue from every add/evict scales with the largest bar since the last re-sum; once what
        // is left is small next to it, the ratio would show that residue: re-sum exactly.
        if (this.totalSum <= this.peak * RESYNC_RATIO) this.resync();
      }
    }
    return this.value;
  }

  /** Forgets all history. */
  reset(): void {
    this.signed.clear();
    this.total.clear();
    this.signedSum = 0;
    this.totalSum = 0;
    this.peak = 0;
  }

  private resync(): void {
    this.signedSum = 0;
    this.totalSum = 0;
    this.peak = 0;
    for (let i = 0; i < this.total.length; i++) {
      const t = this.total.get(i);
      this.signedSum += this.signed.get(i);
      this.totalSum += t;
      if (t > this.peak) this.peak = t;
    }
  }
}

/** Batch BVC buy shares aligned with the closes (NaN during warm-up). Built on {@link BulkVolumeClassifier}. */
export function bvcBatch(closes: ArrayLike<number>, window: number): Float64Array {
  const ind = new BulkVolumeClassifier(window);
  const out = new Float64Array(closes.length);
  for (let i = 0; i < closes.length; i++) out[i] = ind.update(closes[i] as number);
  return out;
}

/** Batch signed-volume imbalance aligned with the bars (NaN during warm-up). Built on {@link SignedVolumeImbalance}. */
export function signedVolumeImbalanceBatch(
  buyVolumes: ArrayLike<number>,
  sellVolumes: ArrayLike<number>,
  window: number,
): Float64Array {
  if (buyVolumes.length !== sellVolumes.length)
    throw new RangeError(
      `buy and sell series differ in length: ${buyVolumes.length} vs ${sellVolumes.length}`,
    );
  const ind = new SignedVolumeImbalance(window);
  const out = new Float64Array(buyVolumes.length);
  for (let i = 0; i < buyVolumes.length; i++)
    out[i] = ind.update(buyVolumes[i] as number, sellVolumes[i] as number);
  return out;
}
