import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataExtent } from '../shared/src/backtest/optimize/data-extent';
import { workerBoot } from '../shared/src/backtest/optimize/worker-boot';
import type { BenchContext, Benchmark, BenchResult } from './lib/bench-types';
import { npmScriptNodeFlags, runScript } from './lib/child-process';
import { median } from './lib/measure';
import {
  busyLoops,
  columnCacheDirOf,
  projectedRatio,
  type RunCost,
  runOnce,
  type Size,
  STRATEGY,
  writeSyntheticData,
} from './lib/optimizer-runs';
import { absoluteResult, atLeast, ratioResult } from './lib/results';

/**
 * Optimizer scaling: the same seeded optimisation (`runOptimize`, the `npm run optimize` code path,
 * worker start-up and the holdout phase included) with 1 and with 2 worker threads, interleaved
 * (1, 2, 2, 1, …) so that a burst of load from other processes hits both sides. The figure is the
 * median of the per-pair wall-time ratios; issue 16 asks ≥ 1.8×. CPU seconds per trial (all
 * threads of this process) are reported next to it: if they stay equal, the work scales and only
 * the cores available limit the wall ratio; on a machine loaded by other processes no wall ratio
 * can reach 2×. A control (a pure-CPU loop on 1 and 2 threads, run next to each pair) measures
 * that ceiling, and the optimizer's ratio is also reported divided by it. Where Linux gives CPU per
 * thread, the ratio a free 2-core machine would show is also projected from CPU alone (see
 * {@link projectedRatio}): it does not depend on what other processes leave of the cores.
 */
const QUICK: Size = { days: 1, folds: 2, trials: 4, pairs: 1, loop: 1e7 };
// Full mode measures two sizes. What `npm run optimize` does by default (30 days, 4 folds, 30
// trials: ~12 s on one worker) is reported without the target: each worker isolate compiles its own
// copy of the engine (~1 s of TurboFan a single worker gets from the idle core), a fixed cost that
// bounds such a short job near 1.1-1.3x on 2 cores (bench/README.md, "Optimizer"; the measurements:
// bench/history/optimizer.md, "2026-12-06: scaling by size"). The 1.8x target
// is checked on an optimisation long enough for parallel workers to matter: a year of bars, 4
// folds x 60 trials (~40 s on one worker), where that fixed cost is a few per cent.
const FULL: Size = { days: 30, folds: 4, trials: 30, pairs: 2, loop: 3e7 };
const FULL_SCALING: Size = { days: 365, folds: 4, trials: 60, pairs: 2, loop: 3e7 };

/** Interleaved 1- and 2-worker runs; fails loudly if the two ever disagree on the result. */
export async function measureScaling(
  size: Size,
  progress: (m: string) => void,
  withTarget: boolean,
): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'qts-optimizer-bench-'));
  try {
    const path = writeSyntheticData(dir, size.days);
    // Builds the column cache and the workers' bundle, so that no measured run pays for parsing the
    // CSV or bundling the worker's sources.
    dataExtent(path, [], '1m', { dir: columnCacheDirOf(path) });
    workerBoot();
    const one: RunCost[] = [];
    const two: RunCost[] = [];
    const controls: number[] = [];
    for (let p = 0; p < size.pairs; p++) {
      const order = p % 2 === 0 ? [1, 2] : [2, 1];
      const loopMs = [0, 0, 0];
      for (const workers of order) {
        progress(
          `pair ${p + 1}/${size.pairs}: ${workers} worker(s), ${size.folds} folds × ${size.trials} trials`,
        );
        (workers === 1 ? one : two).push(await runOnce(path, size, workers));
        loopMs[workers] = await busyLoops(workers, size.loop);
      }
      controls.push((loopMs[1] as number) / (loopMs[2] as number));
    }
    const reference = one[0]?.json;
    if ([...one, ...two].some((r) => r.json !== reference))
      throw new Error('optimizer results differ between 1 and 2 workers');
    const ratios = one.map((r, i) => r.wallMs / (two[i] as RunCost).wallMs);
    const efficiency = ratios.map((r, i) => r / (controls[i] as number));
    const projected = one.map((r, i) => projectedRatio(r, two[i] as RunCost));
    const trialsPerS = (runs: RunCost[]) => median(runs.map((r) => (size.trials * 1000) / r.wallMs));
    const cpuPerTrial = (runs: RunCost[]) => median(runs.map((r) => r.cpuMs / 1000 / size.trials));
    const split = (runs: RunCost[], key: 'mainMs' | 'backgroundMs') =>
      median(runs.map((r) => (r.threads?.[key] ?? Number.NaN) / 1000 / size.trials));
    const prefix = `optimizer.${STRATEGY}_${size.days}d_${size.folds}f_${size.trials}_trials`;
    return [
      ratioResult(
        `${prefix}.two_vs_one_worker`,
        median(ratios),
        '1 worker thread',
        withTarget ? atLeast(1.8, 'x') : undefined,
      ),
      ratioResult(
        'optimizer.control.busy_loop.two_vs_one_thread',
        median(controls),
        '1 thread (pure CPU loop)',
      ),
      ratioResult(`${prefix}.two_vs_one_worker_over_control`, median(efficiency), 'the control ratio'),
      ...(projected.every((r) => r !== undefined)
        ? [
            ratioResult(
              `${prefix}.two_vs_one_worker_projected`,
              median(projected),
              '1 worker, free 2 cores, from thread CPU',
            ),
          ]
        : []),
      absoluteResult(`${prefix}.trials_per_s.one_worker`, trialsPerS(one), 'trials/s'),
      absoluteResult(`${prefix}.trials_per_s.two_workers`, trialsPerS(two), 'trials/s'),
      absoluteResult(`${prefix}.cpu_s_per_trial.one_worker`, cpuPerTrial(one), 's'),
      absoluteResult(`${prefix}.cpu_s_per_trial.two_workers`, cpuPerTrial(two), 's'),
      // Of which, where Linux tells: V8's background compiler (one copy per worker isolate) and the
      // main thread (the Amdahl part).
      ...(one.concat(two).every((r) => r.threads !== undefined)
        ? [
            absoluteResult(
              `${prefix}.cpu_s_per_trial.one_worker.v8_background`,
              split(one, 'backgroundMs'),
              's',
            ),
            absoluteResult(
              `${prefix}.cpu_s_per_trial.two_workers.v8_background`,
              split(two, 'backgroundMs'),
              's',
            ),
            absoluteResult(`${prefix}.cpu_s_per_trial.one_worker.main_thread`, split(one, 'mainMs'), 's'),
            absoluteResult(`${prefix}.cpu_s_per_trial.two_workers.main_thread`, split(two, 'mainMs'), 's'),
          ]
        : []),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const scaling: Benchmark = {
  name: 'optimizer trials/s, 2 worker threads vs 1',
  description: `runOptimize (${STRATEGY}, walk-forward folds, holdout, seeded synthetic 1m KRW-BTC bars read through the column cache) with 1 and 2 worker threads, interleaved; ratio = median of per-pair wall-time ratios (target >= 1.8x in full mode on ${FULL_SCALING.days} days × ${FULL_SCALING.folds} folds × ${FULL_SCALING.trials} trials; the default size and quick runs are reported without it, being too short for the per-worker JIT warm-up not to dominate), a pure-CPU control ratio for the cores other processes left, and CPU s per trial (on Linux also the part on V8's background compiler threads and on the main thread). Quick: ${QUICK.days} day, ${QUICK.folds} folds × ${QUICK.trials} trials, 1 pair; full: the npm run optimize defaults (${FULL.days} days, ${FULL.folds} folds × ${FULL.trials} trials) and ${FULL_SCALING.days} days × ${FULL_SCALING.trials} trials, ${FULL.pairs} pairs each.`,
  // In a child process run as `npm run optimize` runs (its Node flags, from the bundle): V8 flags
  // such as --single-threaded-gc are process-wide, and this process runs every other benchmark.
  async run(context: BenchContext) {
    const child = await runScript(__filename, context.quick ? ['--quick'] : [], {
      nodeFlags: npmScriptNodeFlags('optimize'),
      onStderrLine: context.progress,
    });
    if (child.exitCode !== 0)
      throw new Error(
        `optimizer bench child exited with ${child.exitCode}: ${child.stderr.trim().split('\n').pop()}`,
      );
    return JSON.parse(child.stdout) as BenchResult[];
  },
};

/** Read by `npm run bench`. */
export const benchmarks: readonly Benchmark[] = [scaling];

/** `--name N` from the standalone command line, or the default. */
function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : Number(process.argv[i + 1]);
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`--${name} needs a positive number`);
  return value;
}

