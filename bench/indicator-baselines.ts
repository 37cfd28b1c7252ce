/**
 * The "bare loop" baselines of `indicators.bench.ts`: what someone would hand-write for one batch
 * over a Float64Array, with none of the streaming classes' guarantees (no input checks, no O(1)
 * state object, no drift control). They compute the same numbers as our batches (same warm-up, same
 * seeding, RSI 50 on a flat window); the bench checks that before timing anything.
 */

/** SMA with a plain running sum; NaN for the first period − 1 slots. */
export function bareSma(x: Float64Array, period: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += x[i] as number;
    if (i >= period) sum -= x[i - period] as number;
    out[i] = i >= period - 1 ? sum / period : Number.NaN;
  }
  return out;
}

/** SMA-seeded EMA, k = 2/(period + 1); NaN for the first period − 1 slots. */
export function bareEma(x: Float64Array, period: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  const k = 2 / (period + 1);
  let sum = 0;
  for (let i = 0; i < period && i < n; i++) {
    sum += x[i] as number;
    out[i] = Number.NaN;
  }
  if (n < period) return out;
  let e = sum / period;
  out[period - 1] = e;
  for (let i = period; i < n; i++) {
    e = ((x[i] as number) - e) * k + e;
    out[i] = e;
  }
  return out;
}

/** Wilder RSI with simple-mean seeds (TA-Lib), 50 when nothing moved; NaN for the first period slots. */
export function bareRsi(x: Float64Array, period: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n).fill(Number.NaN);
  if (n <= period) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = (x[i] as number) - (x[i - 1] as number);
    if (d < 0) loss -= d;
    else gain += d;
  }
  gain /= period;
  loss /= period;
  out[period] = gain + loss > 0 ? (100 * gain) / (gain + loss) : 50;
  for (let i = period + 1; i < n; i++) {
    const d = (x[i] as number) - (x[i - 1] as number);
    gain = (gain * (period - 1) + Math.max(d, 0)) / period;
    loss = (loss * (period - 1) + Math.max(-d, 0)) / period;
    out[i] = gain + loss > 0 ? (100 * gain) / (gain + loss) : 50;
  }
  return out;
}
