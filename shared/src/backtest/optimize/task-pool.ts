import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { timeframeMs } from '../../domain/market/timeframe';
import {
  type CandleDataSpec,
  evaluateTask,
  type OptimizeTask,
  type RunSettings,
  type TaskResult,
} from './optimize-task';
import type { WorkerInit } from './optimize-worker';

/** A worker's answer to one task. */
export type TaskReply =
  | { readonly id: number; readonly result: TaskResult; readonly error?: undefined }
  | { readonly id: number; readonly error: string; readonly result?: undefined };

/** How to run a batch of tasks. */
export interface TaskPoolOptions {
  readonly data: CandleDataSpec;
  readonly settings: RunSettings;
  /** Worker threads; 0 runs every task on this thread (tests, one-core machines). Default: cores − 1, at least 1. */
  readonly workers?: number;
  /** Called after each finished task with bars simulated so far (per market) and in total, for a progress bar. */
  readonly onProgress?: (doneBars: number, totalBars: number) => void;
}

/** A task failed; the optimisation stops rather than rank on a partial grid. */
export class OptimizeTaskError extends Error {
  override readonly name = 'OptimizeTaskError';
}

/** Default worker count: leave one core for the main thread and the terminal. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * Starts a worker on the TypeScript entry. Workers do not inherit tsx's hooks, so a tiny CommonJS
 * bootstrap registers tsx's require hook and then loads the entry; this works the same when the
 * parent runs under `tsx` (the CLI) or Jest (SWC), and a compiled `.js` build loads directly.
 */
function startWorker(init: WorkerInit): Worker {
  const entry = join(__dirname, `optimize-worker${__filename.endsWith('.ts') ? '.ts' : '.js'}`);
  const boot = entry.endsWith('.ts')
    ? `require(${JSON.stringify(require.resolve('tsx/cjs'))});require(${JSON.stringify(entry)});`
    : `require(${JSON.stringify(entry)});`;
  return new Worker(boot, { eval: true, workerData: init });
}

/** Progress in bars: tasks differ in length (in-sample windows are longer), bars do not. */
function barProgress(tasks: readonly OptimizeTask[], options: TaskPoolOptions): (task: OptimizeTask) => void {
  const barMs = timeframeMs(options.data.timeframe);
  const bars = (t: OptimizeTask) => Math.round((t.window.to - t.warmupFrom) / barMs);
  const total = tasks.reduce((sum, t) => sum + bars(t), 0);
  let done = 0;
  return (task) => {
    done += bars(task);
    options.onProgress?.(done, total);
  };
}

async function runInProcess(
  tasks: readonly OptimizeTask[],
  options: TaskPoolOptions,
): Promise<Map<number, TaskResult>> {
  const out = new Map<number, TaskResult>();
  const progress = barProgress(tasks, options);
  for (const task of tasks) {
    try {
      out.set(task.id, await evaluateTask(task, options.data, options.settings));
    } catch (error) {
      throw new OptimizeTaskError(
        `task ${task.id} (trial ${task.trial}, fold ${task.fold}) failed: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
    progress(task);
  }
  return out;
}

/**
 * Runs every task and returns metrics by task id. Tasks are handed out one at a time to the next
 * free worker, so slow windows do not hold up a pre-assigned queue; results are keyed by id, so the
 * outcome is identical whatever the scheduling and the worker count. All workers are terminated on
 * success and on the first failure.
 */
export async function runTaskPool(
  tasks: readonly OptimizeTask[],
  options: TaskPoolOptions,
): Promise<Map<number, TaskResult>> {
  const count = Math.min(options.workers ?? defaultWorkerCount(), tasks.length);
  if (count <= 0) return runInProcess(tasks, options);
  const results = new Map<number, TaskResult>();
  const workers: Worker[] = [];
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const progress = barProgress(tasks, options);
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (worker: Worker): void => {
        const task = tasks[next];
        if (task === undefined) return;
        next += 1;
        worker.postMessage(task);
      };
      for (let i = 0; i < count; i++) {
        const worker = startWorker({ data: options.data, settings: options.settings });
        workers.push(worker);
        worker.on('message', (reply: TaskReply) => {
          if (reply.error !== undefined) {
            const t = byId.get(reply.id);
            reject(
              new OptimizeTaskError(
                `task ${reply.id} (trial ${t?.trial}, fold ${t?.fold}) failed: ${reply.error}`,
              ),
            );
            return;
          }
          results.set(reply.id, reply.result);
          const done = byId.get(reply.id);
          if (done !== undefined) progress(done);
          if (results.size === tasks.length) resolve();
          else feed(worker);
        });
        worker.on('error', (error) =>
          reject(new OptimizeTaskError(`optimizer worker crashed: ${error.message}`, { cause: error })),
        );
        worker.on('exit', (code) => {
          if (results.size < tasks.length && code !== 0)
            reject(new OptimizeTaskError(`optimizer worker exited with code ${code}`));
        });
        feed(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
