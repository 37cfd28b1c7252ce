import { assertFinite, assertPeriod, notFiniteError, outputArray } from './ring-buffer';
import { keepShapeAlive } from './shape-anchor';

const SUM = 0;
const COMP = 1;

/**
 * Simple moving average over the last `period` values (TA-Lib SMA: first value after `period`
 * inputs, i.e. at index period − 1).
 *
 * Numerics: the window sum is carried as sum + comp. Each update forms x − evicted and adds it to
 * the sum with Knuth's TwoSum, so the rounding error of both operations is captured exactly and
 * accumulated in `comp`: sum + comp stays within ~2ε of the true window sum plus a second-order
 * term (n·ε² of the values seen, ~1e-25 relative after a year of minutes). Rounding cannot drift
 * over a 24/7 run and evicting a huge value leaves no residue, with no periodic re-summation.
 *
 * Speed: the window is a `Float64Array` ring; `update` is O(1) and allocation-free, and
 * {@link Sma.updateMany} runs the same arithmetic with the state in locals for whole arrays.
 */
export class Sma {
  private readonly window: Float64Array;
  /** [sum, comp]; floats live in a typed array so the object's shape never changes (shape-anchor.ts). */
  private readonly acc = new Float64Array(2);
  private head = 0;
  private count = 0;

  constructor(readonly period: number) {
    assertPeriod(period, 'SMA period');
    this.window = new Float64Array(period);
  }

  /** True once `period` values have been seen. */
  get ready(): boolean {
    return this.count === this.period;
  }

  /** Current average; NaN during warm-up. */
  get value(): number {
    return this.count === this.period
      ? ((this.acc[SUM] as number) + (this.acc[COMP] as number)) / this.period
      : Number.NaN;
  }

  /** Adds one value and returns the new average (NaN during warm-up). O(1), allocation-free. */
  update(x: number): number {
    if (!Number.isFinite(x)) throw notFiniteError(x, 'SMA input');
    const w = this.window;
    const head = this.head;
    // Slots not yet filled hold 0, so the warm-up needs no special case.
    const e = w[head] as number;
    w[head] = x;
    this.head = head + 1 === w.length ? 0 : head + 1;
    const acc = this.acc;
    const s = acc[SUM] as number;
    // TwoSum twice: d + dd = x − e and t + err = s + d, both exactly.
    const d = x - e;
    let z = d - x;
    const dd = x - (d - z) - (e + z);
    const t = s + d;
    z = t - s;
    const c = (acc[COMP] as number) + (s - (t - z) + (d - z) + dd);
    acc[SUM] = t;
    acc[COMP] = c;
    const n = this.count;
    if (n === w.length) return (t + c) / n;
    this.count = n + 1;
    return n + 1 === w.length ? (t + c) / w.length : Number.NaN;
  }

  /**
   * Feeds every value in order, exactly as that many {@link update} calls would (bit for bit), and
   * writes each returned average to `out[i]`; returns `out`. For warming up from stored history and
   * for batches: the state lives in locals for the loop, several times faster than `update` calls.
   * On a non-finite value the values before it are applied, then it throws.
   */
  updateMany(values: ArrayLike<number>, out?: Float64Array): Float64Array {
    const n = values.length;
    const res = outputArray(n, out);
    const w = this.window;
    const p = w.length;
    const head0 = this.head;
    let count = this.count;
    let s = this.acc[SUM] as number;
    let c = this.acc[COMP] as number;
    let i = 0;
    // The first p values evict from the ring, and fill the window if it was not full.
    for (let head = head0; i < n && i < p; i++) {
      const x = values[i] as number;
      if (!Number.isFinite(x)) break;
      const e = w[head] as number;
      w[head] = x;
      head = head + 1 === p ? 0 : head + 1;
      const d = x - e;
      let z = d - x;
      const dd = x - (d - z) - (e + z);
      const t = s + d;
      z = t - s;
      c += s - (t - z) + (d - z) + dd;
      s = t;
      if (count < p) count++;
      res[i] = count === p ? (s + c) / p : Number.NaN;
    }
    // From then on the window is full and the value leaving it is the input p places back: the
    // ring is only written once, at the end, with the last p values.
    if (i === p)
      for (; i < n; i++) {
        const x = values[i] as number;
        if (!Number.isFinite(x)) break;
        const e = values[i - p] as number;
        const d = x - e;
        let z = d - x;
        const dd = x - (d - z) - (e + z);
        const t = s + d;
        z = t - s;
        c += s - (t - z) + (d - z) + dd;
        s = t;
        res[i] = (s + c) / p;
      }
    // `i` values were applied: value j sits in slot (head0 + j) mod p, the newest p of them kept.
    for (let j = Math.max(p, i - p); j < i; j++) w[(head0 + j) % p] = values[j] as number;
    this.head = (head0 + i) % p;
    this.count = count;
    this.acc[SUM] = s;
    this.acc[COMP] = c;
    if (i < n) assertFinite(values[i] as number, 'SMA input');
    return res;
  }

  /** Forgets all history. */
  reset(): void {
    this.window.fill(0);
    this.acc.fill(0);
    this.head = 0;
    this.count = 0;
  }
}

keepShapeAlive(new Sma(2));

/** Batch SMA aligned with the input: NaN for the first period − 1 slots. Built on {@link Sma}. */
export function smaBatch(values: ArrayLike<number>, period: number): Float64Array {
  return new Sma(period).updateMany(values);
}
