/**
 * The contract between benchmark files and `npm run bench`. Every area keeps its benchmarks in
 * `bench/<area>.bench.ts` exporting `benchmarks: readonly Benchmark[]`; the runner discovers those
 * files, runs them in one process and prints one row (or, with `--json`, one object) per result.
 * Ratios against a baseline measured in the same process keep results comparable across machines.
 */

/** One measured figure, exactly as `npm run bench -- --json` prints it. */
export interface BenchResult {
  /** Stable id, e.g. `indicators.sma.ratio_vs_technicalindicators`. */
  readonly name: string;
  readonly value: number;
  /** `bars/s`, `msg/s`, `ms`, `MB`, `x`, `orders/s`, `count`… */
  readonly unit: string;
  /** What `value` was compared with, e.g. `technicalindicators 3.1`, `bare Float64Array loop`; null if absolute. */
  readonly baseline: string | null;
  /** value / baseline (or baseline time / our time), null for absolute figures. */
  readonly ratio: number | null;
  /** Human-readable target, e.g. `>= 12x`, `p99 < 10 ms`; null when informational. */
  readonly target: string | null;
  /** Whether the target is met; null when there is no target. */
  readonly pass: boolean | null;
}

/** What the runner passes to every benchmark. */
export interface BenchContext {
  /** Quick mode: smaller inputs and fewer repetitions (the whole run under 2 minutes); CI uses it. */
  readonly quick: boolean;
  /** Progress for long benchmarks (the runner draws it on a TTY, stays quiet with --json). */
  readonly progress: (message: string) => void;
}

/** One benchmark: may report several results (e.g. one per indicator). */
export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(context: BenchContext): Promise<readonly BenchResult[]>;
}
