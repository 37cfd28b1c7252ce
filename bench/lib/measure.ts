import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Timing helpers shared by every `bench/*.bench.ts`. The machine is shared and noisy, so the
 * figures that carry targets are ratios measured in one process with the two sides interleaved
 * (ours, baseline, ours, baseline…) and summarised by medians: a burst of load slows both sides of
 * a pair alike instead of one whole side.
 */

/** Summary of repeated runs of one function; all times in milliseconds per call. */
export interface Timing {
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly minMs: number;
  /** Timed calls (warm-up calls excluded). */
  readonly runs: number;
}

/** How long and how often to run. Runs stop at `maxRuns` or once `budgetMs` is spent (≥ `minRuns`). */
export interface MeasureOptions {
  /** Untimed calls first, so the JIT has optimised both sides (default 3). */
  readonly warmup?: number;
  /** Timed calls at least, whatever the budget (default 5). */
  readonly minRuns?: number;
  /** Timed calls at most (default 1,000). */
  readonly maxRuns?: number;
  /** Wall-clock budget including warm-up and GC (default 1,000 ms). */
  readonly budgetMs?: number;
  /**
   * Full GC before every timed call (default false). One full GC always runs before the warm-up.
   * Off by default: right after a full GC, V8 sweeps concurrently and the next allocations are
   * several times slower, which would penalise whichever side allocates most. Use it for runs
   * long enough (≥ 100 ms) that this does not matter and heap left by the previous run would.
   */
  readonly gcEachRun?: boolean;
}

/** Two functions measured interleaved; `ratio` is the median of per-pair baseline/ours time ratios. */
export interface Comparison {
  readonly ours: Timing;
  readonly baseline: Timing;
  /** > 1 means ours is faster: how many times the baseline's time ours takes less. */
  readonly ratio: number;
}

/** Defeats dead-code elimination: every measured call's result is stored here. */
export let sink: unknown;

let gcFunction: (() => void) | undefined;

/**
 * Forces a full garbage collection. Works without `--expose-gc` on the command line: the flag is
 * switched on at run time and `gc` is taken from a fresh context, where V8 installs it.
 */
export function collectGarbage(): void {
  if (gcFunction === undefined) {
    const global = globalThis as { gc?: () => void };
    if (typeof global.gc === 'function') gcFunction = global.gc;
    else {
      setFlagsFromString('--expose-gc');
      gcFunction = runInNewContext('gc') as () => void;
    }
  }
  gcFunction();
}

/** Milliseconds since an arbitrary origin, sub-microsecond resolution. */
export function nowMs(): number {
  return performance.now();
}

/** The q-quantile (0..1) of ascending `sorted` values, nearest-rank; NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Median of the values (any order); NaN when empty. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Geometric mean of positive values; NaN when empty or any value is not positive. */
export function geoMean(values: readonly number[]): number {
  if (values.length === 0 || values.some((v) => !(v > 0))) return Number.NaN;
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}

/** Items per second when `count` items took `ms` milliseconds. */
export function perSecond(count: number, ms: number): number {
  return (count * 1000) / ms;
}

function summarise(times: number[]): Timing {
  const sorted = times.sort((a, b) => a - b);
  return {
    medianMs: median(sorted),
    p99Ms: quantile(sorted, 0.99),
    minMs: sorted[0] ?? Number.NaN,
    runs: sorted.length,
  };
}

function timeOnce(fn: () => unknown, gc: boolean): number {
  if (gc) collectGarbage();
  const t0 = performance.now();
  sink = fn();
  return performance.now() - t0;
}

/** Times `fn` repeatedly after a warm-up; see {@link MeasureOptions} for how many times. */
export function measure(fn: () => unknown, options: MeasureOptions = {}): Timing {
  const { warmup = 3, minRuns = 5, maxRuns = 1000, budgetMs = 1000, gcEachRun = false } = options;
  collectGarbage();
  const start = performance.now();
  for (let i = 0; i < warmup; i++) sink = fn();
  const times: number[] = [];
  while (times.length < maxRuns && (times.length < minRuns || performance.now() - start < budgetMs))
    times.push(timeOnce(fn, gcEachRun));
  return summarise(times);
}

/**
 * Times `ours` and `baseline` alternately (the order flips every pair) and reports both timings
 * and the median of the per-pair ratios baseline/ours, the figure least moved by other load.
 */
export function compare(
  ours: () => unknown,
  baseline: () => unknown,
  options: MeasureOptions = {},
): Comparison {
  const { warmup = 3, minRuns = 5, maxRuns = 1000, budgetMs = 1000, gcEachRun = false } = options;
  collectGarbage();
  const start = performance.now();
  for (let i = 0; i < warmup; i++) {
    sink = ours();
    sink = baseline();
  }
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  while (a.length < maxRuns && (a.length < minRuns || performance.now() - start < budgetMs)) {
    const flip = a.length % 2 === 1;
    const tb0 = flip ? timeOnce(baseline, gcEachRun) : 0;
    const ta = timeOnce(ours, gcEachRun);
    const tb = flip ? tb0 : timeOnce(baseline, gcEachRun);
    a.push(ta);
    b.push(tb);
    ratios.push(tb / ta);
  }
  return { ours: summarise(a), baseline: summarise(b), ratio: median(ratios) };
}
