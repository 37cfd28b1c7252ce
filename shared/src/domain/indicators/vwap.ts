import { assertFinite, assertPeriod, notFiniteError, RingBuffer } from './ring-buffer';
import { keepShapeAlive } from './shape-anchor';

const SESSION = 0;
const PV = 1;
const VOL = 2;

/** Typical price (high + low + close)/3, the usual per-bar price for VWAP and volume profiles. */
export function typicalPrice(high: number, low: number, close: number): number {
  return (high + low + close) / 3;
}

function assertVolume(volume: number): void {
  if (!Number.isFinite(volume)) throw notFiniteError(volume, 'VWAP volume');
  if (volume < 0) throw new RangeError(`VWAP volume must be ≥ 0, got ${volume}`);
}

/**
 * Session VWAP: Σ(price·volume)/Σvolume since the start of the current session, reset when a bar
 * opens in a new session. Sessions are fixed-length buckets shifted by `offsetMs` (the default is
 * the KST trading day: 24 h starting 00:00 KST = 15:00 UTC), computed from the bar's own open time
 * so no clock is read. Not ready until the session has traded some volume.
 */
export class SessionVwap {
  /** [session number, Σ price·volume, Σ volume]: a fixed object shape (shape-anchor.ts). */
  private readonly st = new Float64Array([Number.NaN, 0, 0]);

  constructor(
    readonly sessionMs = 86_400_000,
    readonly offsetMs = 9 * 3_600_000,
  ) {
    assertPeriod(sessionMs, 'VWAP session length');
  }

  /** True once the current session has traded volume. */
  get ready(): boolean {
    return (this.st[VOL] as number) > 0;
  }

  /** Session VWAP; NaN before any volume in the session. */
  get value(): number {
    const vol = this.st[VOL] as number;
    return vol > 0 ? (this.st[PV] as number) / vol : Number.NaN;
  }

  /** Volume traded in the current session. */
  get sessionVolume(): number {
    return this.st[VOL] as number;
  }

  /** Adds one bar (price is usually {@link typicalPrice}); returns the VWAP. O(1), allocation-free. */
  update(price: number, volume: number, openTime: number): number {
    if (!Number.isFinite(price)) throw notFiniteError(price, 'VWAP price');
    assertVolume(volume);
    const st = this.st;
    const session = Math.floor((openTime + this.offsetMs) / this.sessionMs);
    if (session !== st[SESSION]) {
      if (session < (st[SESSION] as number)) throw new RangeError('VWAP bars must arrive in time order');
      st[SESSION] = session;
      st[PV] = 0;
      st[VOL] = 0;
    }
    const pv = (st[PV] as number) + price * volume;
    const vol = (st[VOL] as number) + volume;
    st[PV] = pv;
    st[VOL] = vol;
    return vol > 0 ? pv / vol : Number.NaN;
  }

  /** Forgets all history. */
  reset(): void {
    this.st.set([Number.NaN, 0, 0]);
  }
}

// Session parameters that are not small integers, so the anchor's shape covers every instance's.
keepShapeAlive(new SessionVwap(2 ** 40, 2 ** 40));

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
