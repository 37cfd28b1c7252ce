import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir } from '../data/candle-cache';
import { bundleTypeScript } from '../typescript-bundle';

/** How to start a worker thread on the optimizer's worker entry. */
export interface WorkerBoot {
  /** CommonJS source run with `eval: true`. */
  readonly code: string;
  /** `bundle`: one prebuilt script; `tsx`: tsx's require hook transpiles and loads each module. */
  readonly kind: 'bundle' | 'tsx' | 'js';
  /** The bundle the code loads (kind `bundle`). */
  readonly file?: string;
  /** The worker's Node options (see {@link workerExecArgv}). */
  readonly execArgv: readonly string[];
}

// Node's per-thread profiling options: a worker started with them writes its own profile.
const PROFILE_OPTION = /^--(cpu|heap)-prof(-(dir|name|interval))?(=|$)/;
const PROFILE_OPTION_WITH_VALUE = /^--(cpu|heap)-prof-(dir|name|interval)$/;

/**
 * The Node options a worker gets from `parent` (this process's `process.execArgv`): its profiling
 * options (`--cpu-prof*`, `--heap-prof*`, so that a profiled optimisation still profiles every
 * worker) and nothing else. A worker inherits its parent's options by default, and the npm scripts
 * start Node with `--require tsx/cjs` (for the bundle launcher): every worker then loaded tsx and
 * required its bundle through tsx's hook, ~60 ms of CPU per worker start, half of it, though the
 * worker's code needs nothing preloaded (a bundle, a compiled build, or the tsx fallback that
 * registers tsx itself). V8 flags (`--single-threaded-gc`) are process-wide and apply to every
 * worker anyway; Node refuses them in a worker's list.
 */
export function workerExecArgv(parent: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const arg = parent[i] as string;
    if (!PROFILE_OPTION.test(arg)) continue;
    out.push(arg);
    const value = parent[i + 1];
    if (PROFILE_OPTION_WITH_VALUE.test(arg) && value !== undefined) {
      out.push(value);
      i += 1;
    }
  }
  return out;
}

let cached: WorkerBoot | undefined;

/**
 * The worker's start-up script, found once per process. From TypeScript sources (the CLIs, Jest)
 * the entry and everything it imports come as one esbuild bundle from the cache shared with the
 * CLIs' launcher (`bundleTypeScript`, under `<QTS_CACHE_DIR|~/.cache/qts>/bundles`; rebuilt in
 * ~0.5 s when a source changed): a worker then starts in ~20 ms, where registering tsx in every
 * worker and transpiling/resolving its ~200 modules one by one cost ~1.2 s of wall time per worker
 * (0.4 s of CPU) and dominated short optimisations. Without esbuild, tsx's require hook as before; a
 * compiled `.js` build loads its entry directly.
 *
 * Checked again on every call (one `stat` per worker started): a process that opens several pools
 * (the benchmark, tests, a long session) may outlive its bundle, which a build from changed sources
 * in another process deletes a minute later; its next workers then crashed with "Cannot find
 * module". They get the current bundle instead.
 */
export function workerBoot(): WorkerBoot {
  if (cached !== undefined && (cached.file === undefined || existsSync(cached.file))) return cached;
  const execArgv = workerExecArgv(process.execArgv);
  const fromTs = __filename.endsWith('.ts');
  const entry = join(__dirname, `optimize-worker${fromTs ? '.ts' : '.js'}`);
  if (!fromTs) {
    cached = { code: `require(${JSON.stringify(entry)});`, kind: 'js', execArgv };
    return cached;
  }
  const bundle = bundleTypeScript(entry, defaultCacheDir(process.env, homedir()));
  cached =
    bundle.kind === 'bundle'
      ? {
          code: `process.setSourceMapsEnabled(true);require(${JSON.stringify(bundle.file)});`,
          kind: 'bundle',
          file: bundle.file,
          execArgv,
        }
      : {
          // slower start-up, same results
          code: `require(${JSON.stringify(require.resolve('tsx/cjs'))});require(${JSON.stringify(entry)});`,
          kind: 'tsx',
          execArgv,
        };
  return cached;
}
