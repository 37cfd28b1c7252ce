import { RingBuffer } from '../../indicators/ring-buffer';

/**
 * The recent log closes of one market with their open times, kept once per market and shared by
 * every pair the market belongs to (a pair used to keep its own copy of both legs, so memory and
 * work grew with the number of pairs, not markets). Capacity is twice the formation window, so a
 * pair finds its last `lookback` common minutes even when its legs missed some minutes (Upbit makes
 * no candle for a minute without trades).
 */
export class MarketHistory {
  readonly times: RingBuffer;
  readonly logs: RingBuffer;

  constructor(capacity: number) {
    this.times = new RingBuffer(capacity);
    this.logs = new RingBuffer(capacity);
  }

  /** Open time of the newest bar, −Infinity before the first. */
  get lastTime(): number {
    return this.times.length === 0 ? Number.NEGATIVE_INFINITY : this.times.last;
  }

  /** Log close of the newest bar (NaN before the first). */
  get lastLog(): number {
    return this.logs.last;
  }

  /** Appends a bar (open times must increase; the caller checks). */
  push(openTime: number, logClose: number): void {
    this.times.push(openTime);
    this.logs.push(logClose);
  }
}

/**
 * The last `logY.length` open times both histories hold, oldest first, written into `logY` and
 * `logX` as two aligned arrays of log closes (the caller's buffers, reused per re-test); false
 * when fewer common minutes are held (the buffers then hold partial data).
 */
export function commonWindow(
  y: MarketHistory,
  x: MarketHistory,
  logY: Float64Array,
  logX: Float64Array,
): boolean {
  const count = logY.length;
  // The ring buffers read in place (same values as get(i), without its bounds check per element):
  // index i counted from the oldest lives in slot (oldest + i) mod capacity; times and logs are
  // pushed together (MarketHistory.push), so they share that slot.
  const yt = y.times.storage;
  const yl = y.logs.storage;
  const xt = x.times.storage;
  const xl = x.logs.storage;
  const yCap = yt.length;
  const xCap = xt.length;
  const yStart = y.times.oldestSlot;
  const xStart = x.times.oldestSlot;
  let i = y.times.length - 1;
  let j = x.times.length - 1;
  let k = count - 1;
  while (k >= 0 && i >= 0 && j >= 0) {
    const si = yStart + i >= yCap ? yStart + i - yCap : yStart + i;
    const sj = xStart + j >= xCap ? xStart + j - xCap : xStart + j;
    const ty = yt[si] as number;
    const tx = xt[sj] as number;
    if (ty === tx) {
      logY[k] = yl[si] as number;
      logX[k] = xl[sj] as number;
      k--;
      i--;
      j--;
    } else if (ty > tx) i--;
    else j--;
  }
  return k < 0;
}
