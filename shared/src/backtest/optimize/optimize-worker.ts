import { parentPort, workerData } from 'node:worker_threads';
import { type CandleDataSpec, evaluateTask, type OptimizeTask, type RunSettings } from './optimize-task';
import type { TaskReply } from './task-pool';

/** What every worker is started with: where the candles are and the shared run settings. */
export interface WorkerInit {
  readonly data: CandleDataSpec;
  readonly settings: RunSettings;
}

// Worker entry: each task answered with its metrics or the error text (errors cannot be cloned
// across threads with their class, so the pool rebuilds one from the message). The pool keeps the
// next task waiting in this port (TASKS_IN_FLIGHT); it starts from the message event as soon as the
// running one returns to the event loop. Only reading the download cache awaits I/O, before a
// simulation starts; a simulation runs synchronously to its end, so two never interleave, and a
// result depends only on its task.
const port = parentPort;
if (port !== null) {
  const init = workerData as WorkerInit;
  port.on('message', (task: OptimizeTask) => {
    evaluateTask(task, init.data, init.settings).then(
      (result) => port.postMessage({ id: task.id, result } satisfies TaskReply),
      (error: unknown) =>
        port.postMessage({
          id: task.id,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        } satisfies TaskReply),
    );
  });
}
