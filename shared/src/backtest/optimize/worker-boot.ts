import { join } from 'node:path';

/** How to start a worker thread on the optimizer's worker entry. */
export interface WorkerBoot {
  /** CommonJS source run with `eval: true`. */
  readonly code: string;
  /** `bundle`: one prebuilt script; `tsx`: tsx's require hook transpiles and loads each module. */
  readonly kind: 'bundle' | 'tsx' | 'js';
}

let cached: WorkerBoot | undefined;

/** The esbuild API when installed (tsx depends on it, so it is wherever the `.ts` sources run). */
function loadEsbuild(): typeof import('esbuild') | undefined {
  try {
    return require('esbuild') as typeof import('esbuild');
  } catch {
    return undefined;
  }
}

/**
 * The worker's start-up script, built once per process. From TypeScript sources (the CLI under
 * tsx, Jest) the entry and everything it imports are bundled by esbuild into one script in memory
 * (~0.1 s, once): a worker then starts in ~20 ms, where registering tsx in every worker and
 * transpiling/resolving its ~200 modules one by one cost ~1.2 s of wall time per worker (0.4 s of
 * CPU) and dominated short optimisations. `keepNames` keeps class and function names as the
 * sources have them. Without esbuild, tsx's require hook as before; a compiled `.js` build loads
 * its entry directly.
 */
export function workerBoot(): WorkerBoot {
  if (cached !== undefined) return cached;
  const fromTs = __filename.endsWith('.ts');
  const entry = join(__dirname, `optimize-worker${fromTs ? '.ts' : '.js'}`);
  if (!fromTs) {
    cached = { code: `require(${JSON.stringify(entry)});`, kind: 'js' };
    return cached;
  }
  const esbuild = loadEsbuild();
  if (esbuild !== undefined) {
    try {
      const out = esbuild.buildSync({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        keepNames: true,
        write: false,
        logLevel: 'silent',
      });
      const file = out.outputFiles[0];
      if (file !== undefined) {
        cached = { code: file.text, kind: 'bundle' };
        return cached;
      }
    } catch {
      // fall through to tsx: slower start-up, same results
    }
  }
  cached = {
    code: `require(${JSON.stringify(require.resolve('tsx/cjs'))});require(${JSON.stringify(entry)});`,
    kind: 'tsx',
  };
  return cached;
}
