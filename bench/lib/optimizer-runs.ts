import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { dataExtent } from '../../shared/src/backtest/optimize/data-extent';
import type { CandleDataSpec, RunSettings } from '../../shared/src/backtest/optimize/optimize-task';
import { runOptimize } from '../../shared/src/backtest/optimize/run-optimize';
import { parseIsoUtc } from '../../shared/src/domain/time/epoch';
import { syntheticCandles, syntheticMarkets } from '../synthetic-candles';
import { type ThreadSplit, threadCpuMs, threadSplit } from './thread-cpu';

/** One optimisation's size, and the control loop run next to it. */
export interface Size {
  readonly days: number;
  readonly folds: number;
  readonly trials: number;
  readonly pairs: number;
  /** Iterations of the control's busy loop per thread (~0.3 s quick, ~1 s full on a free core). */
  readonly loop: number;
}

/** The optimised strategy: the `npm run optimize` default. */
export const STRATEGY = 'mean_reversion';
const SERIES_START = parseIsoUtc('2026-01-01T00:00:00Z');

/** One run's cost. */
export interface RunCost {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** CPU of the threads that existed before the run: this (main) thread, and V8's background threads. */
  readonly threads?: ThreadSplit;
  readonly json: string;
}

/** Writes `days` of seeded synthetic KRW-BTC 1-minute bars as a CSV the `--data` reader takes. */
export function writeSyntheticData(dir: string, days: number): string {
  const [market] = syntheticMarkets(1);
  if (market === undefined) throw new Error('no synthetic market');
  const lines = ['timestamp,open,high,low,close,volume'];
  for (const c of syntheticCandles(market, 0, SERIES_START, Math.round(days * 1440), 1))
    lines.push(`${c.openTime},${c.open},${c.high},${c.low},${c.close},${c.volume}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${market}_synthetic_1m.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** The column cache of the bench's data file, next to it in the temporary directory. */
export function columnCacheDirOf(path: string): string {
  return join(dirname(path), 'columns');
}

export async function runOnce(path: string, size: Size, workers: number): Promise<RunCost> {
  // Through the binary column cache, as `npm run optimize -- --data` reads files (measureScaling
  // builds it before any measured pair).
  const columnCacheDir = columnCacheDirOf(path);
  const extent = dataExtent(path, [], '1m', { dir: columnCacheDir });
  const data: CandleDataSpec = {
    kind: 'files',
    dataPath: path,
    markets: extent.markets,
    timeframe: '1m',
    columnCacheDir,
  };
  const settings: RunSettings = {
    strategies: [STRATEGY],
    capitalKrw: '10000000',
    feeRate: '0.0005',
    slippageBps: 2,
    seed: 1,
  };
  const threads0 = threadCpuMs();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await runOptimize({
    metric: 'return',
    folds: size.folds,
    trials: size.trials,
    from: extent.from,
    to: extent.to,
    data,
    settings,
    warmupBars: 60,
    workers,
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const threads = threadSplit(threads0, threadCpuMs());
  return {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    ...(threads === undefined ? {} : { threads }),
    json: JSON.stringify(result),
  };
}

/**
 * The 2-vs-1 wall ratio of a pair on a free 2-core machine, from CPU alone: one worker's run takes
 * its worker thread's CPU (V8's background compiler and the main thread run on the other, idle
 * core), two workers keep both cores busy (each idles a few ms a run, measured), so they take half
 * of all their process's CPU. Undefined without a per-thread split. Against the lead's quiet-machine
 * pairs of 2026-12-05 (CPU per trial only; background and main thread ≈ 0.033 and 0.002 s per
 * trial, as measured here at those sizes): 90 days 1.44 projected vs 1.42 measured, 180 days 2.13
 * vs 2.12.
 */
export function projectedRatio(one: RunCost, two: RunCost): number | undefined {
  if (one.threads === undefined) return undefined;
  return (2 * (one.cpuMs - one.threads.backgroundMs - one.threads.mainMs)) / two.cpuMs;
}

/**
 * The control: the same pure-CPU loop on 1 thread (twice) and on 2 threads (once each), wall-time
 * ratio. On a free 2-core machine ≈ 2; it shows how much of a second core other processes left,
 * i.e. the ceiling of the optimizer's ratio measured next to it.
 */
export function busyLoops(threads: number, iterations: number): Promise<number> {
  const code = `const {parentPort}=require('node:worker_threads');let x=0;for(let r=0;r<${4 / threads};r++)for(let i=0;i<${iterations / 2};i++){x=(x*1103515245+12345)%2147483648;}parentPort.postMessage(x);`;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    let done = 0;
    for (let i = 0; i < threads; i++) {
      // No Node options (the launcher's `--require tsx/cjs` cost each loop ~0.1 s of start-up, which
      // held a free machine's control near 1.9).
      const worker = new Worker(code, { eval: true, execArgv: [] });
      worker.once('error', reject);
      worker.once('message', () => {
        void worker.terminate();
        done += 1;
        if (done === threads) resolve(performance.now() - t0);
      });
    }
  });
}
