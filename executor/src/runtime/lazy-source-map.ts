import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, resolve } from 'node:path';

/**
 * How long a loaded source map is kept after the last stack it mapped. Errors come in bursts (a
 * dependency that fails keeps failing), and loading the map costs ~150–220 ms of the event loop
 * (1.8 MB of JSON, 1.4 MB of mappings decoded), so it stays while stacks keep coming; a quiet
 * process gives its ~3 MB back instead of holding them for its life after one transient error.
 */
export const SOURCE_MAP_KEEP_MS = 10 * 60_000;

type CallSite = NodeJS.CallSite;

/** The source name of the mapping at a 1-based position (Node's entries carry `name`; @types/node omits it). */
function nameAt(map: SourceMap, line: number | null, column: number | null): string | undefined {
  if (line === null || column === null) return undefined;
  const entry = map.findEntry(line - 1, column - 1);
  return 'name' in entry && typeof entry.name === 'string' ? entry.name : undefined;
}

/** What {@link installLazySourceMaps} installed: for tests and for the operator's curiosity. */
export interface LazySourceMaps {
  /** Whether the map is in memory now. */
  loaded(): boolean;
  /** How many times the map was read from disk. */
  loads(): number;
}

/** Options of {@link installLazySourceMaps}; the defaults are production's. */
export interface LazySourceMapOptions {
  /** The `.map` file; default `${script}.map` (esbuild writes it there). */
  readonly mapFile?: string;
  /** Default {@link SOURCE_MAP_KEEP_MS}. */
  readonly keepMs?: number;
}

function errorHeader(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}

/** `at` text of one frame in V8's layout, with the original position and (when the map knows it) name. */
function mappedFrame(map: SourceMap, mapDir: string, frames: readonly CallSite[], i: number): string {
  const site = frames[i] as CallSite;
  const entry = map.findEntry((site.getLineNumber() ?? 0) - 1, (site.getColumnNumber() ?? 0) - 1);
  if (!('originalSource' in entry) || entry.originalSource === undefined) return site.toString();
  // The enclosing function's own name in the source (minified names are meaningless); else the name
  // of the call the next frame made from the same file; else what V8 knows.
  let name = nameAt(map, site.getEnclosingLineNumber(), site.getEnclosingColumnNumber());
  const caller = frames[i + 1];
  if (name === undefined && caller !== undefined && caller.getFileName() === site.getFileName())
    name = nameAt(map, caller.getLineNumber(), caller.getColumnNumber());
  if (name === undefined) {
    const type = site.getTypeName();
    const fn = site.getFunctionName() ?? site.getMethodName() ?? '<anonymous>';
    name = type !== null && type !== 'global' && !site.isConstructor() ? `${type}.${fn}` : fn;
  }
  const prefix = site.isAsync() ? 'async ' : site.isConstructor() ? 'new ' : '';
  const file = resolve(mapDir, entry.originalSource);
  return `${prefix}${name} (${file}:${entry.originalLine + 1}:${entry.originalColumn + 1})`;
}

/**
 * Maps stack traces of the bundled executor (`script`, e.g. dist/executor/main.cjs) to its TypeScript
 * files and lines, loading the source map only when a stack is first formatted. Node's
 * `--enable-source-maps` parses the map at start and keeps it, mappings decoded, for the process's
 * life (~3 MB of a < 100 MB budget) though this process formats a stack only when something already
 * went wrong (a fatal error, an unhandled rejection). Not installed (undefined) when Node maps stacks
 * itself (`--enable-source-maps`) or when there is no map beside the script (development under tsx,
 * which maps on its own). It replaces `Error.prepareStackTrace` (Node 20 sets its own default there,
 * which formats as V8 does): the bundle is the whole program, nothing else in it sets one.
 */
export function installLazySourceMaps(
  script: string,
  options: LazySourceMapOptions = {},
): LazySourceMaps | undefined {
  const mapFile = options.mapFile ?? `${script}.map`;
  if (process.sourceMapsEnabled || !existsSync(mapFile)) return undefined;
  const keepMs = options.keepMs ?? SOURCE_MAP_KEEP_MS;
  const mapDir = dirname(mapFile);
  let map: SourceMap | undefined;
  let loads = 0;
  let release: NodeJS.Timeout | undefined;
  const current = (): SourceMap => {
    if (map === undefined) {
      map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload);
      loads++;
      release = setTimeout(() => {
        map = undefined;
      }, keepMs);
      release.unref();
    } else release?.refresh();
    return map;
  };
  Error.prepareStackTrace = (error: unknown, frames: CallSite[]): string => {
    const lines = [errorHeader(error)];
    let sm: SourceMap | undefined;
    for (let i = 0; i < frames.length; i++) {
      const site = frames[i] as CallSite;
      let text: string;
      try {
        if (site.getFileName() === script) {
          sm ??= current();
          text = mappedFrame(sm, mapDir, frames, i);
        } else text = site.toString();
      } catch {
        // A missing or broken map must never cost the error itself: V8's own text for the frame.
        text = site.toString();
      }
      lines.push(`    at ${text}`);
    }
    return lines.join('\n');
  };
  return { loaded: () => map !== undefined, loads: () => loads };
}
