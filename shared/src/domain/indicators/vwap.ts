import { assertFinite, assertPeriod, RingBuffer } from './ring-buffer';

/** Typical price (high + low + close)/3, the usual per-bar price for VWAP and volume profiles. */
export function typicalPrice(high: number, low: number, close: number): number {
  return (high + low + close) / 3;
}

function assertVolume(volume: number): void {
  assertFinite(volume, 'VWAP volume');
  if (volume < 0) throw new RangeError(`VWAP volume must be ≥ 0, got ${volume}`);
}

/**
 * Session VWAP: Σ(price·volume)/Σvolume since the start of the current session, reset when a bar
 * opens in a new session. Sessions are fixed-length buckets shifted by `offsetMs` (the default is
 * the KST trading day: 24 h starting 00:00 KST = 15:00 UTC), computed from the bar's own open time
 * so no clock is read. Not ready until the session has traded some volume.
 */
export class SessionVwap {
  private session = Number.NaN;
  private pv = 0;
  private vol = 0;

  constructor(
    readonly sessionMs = 86_400_000,
    readonly offsetMs = 9 * 3_600_000,
  ) {
    assertPeriod(sessionMs, 'VWAP session length');
  }

  /** True once the current session has traded volume. */
  get ready(): boolean {
    return this.vol > 0;
  }

  /** Session VWAP; NaN before any volume in the session. */
  get value(): number {
    return this.vol > 0 ? this.pv / this.vol : Number.NaN;
  }

  /** Volume traded in the current session. */
  get sessionVolume(): number {
    return this.vol;
  }

  /** Adds one bar (price is usually {@link typicalPrice}); returns the VWAP. O(1). */
  update(price: number, volume: number, openTime: number): number {
    assertFinite(price, 'VWAP price');
    assertVolume(volume);
    const session = Math.floor((openTime + this.offsetMs) / this.sessionMs);
    if (session !== this.session) {
      if (session < this.session) throw new RangeError('VWAP bars must arrive in time order');
      this.session = session;
      this.pv = 0;
      this.vol = 0;
    }
    this.pv += price * volume;
    this.vol += volume;
    return this.value;
  }

  /** Forgets all history. */
  reset(): void {
    this.session = Number.NaN;
    this.pv = 0;
    this.vol = 0;
  }
}

/**
 * Rolling VWAP over the last `period` bars. Running sums are recomputed from the window each time
 * the ring wraps, so they cannot drift. Ready when the window is full and has traded volume.
 */
export class RollingVwap {
  private readonly pvs: RingBuffer;
  private readonly vols: RingBuffer;
  private pv = 0;
  private vol = 0;

  constructor(readonly period: number) {
    assertPeriod(period, 'VWAP window');
    this.pvs = new RingBuffer(period);
    this.vols = new RingBuffer(period);
  }

  /** True once the window is full and has traded volume. */
  get ready(): boolean {
    return this.pvs.full && this.vol > 0;
  }

  /** Rolling VWAP; NaN until ready. */
  get value(): number {
    return this.ready ? this.pv / this.vol : Number.NaN;
  }

  /** Adds one bar; returns the VWAP (NaN until ready). O(1) amortised. */
  update(price: number, volume: number): number {
    assertFinite(price, 'VWAP price');
    assertVolume(volume);
    const p = price * volume;
    const ep = this.pvs.push(p);
    const ev = this.vols.push(volume);
    if (this.pvs.wrapped) {
      this.pv = 0;
      this.vol = 0;
      for (let i = 0; i < this.period; i++) {
        this.pv += this.pvs.get(i);
        this.vol += this.vols.get(i);
      }
    } else {
      this.pv += p - (Number.isNaN(ep) ? 0 : ep);
      this.vol += volume - (Number.isNaN(ev) ? 0 : ev);
      if (this.vol < 0) this.vol = 0;
    }
    return this.value;
  }

  /** Forgets all history. */
  reset(): void {
    this.pvs.clear();
    this.vols.clear();
    this.pv = 0;
    this.vol = 0;
  }
}

/** Batch rolling VWAP aligned with the input (NaN until ready). Built on {@link RollingVwap}. */
export function rollingVwapBatch(
  price: ArrayLike<number>,
  volume: ArrayLike<number>,
  period: number,
): Float64Array {
  const ind = new RollingVwap(period);
  const out = new Float64Array(price.length);
  for (let i = 0; i < price.length; i++) out[i] = ind.update(price[i] as number, volume[i] as number);
  return out;
}
