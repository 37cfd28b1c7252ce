import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EXECUTOR_BUNDLE } from '../../cli/package/executor-bundle';
import { REPO, runBlocks } from './support/workflows';

const run = promisify(execFile);

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const SHELLCHECK_MISSING =
  'shellcheck is not installed: sudo apt-get install -y shellcheck (bash .ci/run installs it itself)';

/** Runs shellcheck on files; resolves with its report ('' when clean). */
async function shellcheck(files: readonly string[], cwd = REPO): Promise<string> {
  try {
    await run('shellcheck', ['--external-sources', '--shell=bash', ...files], { cwd });
    return '';
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: unknown };
    if (e.code === 'ENOENT') throw new Error(SHELLCHECK_MISSING);
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
}

describe('shell scripts', () => {
  beforeAll(() => {
    if (!hasCommand('shellcheck')) throw new Error(SHELLCHECK_MISSING);
  });

  it('infra/vm, .ci/run and the workflow helper scripts pass shellcheck', async () => {
    const vm = readdirSync(join(REPO, 'infra/vm'))
      .filter((f) => f.endsWith('.sh'))
      .map((f) => `infra/vm/${f}`);
    const scripts = readdirSync(join(REPO, '.github/scripts')).map((f) => `.github/scripts/${f}`);
    expect(vm).toEqual(
      expect.arrayContaining(['infra/vm/deploy.sh', 'infra/vm/rollback.sh', 'infra/vm/install.sh']),
    );
    expect(await shellcheck([...vm, ...scripts, '.ci/run'])).toBe('');
  });

  it('every run: block of the workflows passes shellcheck (as GitHub runs it: bash -e)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-run-blocks-'));
    try {
      const blocks = runBlocks();
      expect(blocks.length).toBeGreaterThan(5);
      const files = blocks.map((b, i) => {
        const file = join(dir, `block-${i}.sh`);
        // ${{ }} is substituted by GitHub before the shell sees it: stand in a plain word.
        const script = b.script.replace(/\$\{\{[^}]*\}\}/g, 'EXPR');
        writeFileSync(file, `#!/usr/bin/env bash\nset -e\n# ${b.where}\n${script}`);
        return file;
      });
      expect(await shellcheck(files, dir)).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the systemd unit and the environment template', () => {
  const unit = readFileSync(join(REPO, 'infra/vm/qts-executor.service'), 'utf8');
  const directives = (name: string) =>
    unit
      .split('\n')
      .filter((l) => l.startsWith(`${name}=`))
      .map((l) => l.slice(name.length + 1));
  const one = (name: string) => {
    const values = directives(name);
    expect({ name, count: values.length }).toEqual({ name, count: 1 });
    return values[0] ?? '';
  };

  it('starts the built bundle, exactly what deploy.sh self-checks, from the current release, with the env file', () => {
    const lib = readFileSync(join(REPO, 'infra/vm/lib.sh'), 'utf8');
    // One copy of the command: the checks run the ExecStart of the release's own unit.
    expect(lib).toMatch(/^QTS_EXECUTOR_CMD="\$\{QTS_EXECUTOR_CMD:-\}"/m);
    expect(lib).toContain("grep -m1 '^ExecStart='");
    expect(one('ExecStart')).toMatch(
      new RegExp(`^/usr/bin/node( --[a-z-]+(=\\d+)?)* ${EXECUTOR_BUNDLE.replaceAll('.', '\\.')}$`),
    );
    expect(one('WorkingDirectory')).toBe('/opt/qts/current');
    expect(directives('EnvironmentFile')).toEqual(['/etc/qts/executor.env', '/opt/qts/current/release.env']);
    expect(one('User')).toBe('qts');
  });

  it('restarts always but not in a tight loop, and gives the drain time before any kill', () => {
    expect(one('Restart')).toBe('always');
    expect(Number(one('RestartSec'))).toBeGreaterThanOrEqual(1);
    const unitSection = unit.slice(unit.indexOf('[Unit]'), unit.indexOf('[Service]'));
    expect(unitSection).toMatch(/^StartLimitIntervalSec=\d+$/m);
    expect(unitSection).toMatch(/^StartLimitBurst=\d+$/m);
    // The executor drains and exits within 40 s of SIGTERM; systemd must not SIGKILL sooner.
    expect(Number(one('TimeoutStopSec'))).toBeGreaterThanOrEqual(45);
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(one('KillMode')).toBe('mixed');
  });

  it('is hardened: read-only system and code, writable only where the data and state live', () => {
    for (const [name, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['PrivateDevices', 'yes'],
      ['RestrictSUIDSGID', 'yes'],
      ['CapabilityBoundingSet', ''],
    ] as const)
      expect({ name, value: one(name) }).toEqual({ name, value });
    expect(one('ReadWritePaths').split(' ')).toEqual(['/opt/qts/shared/data', '/opt/qts/shared/state']);
    expect(one('MemoryMax')).toMatch(/^\d+[MG]$/);
    // deploy.sh links exactly these shared directories into each release.
    const lib = readFileSync(join(REPO, 'infra/vm/lib.sh'), 'utf8');
    expect(/LINKED_DIRS=\(([^)]*)\)/.exec(lib)?.[1]).toBe('data state');
  });

  it('passes systemd-analyze verify where systemd is installed', async () => {
    if (!hasCommand('systemd-analyze')) return; // CI containers have no systemd; the checks above still run
    const dir = mkdtempSync(join(tmpdir(), 'qts-unit-'));
    try {
      const file = join(dir, 'qts-executor.service');
      writeFileSync(file, unit.replace('ExecStart=/usr/bin/node', `ExecStart=${process.execPath}`));
      const { stderr } = await run('systemd-analyze', ['verify', file]);
      expect(stderr).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the env template has every key a deploy sets, and no secret values', () => {
    const template = readFileSync(join(REPO, 'infra/vm/executor.env.example'), 'utf8');
    const deploy = readFileSync(join(REPO, 'infra/vm/deploy.sh'), 'utf8');
    const allowed = /ENV_KEYS_ALLOWED=" ([^"]+) "/.exec(deploy.replace(/\\\n/g, ''))?.[1]?.split(/\s+/) ?? [];
    expect(allowed.length).toBeGreaterThan(5);
    const keys = new Map(
      template
        .split('\n')
        .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
    );
    for (const key of allowed) expect({ key, present: keys.has(key) }).toEqual({ key, present: true });
    for (const [key, value] of keys)
      if (/KEY|TOKEN|SECRET|CHAT_ID|CONFIRM/.test(key)) expect({ key, value }).toEqual({ key, value: '' });
    expect(keys.get('QTS_EXECUTOR__OPS_PORT')).toBe('9090');
  });
});
