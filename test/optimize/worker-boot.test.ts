import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledNodeArgs } from '../../cli/lib/bundle-launcher';
import { workerBoot } from '../../shared/src/backtest/optimize/worker-boot';

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
});
