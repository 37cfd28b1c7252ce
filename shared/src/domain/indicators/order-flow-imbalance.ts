import { assertFinite, assertPeriod, RESYNC_RATIO, RingBuffer } from './ring-buffer';

/** Best bid/ask prices and the sizes resting there: the part of a book OFI looks at. */
export interface TopOfBookLevels {
  readonly bidPrice: number;
  readonly bidSize: number;
  readonly askPrice: number;
  readonly askSize: number;
}

/**
 * One order-flow-imbalance event e_n of Cont, Kukanov and Stoikov (2014, "The price impact of order
 * book events", eq. 2) between two successive top-of-book states:
 *
 *   e_n = 1{Pᵇₙ ≥ Pᵇₙ₋₁}·qᵇₙ − 1{Pᵇₙ ≤ Pᵇₙ₋₁}·qᵇₙ₋₁ − 1{Pᵃₙ ≤ Pᵃₙ₋₁}·qᵃₙ + 1{Pᵃₙ ≥ Pᵃₙ₋₁}·qᵃₙ₋₁
 *
 * Positive when bids were added or asks consumed (buy pressure), negative for the reverse. It
 * needs only two snapshots, which suits Upbit's full-book WebSocket messages (no deltas).
 */
export function ofiEvent(prev: TopOfBookLevels, next: TopOfBookLevels): number {
  let e = 0;
  if (next.bidPrice >= prev.bidPrice) e += next.bidSize;
  if (next.bidPrice <= prev.bidPrice) e -= prev.bidSize;
  if (next.askPrice <= prev.askPrice) e -= next.askSize;
  if (next.askPrice >= prev.askPrice) e += prev.askSize;
  return e;
}

/**
 * Rolling CKS order flow imbalance over the last `window` book updates. `value` is the raw sum
 * Σeₙ (base-currency units, comparable within one market only); `normalized` = Σeₙ / Σ|eₙ| ∈
 * [−1, 1] is the scale-free pressure the strategy thresholds. (CKS divide by average depth to
 * compare across stocks; Σ|eₙ| plays that role and also bounds the reading.) O(1) per update.
 */
export class OrderFlowImbalance {
  private readonly events: RingBuffer;
  // Previous snapshot, kept in a reused object so an update allocates nothing.
  private readonly prev = { bidPrice: 0, bidSize: 0, askPrice: 0, askSize: 0 };
  private hasPrev = false;
  private sum = 0;
  private absSum = 0;
  // Largest |eₙ| added since the last exact re-sum: the scale of the rounding residue the running sums carry.
  private peak = 0;

  constructor(readonly window: number) {
    assertPeriod(window, 'OFI window');
    this.events = new RingBuffer(window);
  }

  /** True once `window` events (window + 1 snapshots) have been seen. */
  get ready(): boolean {
    return this.events.full;
  }

  /** Σeₙ over the window; NaN during warm-up. */
  get value(): number {
    return this.ready ? this.sum : Number.NaN;
  }

  /** Σeₙ / Σ|eₙ| ∈ [−1, 1] (0 when nothing changed); NaN during warm-up. */
  get normalized(): number {
    if (!this.ready) return Number.NaN;
    return this.absSum > 0 ? Math.max(-1, Math.min(1, this.sum / this.absSum)) : 0;
  }

  /** Adds one top-of-book snapshot; returns the normalised OFI (NaN during warm-up). O(1) amortised. */
  update(book: TopOfBookLevels): number {
    assertFinite(book.bidPrice, 'OFI bid price');
    assertFinite(book.askPrice, 'OFI ask price');
    assertFinite(book.bidSize, 'OFI bid size');
    assertFinite(book.askSize, 'OFI ask size');
    const e = this.hasPrev ? ofiEvent(this.prev, book) : Number.NaN;
    this.prev.bidPrice = book.bidPrice;
    this.prev.bidSize = book.bidSize;
    this.prev.askPrice = book.askPrice;
    this.prev.askSize = book.askSize;
    if (!this.hasPrev) {
      this.hasPrev = true;
      return this.normalized;
    }
    const evicted = this.events.push(e);
    if (this.events.wrapped) this.resync();
    else {
      const abs = Math.abs(e);
      this.sum += e;
      this.absSum += abs;
      if (abs > this.peak) this.peak = abs;
      if (!Number.isNaN(evicted)) {
        this.sum -= evicted;
        this.absSum -= Math.abs(evicted);
        // Each add/evict leaves up to ~peak·2⁻⁵³ of residue. Once what remains is small next to the
        // largest event since the last re-sum, that residue would show in Σe/Σ|e|: re-sum exactly.
        // Amortised O(1): a re-sum needs the large events to have left the window first.
        if (this.absSum <= this.peak * RESYNC_RATIO) this.resync();
      }
    }
    return this.normalized;
  }

  /** Forgets all history. */
  reset(): void {
    this.events.clear();
    this.hasPrev = false;
    this.sum = 0;
    this.absSum = 0;
    this.peak = 0;
  }

  // Exact re-summation once per window, so cancellation error cannot accumulate.
  private resync(): void {
    this.sum = 0;
    this.absSum = 0;
    this.peak = 0;
    for (let i = 0; i < this.events.length; i++) {
      const e = this.events.get(i);
      const abs = Math.abs(e);
      this.sum += e;
      this.absSum += abs;
      if (abs > this.peak) this.peak = abs;
    }
  }
}

/** Batch normalised OFI aligned with the snapshots (NaN during warm-up). Built on {@link OrderFlowImbalance}. */
export function ofiBatch(books: readonly TopOfBookLevels[], window: number): Float64Array {
  const ind = new OrderFlowImbalance(window);
  const out = new Float64Array(books.length);
  for (let i = 0; i < books.length; i++) out[i] = ind.update(books[i] as TopOfBookLevels);
  return out;
}
