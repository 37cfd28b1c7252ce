import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundledNodeArgs } from '../../cli/lib/bundle-launcher';

/** What a script run in a child process produced, with its own peak memory. */
export interface ChildRun {
  readonly stdout: string;
  /** Stderr without the runner's peak-RSS marker line. */
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly wallMs: number;
  /** Peak resident set size of the child over its whole life (getrusage maxrss), in MB. */
  readonly maxRssMb: number;
}

/** How to run a child script. */
export interface RunScriptOptions {
  /** Node flags before the launcher's (e.g. {@link npmScriptNodeFlags} of the command measured). */
  readonly nodeFlags?: readonly string[];
  /** Each complete stderr line as it arrives (progress), marker line excluded. */
  readonly onStderrLine?: (line: string) => void;
}

const MARKER = '__bench_max_rss_kb=';
const REPORTER = resolve(__dirname, 'report-max-rss.cjs');

/**
 * Runs a TypeScript script in a fresh Node process, from its esbuild bundle as `npm run backtest`
 * runs the CLI (`bundledNodeArgs`: the benchmarks measure what users run, not tsx's per-import
 * getters), and reports its peak RSS. Peak memory must come from a child: this process already
 * holds every other benchmark's heap, and RSS never shrinks back to tell one run from another.
 * The child gets none of this process's Node flags, only `options.nodeFlags`.
 */
export function runScript(
  script: string,
  args: readonly string[] = [],
  options: RunScriptOptions = {},
): Promise<ChildRun> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const nodeArgs = [...(options.nodeFlags ?? []), '--require', REPORTER, ...bundledNodeArgs(script)];
    const child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err.push(chunk);
      if (options.onStderrLine === undefined) return;
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line !== '' && !line.startsWith(MARKER)) options.onStderrLine(line);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const stderrAll = Buffer.concat(err).toString('utf8');
      let maxRssKb = Number.NaN;
      const kept = stderrAll.split('\n').filter((line) => {
        if (!line.startsWith(MARKER)) return true;
        maxRssKb = Number(line.slice(MARKER.length));
        return false;
      });
      resolvePromise({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: kept.join('\n'),
        exitCode: code,
        wallMs: performance.now() - started,
        maxRssMb: maxRssKb / 1024,
      });
    });
  });
}

/**
 * The Node flags an npm script passes before its launcher (`"optimize": "node --single-threaded-gc
 * --require tsx/cjs …"` gives `['--single-threaded-gc']`), so a benchmark runs its child the way
 * the command runs, from one place: package.json.
 */
export function npmScriptNodeFlags(name: string): string[] {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const words = (pkg.scripts?.[name] ?? '').split(/\s+/);
  if (words[0] !== 'node') throw new Error(`package.json script "${name}" does not start with node`);
  const end = words.indexOf('--require');
  return words.slice(1, end < 0 ? words.length : end).filter((w) => w.startsWith('--'));
}