/**
 * `--sizes 30,365x60`: several sizes in one run, each `DAYS` or `DAYSxTRIALS` (trials default to
 * `--trials`), measured one after the other with the same folds and pairs. Undefined without it.
 */
function argSizes(base: Size): Size[] | undefined {
  const i = process.argv.indexOf('--sizes');
  if (i < 0) return undefined;
  return (process.argv[i + 1] ?? '').split(',').map((item) => {
    const [days, trials = base.trials, extra] = item.split('x').map(Number);
    if (extra !== undefined || !(days !== undefined && days > 0 && trials > 0 && Number.isInteger(trials)))
      throw new Error(`--sizes takes DAYS or DAYSxTRIALS items separated by commas, got "${item}"`);
    return { ...base, days, trials };
  });
}

// Standalone (and the benchmark's child): `npx tsx bench/optimizer.bench.ts [--quick] [--days N --folds N
// --trials N --pairs N] [--sizes D[xT],…]` prints the results as JSON (a larger run shows the scaling
// once per-worker JIT warm-up is amortised), measured with this process's own Node flags. Outside quick
// mode a size given by options carries the ≥ 1.8× target; without size options it measures both full sizes
// (the default without the target, FULL_SCALING with it), as `npm run bench` does.
if (require.main === module) {
  const quick = process.argv.includes('--quick');
  const base = quick ? QUICK : FULL;
  const size: Size = {
    days: argNumber('days', base.days),
    folds: argNumber('folds', base.folds),
    trials: argNumber('trials', base.trials),
    pairs: argNumber('pairs', base.pairs),
    loop: base.loop,
  };
  const progress = (m: string) => process.stderr.write(`${m}\n`);
  const measureAll = async (sizes: readonly Size[], withTarget: (each: Size) => boolean) => {
    const out: BenchResult[] = [];
    // Each size has a control of its own: its name then says which.
    for (const each of sizes)
      for (const r of await measureScaling(each, progress, withTarget(each)))
        out.push(
          sizes.length > 1 && r.name.startsWith('optimizer.control.')
            ? { ...r, name: `${r.name}.${each.days}d_${each.trials}_trials` }
            : r,
        );
    return out;
  };
  // `npm run bench` (full): the default size reported, the long one checked (see FULL_SCALING).
  const plainFull = !quick && !process.argv.slice(2).some((a) => a.startsWith('--'));
  const sizes = argSizes(size) ?? (plainFull ? [size, FULL_SCALING] : [size]);
  const withTarget = (each: Size) => !quick && (!plainFull || each === FULL_SCALING);
  measureAll(sizes, withTarget).then(
    (results) => process.stdout.write(`${JSON.stringify(results, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
