import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { BuildOptions, Loader, Plugin } from 'esbuild';

/**
 * One TypeScript entry as a single CommonJS file in the cache, or why there is none (the caller
 * then runs the sources under tsx: slower, same results).
 */
export type TypeScriptBundle =
  | { readonly kind: 'bundle'; readonly file: string; readonly built: boolean }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** Bumped whenever the build options or the manifest format change: old cache files stop matching. */
const FORMAT = 3;

/** What the cache keeps next to a bundle: every file and directory listing the bundle was built from. */
interface Manifest {
  readonly format: number;
  readonly bundle: string;
  /** [absolute path, sha256 of its content] of every input esbuild read. */
  readonly inputs: readonly (readonly [string, string])[];
  /** [absolute directory, sha256 of its sorted entry names] of every input's directory. */
  readonly dirs: readonly (readonly [string, string])[];
  /** [path, sha256 or null when absent] of the package.json and tsconfig.json esbuild may consult. */
  readonly configs: readonly (readonly [string, string | null])[];
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** The esbuild API when installed (tsx depends on it, so it is wherever the `.ts` sources run). */
function loadEsbuild(): typeof import('esbuild') | undefined {
  try {
    return require('esbuild') as typeof import('esbuild');
  } catch {
    return undefined;
  }
}

/** What a build read: each source's hash and each of their directories' listing hash, when read. */
interface BuildReads {
  readonly files: Map<string, string>;
  readonly dirs: Map<string, string>;
}

const LOADERS: Readonly<Record<string, Loader>> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.cjs': 'js',
  '.mjs': 'js',
  '.json': 'json',
};

/**
 * Loads every source for esbuild, so that the manifest holds the hash of exactly the bytes bundled
 * (a file edited during the build then fails the next check). Also, a bundled module's
 * `__dirname`/`__filename` would be the bundle's (in the cache); modules that find files next to
 * themselves (config/default.yaml, the optimizer's worker entry) need their own: each file that uses
 * them gets both as constants, on its first line so the source map's lines stay exact.
 */
function loadingPlugin(reads: BuildReads): Plugin {
  return {
    name: 'qts-load',
    setup(build) {
      build.onLoad({ filter: /\.(?:[cm]?[jt]sx?|json)$/ }, (args) => {
        const bytes = readFileSync(args.path);
        reads.files.set(args.path, sha256(bytes));
        const dir = dirname(args.path);
        if (!reads.dirs.has(dir)) reads.dirs.set(dir, listingHash(dir));
        const loader = LOADERS[extname(args.path)] ?? 'js';
        const text = bytes.toString('utf8');
        // A declaration of its own starts a line: this file's prefix template below, mid-line, once
        // counted as one, so bundled programs (the optimize CLI) looked for the build script next
        // to their bundle, could never rebuild the optimizer's worker bundle and ran the workers
        // under tsx (slower start-up and every trial ~25 % more CPU) whenever it was stale.
        const own =
          /__dirname|__filename/.test(text) &&
          !/^[ \t]*(?:const|let|var)\s+__(?:dirname|filename)\b/m.test(text);
        if (loader === 'json' || !own) return { contents: bytes, loader };
        const prefix = `var __dirname=${JSON.stringify(dir)},__filename=${JSON.stringify(args.path)};`;
        return { contents: prefix + text, loader };
      });
    },
  };
}

/**
 * The options of every run-from-bundle build (the CLIs, the benchmarks' child scripts, the
 * optimizer's workers): one scope-hoisted CommonJS file, so an imported function is a plain local
 * binding instead of the getter tsx's CommonJS output reads on every call. `keepNames` keeps class and
 * function names as the sources have them; the linked source map (no sources content: the files
 * are on disk) makes stack traces name the `.ts` files and lines. esbuild itself cannot be bundled.
 */
export const RUN_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  keepNames: true,
  sourcemap: 'linked',
  sourcesContent: false,
  external: ['esbuild', 'bufferutil', 'utf-8-validate'],
} as const satisfies BuildOptions;

const listingHash = (dir: string): string => sha256(readdirSync(dir).sort().join('\n'));

const contentHash = (file: string): string | null => (existsSync(file) ? sha256(readFileSync(file)) : null);

/**
 * The package.json and tsconfig.json files (present or not) from each input's directory up to its
 * package root (the first directory with a package.json): esbuild reads them for module resolution
 * and TypeScript settings (e.g. class field semantics), so a change there must rebuild.
 */
function configFiles(dirs: Iterable<string>): string[] {
  const out = new Set<string>();
  for (let dir of dirs) {
    for (;;) {
      out.add(join(dir, 'tsconfig.json'));
      out.add(join(dir, 'package.json'));
      const parent = dirname(dir);
      if (existsSync(join(dir, 'package.json')) || parent === dir) break;
      dir = parent;
    }
  }
  return [...out];
}

/** Whether every input and listed directory still hashes as when the bundle was built. */
function upToDate(m: Manifest): boolean {
  try {
    for (const [file, hash] of m.inputs) if (sha256(readFileSync(file)) !== hash) return false;
    for (const [dir, hash] of m.dirs) if (listingHash(dir) !== hash) return false;
    for (const [file, hash] of m.configs) if (contentHash(file) !== hash) return false;
    return true;
  } catch {
    return false;
  }
}

