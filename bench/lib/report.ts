import { cpus, loadavg } from 'node:os';
import { type Align, renderTable } from '../../cli/lib/table';
import type { BenchResult } from './bench-types';
import type { BenchOutcome } from './runner';

/** One `--json` row: a result, or a benchmark that failed to run (`error` set, figures null). */
export type JsonRow =
  | BenchResult
  | (Omit<BenchResult, 'value' | 'unit'> & { value: null; unit: null; error: string });

/** The `--json` rows of a run, in run order: results, plus one error row per failed benchmark. */
export function jsonRows(outcomes: readonly BenchOutcome[]): JsonRow[] {
  const rows: JsonRow[] = [];
  for (const o of outcomes) {
    rows.push(...o.results);
    if (o.error !== null)
      rows.push({
        name: `${o.area}: ${o.name}`,
        value: null,
        unit: null,
        baseline: null,
        ratio: null,
        target: null,
        pass: null,
        error: o.error,
      });
  }
  return rows;
}

/** A figure with 3 significant digits, thousands separators from 1,000 on; `–` when not finite. */
export function formatFigure(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

const HEADERS = ['name', 'value', 'unit', 'baseline', 'ratio', 'target', 'pass'];
const ALIGN: readonly Align[] = ['left', 'right', 'left', 'left', 'right', 'left', 'left'];

function passText(pass: boolean | null): string {
  return pass === null ? '–' : pass ? 'yes' : 'NO';
}

/** The human-readable results table, then one line per failed benchmark. */
export function renderResults(outcomes: readonly BenchOutcome[]): string {
  const rows: string[][] = [];
  for (const o of outcomes) {
    for (const r of o.results)
      rows.push([
        r.name,
        formatFigure(r.value),
        r.unit,
        r.baseline ?? '–',
        r.ratio === null ? '–' : `${formatFigure(r.ratio)}x`,
        r.target ?? '–',
        passText(r.pass),
      ]);
    if (o.error !== null) rows.push([`${o.area}: ${o.name}`, 'ERROR', '', '', '', '', 'NO']);
  }
  const errors = outcomes
    .filter((o) => o.error !== null)
    .map((o) => `ERROR ${o.area}: ${o.name}: ${o.error}`);
  return [renderTable(HEADERS, rows, ALIGN), ...(errors.length > 0 ? ['', ...errors] : [])].join('\n');
}

/** Counts for the closing summary and the exit code. */
export interface RunSummary {
  readonly results: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
}

/** Tallies targets met and missed and benchmarks that failed to run. */
export function summarise(outcomes: readonly BenchOutcome[]): RunSummary {
  const all = outcomes.flatMap((o) => o.results);
  return {
    results: all.length,
    passed: all.filter((r) => r.pass === true).length,
    failed: all.filter((r) => r.pass === false).length,
    errors: outcomes.filter((o) => o.error !== null).length,
  };
}

/** One line naming the machine, so a pasted table says where it was measured. */
export function machineLine(quick: boolean): string {
  const cpu = cpus();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `Node ${process.version} · ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'} · load ${load} · ${quick ? 'quick' : 'full'} mode`;
}
