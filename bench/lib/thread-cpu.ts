import { readdirSync, readFileSync } from 'node:fs';

/** CPU ms of a run on the threads that existed before it: this (main) thread, and V8's background threads. */
export interface ThreadSplit {
  readonly mainMs: number;
  readonly backgroundMs: number;
}

// Linux's USER_HZ: /proc reports thread CPU in these ticks.
const TICKS_PER_S = 100;

/** CPU ms of each of this process's threads (Linux `/proc/self/task`), or undefined elsewhere. */
export function threadCpuMs(): Map<string, number> | undefined {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  const out = new Map<string, number>();
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended since the listing (a worker closing)
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(tid, ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S);
  }
  return out;
}

/**
 * Where a run's CPU went, from the threads that existed before it: this thread (planning, messages,
 * ranking) and the rest, V8's background threads (its optimising compiler, TurboFan, for every
 * isolate: with `--single-threaded-gc` nothing else runs there). The worker threads start and end
 * within the run; they get the remainder of the process's CPU.
 */
export function threadSplit(
  before: Map<string, number> | undefined,
  after: Map<string, number> | undefined,
): ThreadSplit | undefined {
  if (before === undefined || after === undefined) return undefined;
  const main = String(process.pid);
  let mainMs = 0;
  let backgroundMs = 0;
  for (const [tid, ms] of before) {
    const spent = (after.get(tid) ?? ms) - ms;
    if (tid === main) mainMs += spent;
    else backgroundMs += spent;
  }
  return { mainMs, backgroundMs };
}
