import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** Repository root. */
export const REPO = resolve(__dirname, '../../..');
const WORKFLOW_DIR = join(REPO, '.github/workflows');

/** A step as written in a workflow (the keys these tests look at). */
export interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, string | boolean | number>;
}

/** A job as written in a workflow. */
export interface Job {
  readonly name?: string;
  readonly uses?: string;
  readonly needs?: string | readonly string[];
  readonly environment?: string | { readonly name: string };
  readonly permissions?: Record<string, string> | string;
  readonly env?: Record<string, string>;
  readonly secrets?: unknown;
  readonly steps?: readonly Step[];
  readonly container?: unknown;
}

/** A parsed workflow file with its raw text. */
export interface Workflow {
  readonly file: string;
  readonly text: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string> | string;
  readonly env?: Record<string, string>;
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress': boolean | string };
  readonly jobs: Record<string, Job>;
}

/** Every workflow in .github/workflows, parsed. */
export function loadWorkflows(): Workflow[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(WORKFLOW_DIR, file), 'utf8');
      return { file, text, ...(parse(text) as Omit<Workflow, 'file' | 'text'>) };
    });
}

/** The workflow named `file` (e.g. `deploy.yml`). */
export function workflow(file: string): Workflow {
  const found = loadWorkflows().find((w) => w.file === file);
  if (found === undefined) throw new Error(`.github/workflows/${file} is missing`);
  return found;
}

/** Names of the secrets an object (a job, a step, a workflow) refers to. */
export function secretsIn(value: unknown): string[] {
  const names = new Set<string>();
  for (const m of JSON.stringify(value ?? null).matchAll(/secrets\.([A-Za-z0-9_]+)/g))
    if (m[1] !== undefined) names.add(m[1]);
  return [...names].sort();
}

/** Every `run:` block with where it comes from, for shellcheck. */
export function runBlocks(): { readonly where: string; readonly script: string }[] {
  return loadWorkflows().flatMap((w) =>
    Object.entries(w.jobs).flatMap(([id, job]) =>
      (job.steps ?? []).flatMap((step, i) =>
        step.run === undefined ? [] : [{ where: `${w.file} ${id} step ${i + 1}`, script: step.run }],
      ),
    ),
  );
}
