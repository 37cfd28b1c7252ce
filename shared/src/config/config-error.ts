import type { z } from 'zod';

/** One problem in the configuration: the key, what is wrong, and where the bad value came from. */
export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
  readonly source?: string;
}

/**
 * Raised once at start when the configuration is unusable. The message lists every problem with the
 * dotted key and the source that set it, so the user can fix all of them in one go.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems
        .map((p) => `  - ${p.key}: ${p.message}${p.source === undefined ? '' : ` [set by ${p.source}]`}`)
        .join('\n')}`,
    );
  }
}

/** Finds the source of a key or of its nearest parent that has one. */
function sourceOf(key: string, origins: ReadonlyMap<string, string>): string | undefined {
  for (let k = key; k.length > 0; k = k.includes('.') ? k.slice(0, k.lastIndexOf('.')) : '') {
    const origin = origins.get(k);
    if (origin !== undefined) return origin;
  }
  return undefined;
}

function problem(key: string, message: string, origins: ReadonlyMap<string, string>): ConfigProblem {
  const source = sourceOf(key, origins);
  return source === undefined ? { key, message } : { key, message, source };
}

/** Turns zod issues into readable problems that name each key and a fix. */
export function toConfigProblems(
  issues: readonly z.core.$ZodIssue[],
  origins: ReadonlyMap<string, string>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        // An empty or blank key would print as nothing: quote it so the message shows what to remove.
        const shown = k.trim() === '' || JSON.stringify(k) !== `"${k}"` ? JSON.stringify(k) : k;
        const key = base === '' ? shown : `${base}.${shown}`;
        const source = sourceOf(base === '' ? k : `${base}.${k}`, origins) ?? sourceOf(base, origins);
        const message = 'unknown key: remove it or check its spelling against config/default.yaml';
        problems.push(source === undefined ? { key, message } : { key, message, source });
      }
      continue;
    }
    problems.push(problem(base === '' ? '(root)' : base, issue.message, origins));
  }
  return problems;
}
