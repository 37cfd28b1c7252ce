import { spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type ReleaseBehaviour, VM_DIR, writeReleaseSource } from './fake-release';
import { writeFakeTools } from './fake-vm-tools';

/** One run of the fake executor's --self-check or --dry-run, as it logged itself. */
export interface CheckRun {
  readonly release: string | undefined;
  readonly args: readonly string[];
  /** The script node ran (absolute): the bundle, or the source of an unbundled release. */
  readonly script: string;
  readonly cwd: string;
  readonly envKeys: readonly string[];
}

/** Outcome of one script run. */
export interface ScriptResult {
  readonly code: number | null;
  readonly stderr: string;
  readonly stdout: string;
}

/**
 * A VM in a temp dir: the /opt/qts layout, an env file, a fake `systemctl` (and `ssh`, `sudo`) on
 * PATH, and a fake executor ops server on loopback whose answers follow the release the fake
 * systemctl last (re)started. Drains and restarts go to one event log in the order they happen.
 */
export class FakeVm {
  readonly dir = mkdtempSync(join(tmpdir(), 'qts-fake-vm-'));
  readonly root = join(this.dir, 'opt/qts');
  readonly envFile = join(this.dir, 'etc/qts/executor.env');
  readonly unitDir = join(this.dir, 'etc/systemd/system');
  private readonly bin = join(this.dir, 'bin');
  private readonly eventsFile = join(this.dir, 'events.log');
  private readonly checksFile = join(this.dir, 'checks.log');
  private readonly runningFile = join(this.dir, 'running');
  /** Whether POST /drain reports drained (false: the executor never finishes draining). */
  drains = true;
  private server: Server | undefined;
  private port = 0;

  async start(): Promise<void> {
    for (const d of [this.root, this.unitDir, this.bin, join(this.dir, 'log'), join(this.dir, 'src')])
      mkdirSync(d, { recursive: true });
    mkdirSync(join(this.dir, 'etc/qts'), { recursive: true });
    writeFileSync(this.runningFile, '');
    writeFileSync(this.eventsFile, '');
    writeFileSync(this.checksFile, '');
    const server = createServer((req, res) => this.answer(req.method ?? '', req.url ?? '', res));
    this.server = server;
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    this.port = (server.address() as AddressInfo).port;
    writeFileSync(
      this.envFile,
      `# test env file\nQTS_MODE=paper\nQTS_EXECUTOR__OPS_PORT=${this.port}\nFAKE_VM_CHECKS=${this.checksFile}\n`,
      { mode: 0o600 },
    );
    writeFakeTools({
      bin: this.bin,
      events: this.eventsFile,
      running: this.runningFile,
      currentLink: join(this.root, 'current'),
    });
  }

  private answer(method: string, url: string, res: ServerResponse): void {
    const running = readFileSync(this.runningFile, 'utf8').trim();
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (method === 'POST' && url === '/drain') {
      appendFileSync(this.eventsFile, `drain ${this.current() ?? '-'}\n`);
      json(200, { drained: this.drains });
      return;
    }
    if (method === 'GET' && url === '/healthz') {
      if (running === '') {
        json(503, { status: 'stopped', reconciled: false, draining: false });
        return;
      }
      const health = this.behaviour(running).health ?? 'healthy';
      const body = {
        status: health === 'unhealthy' ? 'unhealthy' : 'healthy',
        reconciled: health === 'healthy',
        draining: false,
        mode: 'paper',
        exchange: 'sim',
        version: running,
        startedAt: 0,
        checks: {},
      };
      json(health === 'unhealthy' ? 503 : 200, body);
      return;
    }
    json(404, { error: 'not found' });
  }

  private behaviour(release: string): ReleaseBehaviour {
    const file = join(this.root, 'releases', release, 'behaviour.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ReleaseBehaviour) : {};
  }

  /** Changes how an installed release behaves from now on. */
  setInstalledBehaviour(release: string, behaviour: ReleaseBehaviour): void {
    writeFileSync(join(this.root, 'releases', release, 'behaviour.json'), JSON.stringify(behaviour));
  }

  /** Writes a release's source tree (what `git archive` of the repository would hold). */
  writeSource(dir: string, behaviour: ReleaseBehaviour): string {
    return writeReleaseSource(dir, behaviour);
  }

  /**
   * Puts a release on disk as an earlier deploy (by the scripts of its time) left it, and records
   * it in the history as having run: for rollbacks to releases from before the bundle.
   */
  placeRelease(id: string, behaviour: ReleaseBehaviour): void {
    const dir = this.writeSource(join(this.root, 'releases', id), behaviour);
    writeFileSync(join(dir, 'release.env'), `QTS_RELEASE=${id}\n`);
    appendFileSync(join(this.root, 'history'), `2026-01-01T00:00:00Z ${id}\n`);
  }

  /** A release source directory for `deploy.sh --source`. */
  source(id: string, behaviour: ReleaseBehaviour = {}): string {
    return this.writeSource(join(this.dir, 'src', id), behaviour);
  }

  /**
   * Environment for the scripts: the fake VM's paths, fast polls, short timeouts. No
   * QTS_EXECUTOR_CMD: checks run each release's own unit ExecStart, the real node flags included.
   */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: `${this.bin}:${process.env.PATH ?? ''}`,
      HOME: this.dir,
      LANG: 'C.UTF-8',
      npm_config_cache: join(this.dir, 'npm-cache'),
      npm_config_update_notifier: 'false',
      QTS_ROOT: this.root,
      QTS_ENV_FILE: this.envFile,
      QTS_UNIT_DIR: this.unitDir,
      QTS_USER: '',
      QTS_LOG_DIR: join(this.dir, 'log'),
      QTS_KEEP_RELEASES: '3',
      QTS_DRAIN_TIMEOUT: '2',
      QTS_HEALTH_TIMEOUT: '3',
      QTS_POLL_INTERVAL: '0.1',
      ...extra,
    };
  }

  /**
   * Runs infra/vm/<name> with arguments (and stdin) against this VM. `dropOutput` closes the
   * script's stdout and stderr at once, like an SSH connection that went away.
   */
  run(
    name: 'deploy.sh' | 'rollback.sh',
    args: readonly string[],
    input = '',
    options: { readonly dropOutput?: boolean } = {},
  ): Promise<ScriptResult> {
    return new Promise((ok, fail) => {
      const child = spawn('bash', [join(VM_DIR, name), ...args], { env: this.env() });
      let stdout = '';
      let stderr = '';
      if (options.dropOutput === true) {
        child.stdout.destroy();
        child.stderr.destroy();
      }
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', fail);
      child.on('close', (code) => ok({ code, stdout, stderr }));
      child.stdin.end(input);
    });
  }

  /** Release id `current` points at, if any. */
  current(): string | undefined {
    const link = join(this.root, 'current');
    return existsSync(link) ? basename(readlinkSync(link)) : undefined;
  }

  releasesOnDisk(): string[] {
    return readdirSync(join(this.root, 'releases')).sort();
  }

  /** Drains, restarts, stops, daemon-reloads and ssh calls since the last call, in order. */
  takeEvents(): string[] {
    const lines = readFileSync(this.eventsFile, 'utf8').split('\n').filter(Boolean);
    writeFileSync(this.eventsFile, '');
    return lines;
  }

  takeChecks(): CheckRun[] {
    const runs = readFileSync(this.checksFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as CheckRun);
    writeFileSync(this.checksFile, '');
    return runs;
  }

  history(): string[] {
    const file = join(this.root, 'history');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ')[1] ?? '');
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
