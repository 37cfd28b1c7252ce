import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { serverlessEsbuildOptions } from '../cli/package/esbuild-options';
import type { BenchContext, Benchmark, BenchResult } from './lib/bench-types';

const ROOT = resolve(__dirname, '..');
const run = promisify(execFile);
const MB = 1_000_000;
const COLD_START_TARGET_MS = 500;

interface FunctionEntry {
  readonly name: string;
  /** `functions/risk/handler.handler` → functions/risk/handler.ts */
  readonly source: string;
}

/** The functions of serverless.yml, so the benchmark builds what is deployed. */
function serverlessFunctions(): FunctionEntry[] {
  // Only plain keys are read; CloudFormation tags (!Ref…) are irrelevant here and parsed leniently.
  const doc = parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }) as {
    functions: Record<string, { handler: string }>;
  };
  return Object.entries(doc.functions).map(([name, f]) => ({
    name,
    source: `${f.handler.slice(0, f.handler.lastIndexOf('.'))}.ts`,
  }));
}

/** Builds one function with serverless.yml's esbuild options (the same as `npm run package`). */
async function bundle(fn: FunctionEntry, outdir: string): Promise<string> {
  const outfile = join(outdir, fn.name, 'handler.js');
  await build({
    ...serverlessEsbuildOptions(ROOT),
    entryPoints: [join(ROOT, fn.source)],
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

/**
 * One cold start in a fresh Node process with source maps on, as deployed: load the bundle, then
 * answer a first invocation. The event is a manual run without any resource wiring, so the call
 * loads and validates the config (the real init work) and stops before any network I/O.
 */
async function coldStart(
  bundlePath: string,
): Promise<{ initMs: number; firstInvokeMs: number; totalMs: number }> {
  const script = `
    const { performance } = require('node:perf_hooks');
    const t0 = performance.now();
    const { handler } = require(${JSON.stringify(bundlePath)});
    const t1 = performance.now();
    const ctx = { awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 30000 };
    handler({}, ctx).catch(() => undefined).then(() => {
      const t2 = performance.now();
      process.stdout.write(JSON.stringify({ initMs: t1 - t0, firstInvokeMs: t2 - t1, totalMs: t2 }));
    });`;
  const { stdout } = await run(process.execPath, ['--enable-source-maps', '-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
  });
  return JSON.parse(stdout) as { initMs: number; firstInvokeMs: number; totalMs: number };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

const lambdaBundles: Benchmark = {
  name: 'lambda bundles and cold starts',
  description:
    'Builds each function of serverless.yml with its esbuild options; bundle size (minified JavaScript, target < 1 MB) and cold start in a fresh Node process with --enable-source-maps: module load + first invocation (config load), median of 7 runs (3 quick). Target < 500 ms.',
  async run(context: BenchContext): Promise<readonly BenchResult[]> {
    const functions = serverlessFunctions();
    const outdir = mkdtempSync(join(tmpdir(), 'qts-bench-functions-'));
    const results: BenchResult[] = [];
    try {
      for (const fn of functions) {
        context.progress(`bundling ${fn.name}`);
        const path = await bundle(fn, outdir);
        const bytes = statSync(path).size;
        results.push({
          name: `functions.${fn.name}.bundle_kb`,
          value: round(bytes / 1000),
          unit: 'KB',
          baseline: null,
          ratio: null,
          target: '< 1000 KB',
          pass: bytes < MB,
        });
        const runs = context.quick ? 3 : 7;
        const samples: { initMs: number; firstInvokeMs: number; totalMs: number }[] = [];
        for (let i = 0; i < runs; i++) {
          context.progress(`${fn.name} cold start ${i + 1}/${runs}`);
          samples.push(await coldStart(path));
        }
        const cold = median(samples.map((s) => s.initMs + s.firstInvokeMs));
        results.push({
          name: `functions.${fn.name}.cold_start_ms`,
          value: round(cold),
          unit: 'ms',
          baseline: null,
          ratio: null,
          target: `< ${COLD_START_TARGET_MS} ms`,
          pass: cold < COLD_START_TARGET_MS,
        });
        results.push({
          name: `functions.${fn.name}.module_load_ms`,
          value: round(median(samples.map((s) => s.initMs))),
          unit: 'ms',
          baseline: null,
          ratio: null,
          target: null,
          pass: null,
        });
        results.push({
          name: `functions.${fn.name}.process_to_answer_ms`,
          value: round(median(samples.map((s) => s.totalMs))),
          unit: 'ms',
          baseline: null,
          ratio: null,
          target: null,
          pass: null,
        });
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    return results;
  },
};

/** Read by `npm run bench`; `npx tsx bench/functions.bench.ts [--quick]` runs them alone. */
export const benchmarks: readonly Benchmark[] = [lambdaBundles];

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  (async () => {
    for (const b of benchmarks) {
      const results = await b.run({ quick, progress: (m) => process.stderr.write(`  ${b.name}: ${m}\n`) });
      for (const r of results)
        process.stdout.write(
          `${r.name.padEnd(44)} ${String(r.value).padStart(9)} ${r.unit.padEnd(3)} ${r.target ?? ''}${r.pass === null ? '' : r.pass ? '  ok' : '  MISSED'}\n`,
        );
    }
  })().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
