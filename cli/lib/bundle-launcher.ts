import { readFileSync } from 'node:fs';
import { Module } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { defaultCacheDir } from '../../shared/src/backtest/data/candle-cache';
import { bundleTypeScript } from '../../shared/src/backtest/typescript-bundle';

/** The launcher script: `node --require tsx/cjs cli/lib/run-bundled.ts ENTRY.ts [args…]`. */
export const LAUNCHER = join(__dirname, 'run-bundled.ts');

/**
 * Node arguments that run a TypeScript script the way `npm run backtest` runs the CLI: from its
 * esbuild bundle (see {@link runBundled}). tsx's CommonJS hook loads only the launcher (~30 ms) and
 * is the fallback when no bundle can be built.
 */
export function bundledNodeArgs(script: string): string[] {
  return ['--require', require.resolve('tsx/cjs'), LAUNCHER, script];
}

/** Node's CommonJS internals this launcher needs; stable since Node 0.x, absent from the typings. */
interface ModuleInternals {
  _nodeModulePaths(dir: string): string[];
  _load(request: string, parent: null, isMain: boolean): unknown;
  _cache: Record<string, unknown>;
}
interface ModuleInstance {
  id: string;
  filename: string;
  paths: string[];
  loaded: boolean;
  _compile(code: string, filename: string): void;
}

/** Runs the bundle as the main module: `require.main === module` holds as when Node starts a script. */
function runAsMain(file: string, code: string, entry: string): void {
  const internals = Module as unknown as ModuleInternals;
  const m = new Module(file) as unknown as ModuleInstance;
  m.id = '.';
  m.filename = file;
  // External packages (esbuild) resolve from the sources' node_modules, not from the cache.
  m.paths = internals._nodeModulePaths(dirname(entry));
  internals._cache[file] = m;
  (process as { mainModule?: unknown }).mainModule = m;
  m._compile(code, file);
  m.loaded = true;
}

/**
 * Runs the TypeScript program `entry` with `args` from a cached esbuild bundle
 * (`bundleTypeScript`): scope-hoisted, so hot code calls imported functions directly instead of
 * through tsx's per-binding getters (13 % less engine CPU on market_making). `process.argv` is
 * `[node, entry, ...args]` as under tsx, stdout/stderr and the exit code are the program's own,
 * stack traces name the `.ts` files through the source map. Without esbuild, or when the build
 * fails (a note on stderr says why), the sources run under tsx's hook exactly as before.
 */
export function runBundled(entryArg: string, args: readonly string[]): void {
  const entry = resolve(entryArg);
  process.argv = [process.argv[0] ?? process.execPath, entry, ...args];
  const cacheDir = defaultCacheDir(process.env, homedir());
  // Twice at most: a concurrent run may replace the bundle between the check and the read.
  for (let attempt = 0; attempt < 2; attempt++) {
    const bundle = bundleTypeScript(entry, cacheDir);
    if (bundle.kind === 'unavailable') {
      if (bundle.reason !== 'esbuild is not installed')
        process.stderr.write(
          `note: running ${entryArg} under tsx (no bundle: ${bundle.reason.split('\n')[0]})\n`,
        );
      break;
    }
    let code: string;
    try {
      code = readFileSync(bundle.file, 'utf8');
    } catch {
      continue;
    }
    process.setSourceMapsEnabled(true);
    runAsMain(bundle.file, code, entry);
    return;
  }
  (Module as unknown as ModuleInternals)._load(entry, null, true);
}
