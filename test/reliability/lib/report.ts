import { cpus, hostname, totalmem } from 'node:os';
import { renderTable } from '../../../cli/lib/table';

/** How a figure is judged: a target it must meet, or `info` (reported, never failing). */
export type Target =
  | { readonly kind: 'eq'; readonly value: number }
  | { readonly kind: 'min'; readonly value: number }
  | { readonly kind: 'max'; readonly value: number }
  | { readonly kind: 'info' };

/** One number of the campaign, e.g. "duplicate orders = 0 (target 0)". */
export interface Figure {
  readonly name: string;
  /** A count or measurement; a string for results that are not numbers ("unavailable"). */
  readonly value: number | string;
  readonly target: Target;
  readonly unit?: string;
  /** Undefined for `info` figures. */
  readonly pass?: boolean;
  /** Why a figure could not be measured honestly, or what it means. */
  readonly note?: string;
  /** The measurement could not be made here (e.g. the audit endpoint did not answer): neither pass nor fail. */
  readonly unavailable?: true;
}

/** The result of one campaign category. */
export interface CategoryResult {
  readonly id: string;
  readonly title: string;
  readonly figures: readonly Figure[];
  readonly pass: boolean;
  readonly durationMs: number;
  /** Seed-replay hints, what was scaled down, what a failure was. */
  readonly notes: readonly string[];
}

function judged(name: string, value: number | string, target: Target, extra: Partial<Figure>): Figure {
  if (value === 'unavailable') return { name, value, target, ...extra, unavailable: true };
  const pass =
    target.kind === 'info'
      ? undefined
      : typeof value !== 'number'
        ? false
        : target.kind === 'eq'
          ? value === target.value
          : target.kind === 'min'
            ? value >= target.value
            : value <= target.value;
  return { name, value, target, ...extra, ...(pass === undefined ? {} : { pass }) };
}

/** A count that must be zero (duplicates, crashes, leaks). */
export function zero(name: string, value: number | string, note?: string): Figure {
  return judged(name, value, { kind: 'eq', value: 0 }, note === undefined ? {} : { note });
}

/** A figure that must be at least `min` (coverage: "inputs tried ≥ 10,000"). */
export function atLeast(name: string, value: number | string, min: number, unit?: string): Figure {
  return judged(name, value, { kind: 'min', value: min }, unit === undefined ? {} : { unit });
}

/** A figure that must be at most `max`. */
export function atMost(name: string, value: number | string, max: number, unit?: string): Figure {
  return judged(name, value, { kind: 'max', value: max }, unit === undefined ? {} : { unit });
}

/** A figure that is reported, not judged (latency, RSS slope, counts of refusals). */
export function info(name: string, value: number | string, unit?: string, note?: string): Figure {
  return judged(
    name,
    value,
    { kind: 'info' },
    {
      ...(unit === undefined ? {} : { unit }),
      ...(note === undefined ? {} : { note }),
    },
  );
}

/** A category result from its figures: it passes when every judged figure passes. */
export function categoryResult(
  id: string,
  title: string,
  figures: readonly Figure[],
  startedAt: number,
  notes: readonly string[] = [],
): CategoryResult {
  return {
    id,
    title,
    figures,
    pass: figures.every((f) => f.pass !== false),
    durationMs: Date.now() - startedAt,
    notes,
  };
}

/** The whole campaign as `--json` prints it. */
export interface CampaignReport {
  readonly date: string;
  readonly machine: {
    readonly host: string;
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGb: number;
    readonly node: string;
    readonly platform: string;
  };
  readonly command: string;
  readonly scale: string;
  readonly seed: number;
  readonly durationMs: number;
  readonly pass: boolean;
  readonly categories: readonly CategoryResult[];
}

/** What the machine was, for the README's "latest run" line. */
export function machineFacts(): CampaignReport['machine'] {
  const list = cpus();
  return {
    host: hostname(),
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

function targetText(t: Target): string {
  switch (t.kind) {
    case 'eq':
      return `= ${t.value}`;
    case 'min':
      return `≥ ${t.value.toLocaleString('en-US')}`;
    case 'max':
      return `≤ ${t.value.toLocaleString('en-US')}`;
    default:
      return 'report';
  }
}

function valueText(f: Figure): string {
  const v =
    typeof f.value === 'number' ? f.value.toLocaleString('en-US', { maximumFractionDigits: 3 }) : f.value;
  return f.unit === undefined ? v : `${v} ${f.unit}`;
}

/** The terminal table: one row per figure, grouped by category, then the verdict. */
export function reportText(report: CampaignReport): string {
  const rows: string[][] = [];
  for (const c of report.categories) {
    rows.push([`${c.title} (${(c.durationMs / 1000).toFixed(0)} s)`, '', '', c.pass ? 'PASS' : 'FAIL']);
    for (const f of c.figures)
      rows.push([
        `  ${f.name}`,
        valueText(f),
        targetText(f.target),
        f.unavailable === true ? 'NOT CHECKED' : f.pass === undefined ? '' : f.pass ? 'ok' : 'FAIL',
      ]);
  }
  const notes = report.categories.flatMap((c) => c.notes.map((n) => `- ${c.id}: ${n}`));
  const unchecked = report.categories.flatMap((c) => c.figures.filter((f) => f.unavailable === true));
  return [
    `Reliability campaign (${report.scale}, seed ${report.seed}) on ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.date}`,
    '',
    renderTable(['figure', 'value', 'target', 'result'], rows, ['left', 'right', 'left', 'left']),
    '',
    ...(notes.length === 0 ? [] : ['Notes:', ...notes, '']),
    `${report.pass ? 'PASS' : 'FAIL'}: ${report.categories.filter((c) => c.pass).length} of ${report.categories.length} categories met every target in ${(report.durationMs / 60_000).toFixed(1)} min${unchecked.length === 0 ? '' : `; ${unchecked.length} figure(s) could not be checked here (see notes): ${unchecked.map((f) => f.name).join('; ')}`}`,
    '',
  ].join('\n');
}
