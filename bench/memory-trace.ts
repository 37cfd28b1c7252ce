import { appendFileSync, writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

/**
 * Where a long run's memory is, for `bench/backtest-year.ts` (issue 16: a year × 5 markets under
 * 300 MB peak RSS). Off unless asked for, so a measured run pays nothing but one undefined check:
 *
 * - `QTS_BENCH_MEMORY_TRACE=FILE`: every `QTS_BENCH_MEMORY_EVERY` market-bars (default 20,000) one
 *   JSON line with the RSS split as `process.memoryUsage()` gives it (heap total/used, external,
 *   array buffers) and each V8 heap space's committed and used size (new, old, code, large object…).
 *   The RSS beyond the heap's committed size is Node's own: its binary's touched pages, V8's
 *   compiler zones, malloc arenas.
 * - `QTS_BENCH_HEAP_SNAPSHOT=DIR`: a heap snapshot (`v8.writeHeapSnapshot`) at each market-bar count
 *   listed in `QTS_BENCH_HEAP_SNAPSHOT_AT` (comma-separated) and once at the end with the result held.
 *   A snapshot forces a full collection first, so it shows the live set, not the garbage around it.
 *
 * Both change the run's own memory and time (a snapshot doubles the heap while it is written), so
 * figures from a traced run are for finding things, never for the tables.
 */
export interface MemoryTrace {
  /** Called from the progress hook with the market-bars done so far. */
  readonly onBars: (done: number) => void;
  /** Called once after the run, with its result still referenced by the caller. */
  readonly atEnd: () => void;
}

const MB = 2 ** 20;
const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;

/** The trace the environment asks for, or undefined (the default: nothing traced). */
export function memoryTraceFromEnv(env: NodeJS.ProcessEnv): MemoryTrace | undefined {
  const file = env.QTS_BENCH_MEMORY_TRACE;
  const snapshotDir = env.QTS_BENCH_HEAP_SNAPSHOT;
  if (file === undefined && snapshotDir === undefined) return undefined;
  const every = Number(env.QTS_BENCH_MEMORY_EVERY ?? 20_000);
  const snapshotAt = (env.QTS_BENCH_HEAP_SNAPSHOT_AT ?? '')
    .split(',')
    .filter((s) => s !== '')
    .map(Number)
    .sort((a, b) => a - b);
  if (file !== undefined) writeFileSync(file, '');
  let nextSample = 0;
  const line = (done: number): void => {
    if (file === undefined) return;
    const m = process.memoryUsage();
    const spaces: Record<string, { committed: number; used: number }> = {};
    for (const s of getHeapSpaceStatistics())
      spaces[s.space_name] = { committed: mb(s.physical_space_size), used: mb(s.space_used_size) };
    const row = {
      bars: done,
      rss: mb(m.rss),
      heapTotal: mb(m.heapTotal),
      heapUsed: mb(m.heapUsed),
      external: mb(m.external),
      arrayBuffers: mb(m.arrayBuffers),
      maxRss: mb(process.resourceUsage().maxRSS * 1024),
      spaces,
    };
    appendFileSync(file, `${JSON.stringify(row)}\n`);
  };
  const snapshot = (label: string): void => {
    if (snapshotDir !== undefined) writeHeapSnapshot(`${snapshotDir}/backtest-year-${label}.heapsnapshot`);
  };
  return {
    onBars: (done) => {
      if (done >= nextSample) {
        nextSample = done + every;
        line(done);
      }
      while (snapshotAt.length > 0 && done >= (snapshotAt[0] as number)) {
        snapshot(String(snapshotAt.shift()));
      }
    },
    atEnd: () => {
      line(-1);
      snapshot('end');
    },
  };
}
