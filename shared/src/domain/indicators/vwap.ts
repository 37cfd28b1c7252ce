import {
  assertFinite,
  assertPeriod,
  notFiniteError,
  outputArray,
  RingBuffer,
  sameLength,
} from './ring-buffer';
import { keepShapeAlive } from './shape-anchor';

const START = 0;
const END = 1;
const PV = 2;
const VOL = 3;

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
  /** [session start, session end, Σ price·volume, Σ volume]: a fixed object shape (shape-anchor.ts). */
  private readonly st = new Float64Array([Number.NaN, Number.NaN, 0, 0]);

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
    // Inside [start, end) of the current session: no division per bar (false while NaN, at start).
    if (!(openTime >= (st[START] as number) && openTime < (st[END] as number))) this.startSession(openTime);
    const pv = (st[PV] as number) + price * volume;
    const vol = (st[VOL] as number) + volume;
    st[PV] = pv;
    st[VOL] = vol;
    return vol > 0 ? pv / vol : Number.NaN;
  }

  /**
   * Feeds every bar in order, exactly as that many {@link update} calls would (bit for bit), and
   * writes each returned VWAP to `out[i]`; returns `out`. For warm-up from stored history and for
   * batches (sums in locals). On a bad bar the bars before it are applied, then it throws.
   */
  updateMany(
    price: ArrayLike<number>,
    volume: ArrayLike<number>,
    openTime: ArrayLike<number>,
    out?: Float64Array,
  ): Float64Array {
    const n = sameLength(price, volume, openTime);
    const res = outputArray(n, out);
    const st = this.st;
    let start = st[START] as number;
    let end = st[END] as number;
    let pv = st[PV] as number;
    let vol = st[VOL] as number;
    let i = 0;
    for (; i < n; i++) {
      const p = price[i] as number;
      const v = volume[i] as number;
      const t = openTime[i] as number;
      if (!(Number.isFinite(p) && Number.isFinite(v) && v >= 0)) break;
      if (!(t >= start && t < end)) {
        st[PV] = pv;
        st[VOL] = vol;
        this.startSession(t);
        start = st[START] as number;
        end = st[END] as number;
        pv = 0;
        vol = 0;
      }
      pv += p * v;
      vol += v;
      res[i] = vol > 0 ? pv / vol : Number.NaN;
    }
    st[PV] = pv;
    st[VOL] = vol;
    if (i < n) this.update(price[i] as number, volume[i] as number, openTime[i] as number);
    return res;
  }

  /**
   * {@link updateMany} with the {@link typicalPrice} of each bar as its price, computed in the same
   * loop: the VWAP of OHLCV columns without an intermediate price array.
   */
  updateManyBars(
    high: ArrayLike<number>,
    low: ArrayLike<number>,
    close: ArrayLike<number>,
    volume: ArrayLike<number>,
    openTime: ArrayLike<number>,
    out?: Float64Array,
  ): Float64Array {
    const n = sameLength(high, low, close, volume, openTime);
    const res = outputArray(n, out);
    const st = this.st;
    let start = st[START] as number;
    let end = st[END] as number;
    let pv = st[PV] as number;
    let vol = st[VOL] as number;
    let i = 0;
    for (; i < n; i++) {
      const p = typicalPrice(high[i] as number, low[i] as number, close[i] as number);
      const v = volume[i] as number;
      const t = openTime[i] as number;
      if (!(Number.isFinite(p) && Number.isFinite(v) && v >= 0)) break;
      if (!(t >= start && t < end)) {
        st[PV] = pv;
        st[VOL] = vol;
        this.startSession(t);
        start = st[START] as number;
        end = st[END] as number;
        pv = 0;
        vol = 0;
      }
      pv += p * v;
      vol += v;
      res[i] = vol > 0 ? pv / vol : Number.NaN;
    }
    st[PV] = pv;
    st[VOL] = vol;
    if (i < n)
      this.update(
        typicalPrice(high[i] as number, low[i] as number, close[i] as number),
        volume[i] as number,
        openTime[i] as number,
      );
    return res;
  }

  /** Opens the session holding `openTime` (refusing a time before the current one) with empty sums. */
  private startSession(openTime: number): void {
    const st = this.st;
    if (!Number.isFinite(openTime)) throw notFiniteError(openTime, 'VWAP bar open time');
    if (openTime < (st[START] as number)) throw new RangeError('VWAP bars must arrive in time order');
    const len = this.sessionMs;
    let start = Math.floor((openTime + this.offsetMs) / len) * len - this.offsetMs;
    // The division can round across a boundary for huge times; step back onto the right session.
    if (start > openTime) start -= len;
    else if (openTime >= start + len) start += len;
    st[START] = start;
    st[END] = start + len;
    st[PV] = 0;
    st[VOL] = 0;
  }

  /** Forgets all history. */
  reset(): void {
    this.st.set([Number.NaN, Number.NaN, 0, 0]);
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
