import { readdirSync, readFileSync } from 'node:fs';
import { median } from '../../../bench/lib/measure';
import { ols } from '../../../shared/src/domain/stats/ols';

/** What the kernel says about one process (Linux `/proc`): resident memory and open descriptors. */
export interface ProcessFacts {
  readonly pid: number;
  readonly name: string;
  readonly rssBytes: number;
  /** Open file descriptors: sockets, pipes, files (a leak of any of them grows this). */
  readonly fds: number;
}

/** `/proc/<pid>` facts, or undefined when the process is gone (or this is not Linux). */
export function processFacts(pid: number): ProcessFacts | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN);
    const name = /^Name:\s+(.+)$/m.exec(status)?.[1] ?? '?';
    return { pid, name, rssBytes: rssKb * 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return undefined;
  }
}

/** `pid` and all its descendants (children's children included), from `/proc/<pid>/task/*\/children`. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i] as number;
    try {
      for (const task of readdirSync(`/proc/${p}/task`))
        for (const c of readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim().split(/\s+/))
          if (c !== '') out.push(Number(c));
    } catch {
      // Gone meanwhile: its subtree is gone too.
    }
  }
  return out;
}

/** Prometheus text → value per `name{labels}` as written (labels sorted by the exporter). */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** Sum of every series of a family (all label sets). */
export function familySum(metrics: ReadonlyMap<string, number>, name: string): number {
  let sum = 0;
  for (const [k, v] of metrics) if (k === name || k.startsWith(`${name}{`)) sum += v;
  return sum;
}

/** A point of a time series: hours since the start, value. */
export interface Point {
  readonly hours: number;
  readonly value: number;
}

/** Least-squares slope per hour with its standard error; undefined with fewer than 3 points. */
export function slopePerHour(points: readonly Point[]): { slope: number; se: number } | undefined {
  if (points.length < 3) return undefined;
  const fit = ols(
    points.map((p) => p.value),
    [points.map(() => 1), points.map((p) => p.hours)],
  );
  return { slope: fit.params[1] as number, se: fit.bse[1] as number };
}

/**
 * Growth of a noisy count (handles, descriptors): the median of the last quarter of the points minus
 * the median of the first quarter. Medians, so an in-flight request at one sample is not a leak.
 */
export function medianGrowth(points: readonly Point[]): number {
  const q = Math.max(1, Math.floor(points.length / 4));
  const values = points.map((p) => p.value);
  return median(values.slice(-q)) - median(values.slice(0, q));
}

/**
 * Monotonic totals of counters read from a process that may restart (a restart resets them): the sum
 * of the last value seen from each process.
 */
export class CounterAcrossRestarts {
  readonly #last = new Map<number, number>();

  see(pid: number, value: number): void {
    this.#last.set(pid, Math.max(value, this.#last.get(pid) ?? 0));
  }

  get total(): number {
    let sum = 0;
    for (const v of this.#last.values()) sum += v;
    return sum;
  }
}
