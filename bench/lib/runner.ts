import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark, BenchResult } from './bench-types';
import { collectGarbage } from './measure';

/** One benchmark file found under `bench/`. */
export interface BenchFile {
  /** File name without `.bench.ts`, e.g. `indicators`. */
  readonly area: string;
  readonly path: string;
}

/** A benchmark to run: its file's area and the benchmark itself. */
export interface PlannedBenchmark {
  readonly area: string;
  readonly benchmark: Benchmark;
}

/** What one benchmark produced: results, or the error that stopped it; and how long it took. */
export interface BenchOutcome {
  readonly area: string;
  readonly name: string;
  readonly results: readonly BenchResult[];
  readonly error: string | null;
  readonly seconds: number;
}

/** Every `*.bench.ts` directly in `dir`, sorted by name so runs are in a stable order. */
export function discoverBenchFiles(dir: string): BenchFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .map((f) => ({ area: basename(f, '.bench.ts'), path: join(dir, f) }));
}

function isBenchmark(x: unknown): x is Benchmark {
  const b = x as Partial<Benchmark> | null;
  return typeof b === 'object' && b !== null && typeof b.name === 'string' && typeof b.run === 'function';
}

/**
 * Imports one bench file and returns its benchmarks. A file that fails to load or does not export
 * `benchmarks: readonly Benchmark[]` becomes an error outcome instead of stopping the whole run.
 */
export async function loadBenchFile(file: BenchFile): Promise<PlannedBenchmark[] | BenchOutcome> {
  try {
    const mod = (await import(pathToFileURL(file.path).href)) as { benchmarks?: unknown };
    const list = mod.benchmarks;
    if (!Array.isArray(list) || !list.every(isBenchmark))
      throw new Error('does not export `benchmarks: readonly Benchmark[]` (see bench/lib/bench-types.ts)');
    return list.map((benchmark) => ({ area: file.area, benchmark }));
  } catch (error) {
    return {
      area: file.area,
      name: `${file.area}.bench.ts`,
      results: [],
      error: messageOf(error),
      seconds: 0,
    };
  }
}

/** True when `filter` (case-insensitive substring) matches the area or the benchmark's name. */
export function matchesFilter(planned: PlannedBenchmark, filter: string | undefined): boolean {
  if (filter === undefined) return true;
  const f = filter.toLowerCase();
  return `${planned.area}: ${planned.benchmark.name}`.toLowerCase().includes(f);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkResult(x: unknown): BenchResult {
  const r = x as Partial<BenchResult> | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.name !== 'string' ||
    typeof r.value !== 'number' ||
    typeof r.unit !== 'string'
  )
    throw new Error(`returned a malformed result ${JSON.stringify(x)?.slice(0, 120)}`);
  return {
    name: r.name,
    value: r.value,
    unit: r.unit,
    baseline: r.baseline ?? null,
    ratio: r.ratio ?? null,
    target: r.target ?? null,
    pass: r.pass ?? null,
  };
}

/**
 * Runs one benchmark with a full GC before it (so it does not pay for the previous one's garbage)
 * and turns a throw or malformed output into an error outcome.
 */
export async function runBenchmark(
  planned: PlannedBenchmark,
  quick: boolean,
  progress: (message: string) => void,
): Promise<BenchOutcome> {
  collectGarbage();
  const started = performance.now();
  const name = planned.benchmark.name;
  try {
    const raw = await planned.benchmark.run({ quick, progress });
    if (!Array.isArray(raw)) throw new Error('did not return an array of results');
    const results = raw.map(checkResult);
    return { area: planned.area, name, results, error: null, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    return {
      area: planned.area,
      name,
      results: [],
      error: messageOf(error),
      seconds: (performance.now() - started) / 1000,
    };
  }
}
