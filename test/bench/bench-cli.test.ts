import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const FIXTURES = 'test/fixtures/bench';

function bench(args: readonly string[]) {
  const r = spawnSync('npx', ['tsx', 'cli/bench.ts', '--dir', FIXTURES, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, QTS_CACHE_DIR: process.env.QTS_CACHE_DIR },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Row {
  readonly name: string;
  readonly value: number | null;
  readonly unit: string | null;
  readonly baseline: string | null;
  readonly ratio: number | null;
  readonly target: string | null;
  readonly pass: boolean | null;
  readonly error?: string;
}

describe('npm run bench (CLI)', () => {
  it('--json prints one array: every result, plus an error row per benchmark that threw or failed to load; exit 1', () => {
    const r = bench(['--json']);
    expect(r.status).toBe(1);
    const rows = JSON.parse(r.stdout) as Row[];
    expect(rows.find((x) => x.name === 'fixture.fast.vs_slow')).toEqual({
      name: 'fixture.fast.vs_slow',
      value: 3,
      unit: 'x',
      baseline: 'slow thing',
      ratio: 3,
      target: '>= 2x',
      pass: true,
    });
    expect(rows.find((x) => x.name === 'fixture.slow.ops_per_s')?.pass).toBe(false);
    const errors = rows.filter((x) => x.error !== undefined);
    expect(errors.map((x) => x.name).sort()).toEqual([
      'no-export: no-export.bench.ts',
      'throwing: broken thing',
      'throwing: garbage thing',
    ]);
    expect(errors.find((x) => x.name === 'throwing: broken thing')).toMatchObject({
      value: null,
      unit: null,
      pass: null,
      error: 'fixture exploded',
    });
    expect(errors.find((x) => x.name === 'no-export: no-export.bench.ts')?.error).toMatch(/benchmarks/);
    // --json keeps stderr free of progress; only the closing reason is printed.
    expect(r.stderr).toMatch(/^bench: 3 benchmark\(s\) failed to run/);
  }, 90_000);

  it('exits 0 when everything ran, even with a missed target; --strict makes a miss exit 1', () => {
    const ok = bench(['--filter', 'passing']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/fixture\.fast\.vs_slow\s+3\.00\s+x\s+slow thing\s+3\.00x\s+>= 2x\s+yes/);
    expect(ok.stdout).toMatch(/fixture\.slow\.ops_per_s\s+5\.00\s+ops\/s\s+–\s+–\s+>= 10 ops\/s\s+NO/);
    expect(ok.stdout).toContain('2 results: 1 targets met, 1 missed, 0 benchmarks failed');
    const strict = bench(['--filter', 'passing', '--strict']);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('1 target(s) missed (--strict)');
  }, 90_000);

  it('lists benchmarks, explains itself, and refuses a filter that matches nothing with exit 2', () => {
    const list = bench(['--list', '--filter', 'thing']);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('passing: fast thing — meets its target');
    const help = bench(['--help']);
    expect(help.status).toBe(0);
    for (const flag of ['--quick', '--json', '--filter', '--strict', '--list', '--dir'])
      expect(help.stdout).toContain(flag);
    const none = bench(['--filter', 'no such benchmark']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no benchmark matches --filter no such benchmark');
  }, 90_000);
});
