import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../cli/start/stack-file';

function start(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('QTS_') && !k.startsWith('UPBIT_')) base[k] = v;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'cli/start.ts', ...args],
      { cwd: REPO_ROOT, env: { ...base, ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        }),
    );
  });
}

describe('npm start: refusals before anything starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qts-start-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its help', async () => {
    const help = await start(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--exchange upbit|sim');
    expect(help.stdout).toContain('Exit codes');
  });

  it('says in one line that Upbit cannot be reached and suggests --exchange sim, with no stack trace', async () => {
    const state = join(dir, 'upbit');
    const r = await start(['--state-dir', state], { UPBIT_REST_URL: 'http://127.0.0.1:9/v1' });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npm start: Upbit cannot be reached: .*npm start -- --exchange sim$/);
    expect(r.stdout).toBe('');
    expect(existsSync(state)).toBe(false);
  });

  it('keeps the live-mode guard: no keys, no confirmation, no start', async () => {
    const r = await start(['--exchange', 'upbit', '--mode', 'live', '--state-dir', join(dir, 'live')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('UPBIT_ACCESS_KEY');
    expect(r.stderr).toContain('QTS_LIVE_CONFIRM=yes');
    const bad = await start(['--exchange', 'binance']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--exchange must be upbit or sim');
  });
});
