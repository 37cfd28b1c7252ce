import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildExecutorBundle, EXECUTOR_BUNDLE } from '../../cli/package/executor-bundle';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { type FakeExchange, startFakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { waitForEmulators } from '../../shared/testing/emulators/emulator-endpoints';
import {
  createTestQueues,
  createTestTable,
  emulatorProcessEnv,
  type TestQueues,
  type TestTable,
} from '../../shared/testing/emulators/provision';
import { unitNodeFlags } from './support/executor-unit';

const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);
const PROBE = join(__dirname, 'support/source-map-probe.cjs');

// The production executor bundle (npm run build:executor) as a VM release holds it: built into a
// directory outside the repository with only config/default.yaml and package.json beside it, no
// node_modules anywhere above it, and run from yet another working directory.
describe('the executor bundle', () => {
  const release = mkdtempSync(join(tmpdir(), 'qts-bundle-release-'));
  const elsewhere = mkdtempSync(join(tmpdir(), 'qts-bundle-cwd-'));
  const bundle = join(release, EXECUTOR_BUNDLE);
  let fake: FakeExchange | undefined;
  let table: TestTable | undefined;
  let queues: TestQueues | undefined;

  beforeAll(async () => {
    mkdirSync(join(release, 'config'));
    copyFileSync(join(ROOT, 'config/default.yaml'), join(release, 'config/default.yaml'));
    copyFileSync(join(ROOT, 'package.json'), join(release, 'package.json'));
    await buildExecutorBundle(ROOT, bundle);
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
    await table?.drop();
    queues?.client.destroy();
    rmSync(release, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });

  const executor = (args: readonly string[], env: Record<string, string>, preload: readonly string[] = []) =>
    run(process.execPath, [...unitNodeFlags(), ...preload, bundle, ...args], {
      cwd: elsewhere,
      env: { PATH: process.env.PATH ?? '', ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  // Runs the bundle with test/deploy/support/source-map-probe.cjs preloaded: what it did with the map.
  let probes = 0;
  const probed = async (args: readonly string[], env: Record<string, string>) => {
    const out = join(elsewhere, `probe-${++probes}.json`);
    const result = await executor(args, { ...env, SOURCE_MAP_PROBE_OUT: out }, ['--require', PROBE]);
    return {
      ...result,
      probe: JSON.parse(readFileSync(out, 'utf8')) as { mapReads: number; nodeHoldsMap: boolean },
    };
  };

  it('is one file with a source map and no dependency left outside', () => {
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    expect(existsSync(join(release, 'node_modules'))).toBe(false);
  });

  // V8 keeps a script's source as one string for the life of the process: Latin-1 (one byte a
  // character) unless a single character is above U+00FF, then all of it two bytes a character. esbuild
  // escapes non-ASCII strings but not regular expressions (rate-limiter.ts writes its Korean units as
  // \u escapes for this): a stray literal doubles ~1.2 MB of the executor's heap
  // (bench/history/executor-memory.md, "An ASCII bundle").
  it('is ASCII only, so V8 holds its source one byte a character', () => {
    const bytes = readFileSync(bundle);
    const first = bytes.findIndex((b) => b > 0x7f);
    // The text around the first non-ASCII byte, to find its source.
    const around = bytes.subarray(Math.max(0, first - 60), first + 20).toString('utf8');
    expect(first === -1 ? 'ascii' : around).toBe('ascii');
  });

  it('finds its config from any working directory and names a bad key', async () => {
    const help = await executor(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run executor');

    const bad = await executor(['--self-check'], { QTS_MODE: 'paper', QTS_EXECUTOR__NOT_A_KEY: '1' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('QTS_EXECUTOR__NOT_A_KEY');
    expect(bad.stderr).not.toContain('cannot read');
  });

  // The unit runs without --enable-source-maps (Node would parse the map at start and hold it, ~3 MB,
  // for the process's life): runtime/lazy-source-map.ts reads it when a stack is first formatted.
  it("logs a fatal error's stack with the TypeScript files and lines, reading the map only then", async () => {
    expect(unitNodeFlags()).not.toContain('--enable-source-maps');
    const failed = await probed([], {
      QTS_MODE: 'paper',
      QTS_EXCHANGE: 'sim',
      QTS_MARKETS: 'KRW-BTC',
      QTS_EXECUTOR__PAPER_STATE_FILE: join(elsewhere, 'paper.json'),
      // Thrown inside startExecutor (runtime/failpoints.ts), logged by main.ts with its stack.
      EXECUTOR_FAILPOINT: 'not-a-point',
    });
    expect(failed.code).toBe(1);
    const frames = failed.stderr.split('\n').filter((l) => l.startsWith('    at '));
    // The map names its sources relative to itself as esbuild built it: here the repository's files.
    expect(frames[0]).toMatch(
      new RegExp(`^    at parseFailpoints \\(${ROOT}/executor/src/runtime/failpoints\\.ts:\\d+:\\d+\\)$`),
    );
    expect(frames.join('\n')).toMatch(/ \(.*\/executor\/src\/main\.ts:\d+:\d+\)$/m);
    expect(frames.filter((l) => l.includes('main.cjs'))).toEqual([]);
    expect(failed.probe).toEqual({ mapReads: 1, nodeHoldsMap: false });
  });

  it('passes its self-check against the state table, the queues and the exchange (AWS SDK and fetch bundled)', async () => {
    const endpoints = await waitForEmulators();
    table = await createTestTable();
    queues = await createTestQueues();
    fake = await startFakeExchange({ clock: new SystemClock(), markets: ['KRW-BTC'] });

    const result = await probed(['--self-check', '--json'], {
      QTS_MODE: 'paper',
      QTS_EXCHANGE: 'sim',
      QTS_MARKETS: 'KRW-BTC',
      UPBIT_REST_URL: fake.restUrl,
      UPBIT_WS_URL: fake.wsUrl,
      ...emulatorProcessEnv(endpoints, table, queues),
    });

    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; ok: boolean }[] };
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(result.code).toBe(0);
    // A run with no error never reads the source map, nor has Node parse it.
    expect(result.probe).toEqual({ mapReads: 0, nodeHoldsMap: false });
  }, 120_000);
});
