import { availableParallelism } from 'node:os';
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
import { taskBars } from './task-plan';
import { workerBoot } from './worker-boot';

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

/**
 * Tasks a worker holds at once: the one it runs and the next, already in its message port. With one,
 * a worker idled from each answer until the main thread woke up and sent the next task: ~1.5 ms
 * a task, 0.3–0.4 s of a default optimisation's 271 tasks, while other processes kept the cores busy.
 */
export const TASKS_IN_FLIGHT = 2;

/** Default worker count: leave one core for the main thread and the terminal. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** Starts a worker on the optimizer's worker entry (bundled once per process, see {@link workerBoot}). */
function startWorker(init: WorkerInit): Worker {
  const boot = workerBoot();
  return new Worker(boot.code, { eval: true, workerData: init, execArgv: [...boot.execArgv] });
}

/** Progress in bars: tasks differ in length (in-sample windows are longer), bars do not. */
function barProgress(tasks: readonly OptimizeTask[], options: TaskPoolOptions): (task: OptimizeTask) => void {
  const barMs = timeframeMs(options.data.timeframe);
  const bars = (t: OptimizeTask) => taskBars(t, barMs);
  const total = tasks.reduce((sum, t) => sum + bars(t), 0);
  let done = 0;
  return (task) => {
    done += bars(task);
    options.onProgress?.(done, total);
  };
}

/**
 * The order tasks are handed out in: longest first (ties by id). The selection-window runs are
 * several times longer than a fold's; handed out last, one of them kept a worker busy while the
 * others idled at the end of the batch. Longest-first leaves only short tasks for the tail.
 * Results are keyed by id, so the order changes nothing in them.
 */
function longestFirst(tasks: readonly OptimizeTask[], options: TaskPoolOptions): OptimizeTask[] {
  const barMs = timeframeMs(options.data.timeframe);
  return [...tasks].sort((a, b) => taskBars(b, barMs) - taskBars(a, barMs) || a.id - b.id);
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

/** Worker threads kept for several batches (an optimisation's trials, then its holdout). */
export interface TaskPool {
  /** Runs one batch; results by task id. Rejects on the first failed task. */
  run(
    tasks: readonly OptimizeTask[],
    onProgress?: (doneBars: number, totalBars: number) => void,
  ): Promise<Map<number, TaskResult>>;
  /** Terminates the workers; call it in a `finally`. */
  close(): Promise<void>;
}

/** One batch in flight on the worker threads. */
interface Batch {
  readonly queue: readonly OptimizeTask[];
  readonly byId: ReadonlyMap<number, OptimizeTask>;
  readonly results: Map<number, TaskResult>;
  readonly progress: (task: OptimizeTask) => void;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  next: number;
}

/**
 * Starts up to `options.workers` threads (at most `maxTasks`; none when 0: tasks then run on this
 * thread) and keeps them for every batch until `close`. A worker's JIT-compiled engine survives
 * between batches, so the holdout run after the trials starts warm instead of in a fresh thread.
 * Within a batch, tasks are handed out longest first, each worker holding up to
 * {@link TASKS_IN_FLIGHT} (the running one and the next); results are keyed by id, so the outcome
 * is identical whatever the scheduling and the worker count.
 */
export function openTaskPool(options: TaskPoolOptions, maxTasks: number): TaskPool {
  const count = Math.min(options.workers ?? defaultWorkerCount(), maxTasks);
  if (count <= 0)
    return {
      run: (tasks, onProgress) =>
        runInProcess(tasks, onProgress === undefined ? options : { ...options, onProgress }),
      close: () => Promise.resolve(),
    };
  let batch: Batch | undefined;
  let broken: Error | undefined;
  const fail = (error: Error): void => {
    broken ??= error;
    batch?.reject(error);
    batch = undefined;
  };
  const workers: Worker[] = [];
  const inFlight = new Map<Worker, number>();
  // Hands `worker` one more task if it holds fewer than TASKS_IN_FLIGHT; a second one only while
  // at least one task per worker stays in the queue, so the end of a batch (its shortest tasks)
  // still goes to whichever worker is free first.
  const feedOne = (worker: Worker): boolean => {
    const b = batch;
    if (b === undefined) return false;
    const held = inFlight.get(worker) ?? 0;
    const task = b.queue[b.next];
    if (task === undefined || held >= TASKS_IN_FLIGHT) return false;
    if (held > 0 && b.queue.length - b.next <= workers.length) return false;
    b.next += 1;
    inFlight.set(worker, held + 1);
    worker.postMessage(task);
    return true;
  };
  const feed = (worker: Worker): void => {
    while (feedOne(worker));
  };
  for (let i = 0; i < count; i++) {
    const worker = startWorker({ data: options.data, settings: options.settings });
    workers.push(worker);
    worker.on('message', (reply: TaskReply) => {
      inFlight.set(worker, Math.max(0, (inFlight.get(worker) ?? 0) - 1));
      const b = batch;
      if (b === undefined) return;
      if (reply.error !== undefined) {
        const t = b.byId.get(reply.id);
        fail(
          new OptimizeTaskError(
            `task ${reply.id} (trial ${t?.trial}, fold ${t?.fold}) failed: ${reply.error}`,
          ),
        );
        return;
      }
      b.results.set(reply.id, reply.result);
      const done = b.byId.get(reply.id);
      if (done !== undefined) b.progress(done);
      if (b.results.size === b.queue.length) {
        batch = undefined;
        b.resolve();
      } else feed(worker);
    });
    worker.on('error', (error) =>
      fail(new OptimizeTaskError(`optimizer worker crashed: ${error.message}`, { cause: error })),
    );
    worker.on('exit', (code) => {
      if (code !== 0) fail(new OptimizeTaskError(`optimizer worker exited with code ${code}`));
    });
  }
  return {
    run(tasks, onProgress) {
      if (broken !== undefined) return Promise.reject(broken);
      if (batch !== undefined) return Promise.reject(new Error('a task batch is already running'));
      const results = new Map<number, TaskResult>();
      if (tasks.length === 0) return Promise.resolve(results);
      return new Promise((resolve, reject) => {
        batch = {
          queue: longestFirst(tasks, options),
          byId: new Map(tasks.map((t) => [t.id, t])),
          results,
          progress: barProgress(tasks, onProgress === undefined ? options : { ...options, onProgress }),
          resolve: () => resolve(results),
          reject,
          next: 0,
        };
        // Round by round, so that the longest tasks go to different workers first.
        for (let round = 0; round < TASKS_IN_FLIGHT; round++) for (const worker of workers) feedOne(worker);
      });
    },
    async close() {
      batch = undefined;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Runs one batch of tasks on a pool of its own (see {@link openTaskPool}) and closes it. */
export async function runTaskPool(
  tasks: readonly OptimizeTask[],
  options: TaskPoolOptions,
): Promise<Map<number, TaskResult>> {
  const pool = openTaskPool(options, tasks.length);
  try {
    return await pool.run(tasks);
  } finally {
    await pool.close();
  }
}
