import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
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

const MARKER = '__bench_max_rss_kb=';
const REPORTER = resolve(__dirname, 'report-max-rss.cjs');

/**
 * Runs a TypeScript script in a fresh Node process, from its esbuild bundle as `npm run backtest`
 * runs the CLI (`bundledNodeArgs`: the benchmarks measure what users run, not tsx's per-import
 * getters), and reports its peak RSS. Peak memory must come from a child: this process already
 * holds every other benchmark's heap, and RSS never shrinks back to tell one run from another.
 * The child gets none of this process's Node flags.
 */
export function runScript(script: string, args: readonly string[] = []): Promise<ChildRun> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--require', REPORTER, ...bundledNodeArgs(script), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
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
