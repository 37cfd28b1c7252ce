import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledNodeArgs } from '../../cli/lib/bundle-launcher';
import { workerBoot, workerExecArgv } from '../../shared/src/backtest/optimize/worker-boot';

describe('optimizer worker boot', () => {
  it('loads the TypeScript worker entry from one bundle, without tsx or esbuild inside, found once per process', () => {
    const boot = workerBoot();
    expect(boot.kind).toBe('bundle');
    expect(boot.file).toBeDefined();
    const bundle = readFileSync(boot.file ?? '', 'utf8');
    expect(bundle).toContain('parentPort');
    expect(bundle).not.toMatch(/require\("esbuild"\)|tsx\/cjs/);
    expect(boot.code).toContain(JSON.stringify(boot.file));
    expect(workerBoot()).toBe(boot);
  });

  it('builds a missing worker bundle from a bundled program too (npm run optimize), instead of falling back to tsx', () => {
    const cache = mkdtempSync(join(tmpdir(), 'qts-worker-boot-'));
    try {
      // An empty cache: the launcher bundles the fixture, then the bundled fixture builds the worker's.
      const run = spawnSync(
        process.execPath,
        bundledNodeArgs(join(__dirname, 'fixtures', 'print-worker-boot.ts')),
        {
          env: { ...process.env, QTS_CACHE_DIR: cache },
          encoding: 'utf8',
        },
      );
      expect(run.stderr).toBe('');
      const out = JSON.parse(run.stdout) as { bundled: boolean; kind: string; file?: string };
      expect(out.bundled).toBe(true);
      expect(out.kind).toBe('bundle');
      expect(out.file?.startsWith(join(cache, 'bundles', 'optimize-worker-'))).toBe(true);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('boots later workers from the current bundle when the one it found was deleted meanwhile', () => {
    const cache = mkdtempSync(join(tmpdir(), 'qts-worker-boot-'));
    try {
      const run = spawnSync(
        process.execPath,
        [...bundledNodeArgs(join(__dirname, 'fixtures', 'print-worker-boot.ts')), '--lose-bundle'],
        { env: { ...process.env, QTS_CACHE_DIR: cache }, encoding: 'utf8' },
      );
      expect(run.stderr).toBe('');
      const out = JSON.parse(run.stdout) as {
        kind: string;
        file?: string;
        after?: { kind: string; file?: string; exists?: boolean };
      };
      expect(out.kind).toBe('bundle');
      expect(out.after).toMatchObject({ kind: 'bundle', exists: true });
      expect(out.after?.file).not.toBe(out.file);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it("starts workers without the launcher's --require tsx/cjs, keeping only profiling options", () => {
    const run = spawnSync(
      process.execPath,
      [...bundledNodeArgs(join(__dirname, 'fixtures', 'print-worker-boot.ts')), '--probe-worker'],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as {
      kind: string;
      parentExecArgv: string[];
      execArgv: string[];
      worker: { execArgv: string[]; tsx: boolean };
    };
    expect(out.kind).toBe('bundle');
    expect(out.parentExecArgv).toContain('--require');
    expect(out.execArgv).toEqual([]);
    expect(out.worker).toEqual({ execArgv: [], tsx: false });
  });

  it('passes a worker the per-thread profiling options in both spellings, and nothing else', () => {
    expect(
      workerExecArgv([
        '--single-threaded-gc',
        '--require',
        '/x/tsx/cjs',
        '-r',
        'dotenv/config',
        '--import=tsx',
        '--cpu-prof',
        '--cpu-prof-dir',
        '/tmp/p',
        '--cpu-prof-interval=500',
        '--heap-prof-name=h.heapprofile',
        '--cpu-profiler-thing',
      ]),
    ).toEqual([
      '--cpu-prof',
      '--cpu-prof-dir',
      '/tmp/p',
      '--cpu-prof-interval=500',
      '--heap-prof-name=h.heapprofile',
    ]);
    expect(workerExecArgv(['--max-old-space-size=4096', '--enable-source-maps'])).toEqual([]);
  });
});
