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
  const fromTs = __filename.endsWith('.ts');
  const entry = join(__dirname, `optimize-worker${fromTs ? '.ts' : '.js'}`);
  if (!fromTs) {
    cached = { code: `require(${JSON.stringify(entry)});`, kind: 'js' };
    return cached;
  }
  const bundle = bundleTypeScript(entry, defaultCacheDir(process.env, homedir()));
  cached =
    bundle.kind === 'bundle'
      ? {
          code: `process.setSourceMapsEnabled(true);require(${JSON.stringify(bundle.file)});`,
          kind: 'bundle',
          file: bundle.file,
        }
      : {
          // slower start-up, same results
          code: `require(${JSON.stringify(require.resolve('tsx/cjs'))});require(${JSON.stringify(entry)});`,
          kind: 'tsx',
        };
  return cached;
}