function readManifest(file: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    return m.format === FORMAT ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Where {@link buildBundle} runs when a synchronous caller needs a build: esbuild plugins need its async API. */
const BUILD_SCRIPT = join(__dirname, 'typescript-bundle-build.ts');

/** Cache file names for `entry`: a key of its absolute path, the esbuild version and {@link FORMAT}. */
function cacheFiles(esbuild: typeof import('esbuild'), entry: string, cacheDir: string) {
  const dir = join(cacheDir, 'bundles');
  const key = sha256(JSON.stringify([FORMAT, entry, esbuild.version])).slice(0, 16);
  const stem = `${basename(entry, extname(entry))}-${key}`;
  return { dir, stem, manifest: join(dir, `${stem}.json`) };
}

/**
 * Builds `entry` into the cache and records its inputs (run by {@link bundleTypeScript} in a child
 * process). The source map and the bundle are written under fresh names, then the manifest that
 * makes them current, atomically: a concurrent run sees either the old bundle or the new one.
 */
export async function buildBundle(entry: string, cacheDir: string): Promise<void> {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const { dir, stem, manifest: manifestFile } = cacheFiles(esbuild, entry, cacheDir);
  const outfile = join(dir, `${stem}-${randomBytes(4).toString('hex')}.cjs`);
  // Created first: a cache inside the sources must not change a listing after it was hashed.
  mkdirSync(dir, { recursive: true });
  const reads: BuildReads = { files: new Map(), dirs: new Map() };
  const result = await esbuild.build({
    ...RUN_BUNDLE_OPTIONS,
    entryPoints: [entry],
    outfile,
    write: false,
    metafile: true,
    absWorkingDir: dirname(entry),
    plugins: [loadingPlugin(reads)],
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => join(dirname(entry), p));
  const hashOf = (p: string): string => {
    const hash = reads.files.get(p);
    if (hash === undefined) throw new Error(`esbuild read ${p} past the loader`);
    return hash;
  };
  const manifest: Manifest = {
    format: FORMAT,
    bundle: basename(outfile),
    inputs: inputs.map((p) => [p, hashOf(p)] as const),
    dirs: [...reads.dirs],
    configs: configFiles(reads.dirs.keys()).map((f) => [f, contentHash(f)] as const),
  };
  // A file added during the build may have changed what an import resolved to: no manifest then.
  if (manifest.dirs.some(([d, hash]) => listingHash(d) !== hash))
    throw new Error('the sources changed during the build');
  for (const f of result.outputFiles) if (f.path.endsWith('.map')) writeFileSync(f.path, f.contents);
  for (const f of result.outputFiles) if (!f.path.endsWith('.map')) writeFileSync(f.path, f.contents);
  const temporary = `${manifestFile}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, JSON.stringify(manifest));
  renameSync(temporary, manifestFile);
  removeOldBuilds(dir, stem, manifest.bundle);
}

/**
 * Deletes this entry's earlier bundles, once they are a minute old: a run that checked the old
 * manifest just before the swap may still be reading its bundle (it retries if it is gone), and a
 * concurrent build may not have swapped its manifest in yet.
 */
function removeOldBuilds(dir: string, stem: string, keep: string): void {
  const cutoff = Date.now() - 60_000;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(`${stem}-`) || name.startsWith(keep)) continue;
    const path = join(dir, name);
    try {
      if (statSync(path).mtimeMs < cutoff) rmSync(path, { force: true });
    } catch {
      // removed meanwhile by another run
    }
  }
}

/** The current bundle named by a manifest whose inputs all still match and whose bundle exists, if any. */
function current(dir: string, manifestFile: string): string | undefined {
  const m = readManifest(manifestFile);
  if (m === undefined || !upToDate(m)) return undefined;
  const bundle = join(dir, m.bundle);
  // Deleted by hand or by a cache cleaner: built again rather than named and missed.
  return existsSync(bundle) ? bundle : undefined;
}

/**
 * `entry` (an absolute `.ts` path) bundled with {@link RUN_BUNDLE_OPTIONS} into `<cacheDir>/bundles`,
 * rebuilt only when something it was built from changed. Stale code never runs: the manifest keeps
 * the content hash of every input esbuild read (sources and node_modules alike) and of the listing
 * of every directory holding one (a new file there could change what an import resolves to), and
 * all of them are checked on every start (~20 ms for the backtest CLI's ~470 files). A build
 * (~0.5 s) runs in a child process under tsx, {@link BUILD_SCRIPT}, so that this stays synchronous
 * for the optimizer's worker boot.
 */
export function bundleTypeScript(entry: string, cacheDir: string): TypeScriptBundle {
  const esbuild = loadEsbuild();
  if (esbuild === undefined) return { kind: 'unavailable', reason: 'esbuild is not installed' };
  const { dir, manifest } = cacheFiles(esbuild, entry, cacheDir);
  const cached = current(dir, manifest);
  if (cached !== undefined) return { kind: 'bundle', file: cached, built: false };
  const child = spawnSync(
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), BUILD_SCRIPT, entry, cacheDir],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  const built = child.status === 0 ? current(dir, manifest) : undefined;
  if (built !== undefined) return { kind: 'bundle', file: built, built: true };
  const reason = child.stderr?.trim() || child.error?.message || `the build exited with ${child.status}`;
  return { kind: 'unavailable', reason };
}
