import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FakeVm } from './support/fake-vm';

// infra/vm/deploy.sh and rollback.sh against a simulated VM: the real scripts, a fake systemctl
// and a fake executor ops server (/healthz, /drain) on loopback. One VM lives through the steps of
// this file in order, like a real one: first deploy, upgrades, a bad release, pruning, rollbacks.
describe('executor deploy and rollback on a simulated VM', () => {
  const vm = new FakeVm();

  beforeAll(() => vm.start());
  afterAll(() => vm.stop());

  const deploy = (id: string, behaviour = {}) =>
    vm.run('deploy.sh', ['--source', vm.source(id, behaviour), '--release', id]);

  it('installs the first release, checks it with its own environment and starts it', async () => {
    const result = await deploy('r1');

    expect(result.code).toBe(0);
    expect(vm.current()).toBe('r1');
    // Nothing ran before, so nothing to drain; the unit file came with the release.
    expect(vm.takeEvents()).toEqual(['daemon-reload', 'restart r1']);
    const checks = vm.takeChecks();
    expect(checks.map((c) => [c.release, c.args.join(' ')])).toEqual([
      ['r1', '--self-check'],
      ['r1', '--dry-run --ops-port 0'],
    ]);
    // Checks run in the release with the env file + QTS_RELEASE only: no deploy variables leak in.
    const release = realpathSync(join(vm.root, 'releases/r1'));
    expect(checks[0]?.cwd).toBe(release);
    expect(checks[0]?.envKeys).toEqual(
      expect.arrayContaining(['FAKE_VM_CHECKS', 'QTS_EXECUTOR__OPS_PORT', 'QTS_MODE', 'QTS_RELEASE']),
    );
    expect(checks[0]?.envKeys.filter((k) => k.startsWith('QTS_')).sort()).toEqual([
      'QTS_EXECUTOR__OPS_PORT',
      'QTS_MODE',
      'QTS_RELEASE',
    ]);
    expect(readFileSync(join(release, 'release.env'), 'utf8')).toBe('QTS_RELEASE=r1\n');
    expect(readlinkSync(join(release, 'data'))).toBe(join(vm.root, 'shared/data'));
    expect(readFileSync(join(vm.unitDir, 'qts-executor.service'), 'utf8')).toContain('ExecStart=');
    expect(vm.history()).toEqual(['r1']);
    // The checks ran the bundle built in the release, with the unit's own command and node flags,
    // and the release keeps no node_modules: the bundle is the whole program.
    expect(checks.map((c) => c.script)).toEqual([
      join(release, 'dist/executor/main.cjs'),
      join(release, 'dist/executor/main.cjs'),
    ]);
    expect(existsSync(join(release, 'node_modules'))).toBe(false);
  });

  it('drains the running executor before switching to a healthy release', async () => {
    const result = await deploy('r2');

    expect(result.code).toBe(0);
    expect(vm.current()).toBe('r2');
    // The drain reached the old release while `current` still pointed at it; then the switch.
    expect(vm.takeEvents()).toEqual(['drain r1', 'restart r2']);
    expect(vm.takeChecks().map((c) => c.release)).toEqual(['r2', 'r2']);
    expect(vm.history()).toEqual(['r1', 'r2']);
  });

  it('rolls an unhealthy release back to the previous one and exits non-zero', async () => {
    const result = await deploy('r3', { health: 'unhealthy' });

    expect(result.code).toBe(1);
    expect(vm.current()).toBe('r2');
    expect(vm.takeEvents()).toEqual(['drain r2', 'restart r3', 'drain r3', 'restart r2']);
    expect(result.stderr).toContain('r3 did not become healthy');
    expect(result.stderr).toContain('rolled back to r2');
    expect(vm.history()).toEqual(['r1', 'r2', 'r2']);
  });

  it('treats a release that is up but not reconciled as unhealthy', async () => {
    const result = await deploy('r3b', { health: 'unreconciled' });

    expect(result.code).toBe(1);
    expect(vm.current()).toBe('r2');
    expect(vm.takeEvents()).toEqual(['drain r2', 'restart r3b', 'drain r3b', 'restart r2']);
  });

  it('never touches the running executor when the self-check fails', async () => {
    const selfCheck = await deploy('r4', { selfCheck: 1 });
    const dryRun = await deploy('r4b', { dryRun: 1 });

    expect(selfCheck.code).toBe(1);
    expect(selfCheck.stderr).toContain('self-check of r4 failed');
    expect(dryRun.code).toBe(1);
    expect(dryRun.stderr).toContain('dry run of r4b failed');
    expect(vm.current()).toBe('r2');
    expect(vm.takeEvents()).toEqual([]);
    vm.takeChecks();
  });

  it('does not switch when the running executor never finishes draining, and resumes it', async () => {
    vm.drains = false;
    const result = await deploy('r5');
    vm.drains = true;

    expect(result.code).toBe(1);
    expect(vm.current()).toBe('r2');
    const events = vm.takeEvents();
    expect(events.filter((e) => e !== 'drain r2')).toEqual(['restart r2']);
    expect(events[0]).toBe('drain r2');
    expect(result.stderr).toContain('did not report drained');
  });

  it('keeps only the newest releases that ran, removing failed uploads too', async () => {
    for (const id of ['r6', 'r7', 'r8']) expect((await deploy(id)).code).toBe(0);

    expect(vm.current()).toBe('r8');
    expect(vm.releasesOnDisk()).toEqual(['r6', 'r7', 'r8']);
    vm.takeEvents();
    vm.takeChecks();
  });

  it('redeploying the current release only checks its health', async () => {
    const result = await deploy('r8');

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('already current');
    expect(vm.takeEvents()).toEqual([]);
  });

  it('rollback.sh goes back to the previous release, draining first', async () => {
    const result = await vm.run('rollback.sh', []);

    expect(result.code).toBe(0);
    expect(vm.current()).toBe('r7');
    expect(vm.takeEvents()).toEqual(['drain r8', 'restart r7']);
    // The target's self-check ran before anything was switched.
    expect(vm.takeChecks().map((c) => [c.release, c.args.join(' ')])).toEqual([
      ['r7', '--self-check'],
      ['r7', '--dry-run --ops-port 0'],
    ]);
  });

  it('rollback.sh --to picks a release and --list shows them newest first', async () => {
    const result = await vm.run('rollback.sh', ['--to', 'r6']);
    expect(result.code).toBe(0);
    expect(vm.current()).toBe('r6');
    vm.takeEvents();

    const list = await vm.run('rollback.sh', ['--list']);
    expect(
      list.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/).slice(1).join(' ')),
    ).toEqual(['r6 (current)', 'r7', 'r8']);
  });

  it('rollback.sh to a release that is unhealthy now switches back and exits non-zero', async () => {
    vm.setInstalledBehaviour('r7', { health: 'unhealthy' });
    const result = await vm.run('rollback.sh', ['--to', 'r7']);

    expect(result.code).toBe(1);
    expect(vm.current()).toBe('r6');
    expect(vm.takeEvents()).toEqual(['drain r6', 'restart r7', 'drain r7', 'restart r6']);
    vm.setInstalledBehaviour('r7', {});
  });

  it('rollback.sh refuses a release that is not on disk or an invalid id', async () => {
    const missing = await vm.run('rollback.sh', ['--to', 'r1']);
    const invalid = await vm.run('rollback.sh', ['--to', '../etc']);

    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('release r1 is not on disk');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('invalid release id');
    expect(vm.current()).toBe('r6');
    expect(vm.takeEvents()).toEqual([]);
  });

  it('deploys a git commit over SSH and sets allowed secrets in the env file without printing them', async () => {
    const repo = vm.writeSource(join(vm.dir, 'repo'), {});
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, ...args], {
        encoding: 'utf8',
        env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
      }).trim();
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'release');
    const sha = git('rev-parse', 'HEAD');
    const secret = 'upbitSecretValue123';

    const result = await vm.run(
      'deploy.sh',
      ['--host', 'deployer@vm', '--source', repo, '--env-stdin'],
      `UPBIT_ACCESS_KEY=accessKey42\nUPBIT_SECRET_KEY=${secret}\nTELEGRAM_CHAT_ID=\nQTS_STATE_TABLE=qts-prod-state\n`,
    );

    expect(result.code).toBe(0);
    expect(vm.current()).toBe(sha);
    expect(vm.takeEvents()).toEqual(['ssh deployer@vm', 'ssh deployer@vm', 'drain r6', `restart ${sha}`]);
    const env = readFileSync(vm.envFile, 'utf8');
    expect(env).toContain(`UPBIT_SECRET_KEY=${secret}\n`);
    expect(env).toContain('QTS_STATE_TABLE=qts-prod-state\n');
    expect(env).not.toContain('TELEGRAM_CHAT_ID='); // empty values keep what the VM has
    expect(env).toContain('QTS_MODE=paper\n'); // untouched lines stay
    expect(statSync(vm.envFile).mode & 0o777).toBe(0o600);
    expect(result.stderr).not.toContain(secret);
    expect(result.stderr).toContain('UPBIT_SECRET_KEY');
    // The uploaded tree is removed after the deploy.
    expect(result.stderr).not.toContain('rm:');
  });

  it('installs from an archive too, as root-owned files the service cannot change', async () => {
    const source = vm.source('r10');
    const archive = join(vm.dir, 'r10.tar.gz');
    // Entries owned by someone else (the uploading user on a real VM).
    execFileSync('tar', ['--owner=12345', '--group=12345', '-czf', archive, '-C', source, '.']);

    const result = await vm.run('deploy.sh', ['--archive', archive, '--release', 'r10']);

    expect(result.code).toBe(0);
    expect(vm.current()).toBe('r10');
    expect(statSync(join(vm.root, 'releases/r10/package.json')).uid).toBe(process.getuid?.());
    vm.takeEvents();
    vm.takeChecks();
  });

  it('finishes a deploy whose caller went away (broken output pipe), instead of stopping halfway', async () => {
    const result = await vm.run('deploy.sh', ['--source', vm.source('r11'), '--release', 'r11'], '', {
      dropOutput: true,
    });

    expect(result.code).toBe(0);
    expect(vm.current()).toBe('r11');
    expect(vm.takeEvents()).toEqual(['drain r10', 'restart r11']);
    // The deploy log on the VM has the whole story, npm's output included.
    const log = readFileSync(join(vm.dir, 'log/deploy.log'), 'utf8');
    expect(log).toContain('deploy: deployed r11');
    vm.takeChecks();
  });

  it('refuses env keys a deploy may not set, before touching anything', async () => {
    const before = readFileSync(vm.envFile, 'utf8');
    const result = await vm.run(
      'deploy.sh',
      ['--source', vm.source('r9'), '--release', 'r9', '--env-stdin'],
      'QTS_LIVE_CONFIRM=yes\n',
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('QTS_LIVE_CONFIRM is not a key deploys may set');
    expect(readFileSync(vm.envFile, 'utf8')).toBe(before);
    expect(existsSync(join(vm.root, 'releases/r9'))).toBe(false);
  });

  it('never installs or checks a release whose executor bundle does not build', async () => {
    const result = await deploy('r12', { buildFails: true });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the executor build failed for r12');
    expect(result.stderr).toContain('fake build: esbuild failed');
    expect(vm.current()).toBe('r11');
    expect(existsSync(join(vm.root, 'releases/r12'))).toBe(false);
    expect(vm.takeEvents()).toEqual([]);
    expect(vm.takeChecks()).toEqual([]);
  });

  it('rolls back to a release from before the bundle, checking and starting it with its own unit', async () => {
    vm.placeRelease('r0', { unbundled: true });

    const result = await vm.run('rollback.sh', ['--to', 'r0']);

    expect(result.code).toBe(0);
    expect(vm.current()).toBe('r0');
    const release = realpathSync(join(vm.root, 'releases/r0'));
    expect(vm.takeChecks().map((c) => c.script)).toEqual([
      join(release, 'executor/fake-main.js'),
      join(release, 'executor/fake-main.js'),
    ]);
    expect(readFileSync(join(vm.unitDir, 'qts-executor.service'), 'utf8')).toContain(
      'ExecStart=/usr/bin/node executor/fake-main.js',
    );
    expect(vm.takeEvents()).toEqual(['drain r11', 'daemon-reload', 'restart r0']);
  });
});
