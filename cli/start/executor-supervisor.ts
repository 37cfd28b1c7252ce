import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExecutorExit } from '../../executor/src/cli/executor-cli';
import type { Clock } from '../../shared/src/ports/clock';
import type { Logger } from '../../shared/src/ports/logger';
import { stopChild } from './emulators';
import type { LogStream } from './log-stream';
import { REPO_ROOT } from './stack-file';

/** The executor exits within 40 s of SIGTERM (it drains first); after this it is killed. */
const STOP_GRACE_MS = 45_000;
/** Restart back-off: 1 s doubling to 60 s; a run this long resets it. */
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;
const STABLE_AFTER_MS = 120_000;

/** The next pause before restarting an executor that exited after running `ranMs`. */
export function restartDelayMs(previousDelayMs: number | undefined, ranMs: number): number {
  if (previousDelayMs === undefined || ranMs >= STABLE_AFTER_MS) return FIRST_DELAY_MS;
  return Math.min(MAX_DELAY_MS, previousDelayMs * 2);
}

/** What the stack knows about its executor now. */
export interface ExecutorState {
  readonly pid: number | undefined;
  readonly restarts: number;
}

/** Options of {@link ExecutorSupervisor}. */
export interface ExecutorSupervisorOptions {
  /** The executor's whole environment (config overrides, table, queues, exchange URLs). */
  readonly env: NodeJS.ProcessEnv;
  readonly opsPort: number;
  readonly logs: LogStream;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Called after every start and exit (the stack file shows the current pid). */
  readonly onChange?: (state: ExecutorState) => void;
  /** The executor refused its configuration (exit 2): restarting cannot help, the stack stops. */
  readonly onGiveUp?: (reason: string) => void;
}

/**
 * Runs the executor (`executor/src/main.ts`: the code systemd runs on the VM as a bundle, here from
 * source with tsx) as a child process in its own process group, so it can crash, or be SIGKILLed
 * by a reliability test, without taking the stack down: it is restarted with back-off (1 s
 * doubling to 60 s, reset after two minutes of running), and every exit and restart is logged. Its
 * JSON log lines go to the stack's log stream. A preload stops it when the stack itself dies
 * (exit-with-parent.mjs), so it never outlives the stack.
 */
export class ExecutorSupervisor {
  private child: ChildProcess | undefined;
  private restarts = 0;
  private delay: number | undefined;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly o: ExecutorSupervisorOptions) {}

  /** The executor's ops URL (GET /healthz, /metrics). */
  get opsUrl(): string {
    return `http://127.0.0.1:${this.o.opsPort}`;
  }

  state(): ExecutorState {
    return { pid: this.child?.pid, restarts: this.restarts };
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** SIGTERM (the executor drains), SIGKILL after 45 s; no restart after this. */
  async stop(): Promise<void> {
    this.stopping.abort();
    const child = this.child;
    if (child !== undefined) await stopChild(child, STOP_GRACE_MS);
    await this.loop;
  }

  private spawnOnce(): ChildProcess {
    const child = spawn(
      process.execPath,
      [
        '--import',
        pathToFileURL(join(__dirname, 'exit-with-parent.mjs')).href,
        '--import',
        'tsx',
        join(REPO_ROOT, 'executor', 'src', 'main.ts'),
        '--ops-port',
        String(this.o.opsPort),
      ],
      { cwd: REPO_ROOT, env: this.o.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true },
    );
    this.o.logs.follow('executor', child.stdout);
    this.o.logs.follow('executor', child.stderr);
    return child;
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      const started = this.o.clock.now();
      const child = this.spawnOnce();
      this.child = child;
      this.o.onChange?.(this.state());
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
        (resolve) => {
          child.once('error', (error) => resolve({ code: null, signal: null, error }));
          child.once('exit', (code, sig) => resolve({ code, signal: sig }));
        },
      );
      this.o.onChange?.(this.state());
      if (signal.aborted) return;
      if (exit.code === ExecutorExit.usage) {
        this.o.onGiveUp?.('the executor refused its configuration (exit code 2): see its log lines above');
        return;
      }
      const ran = this.o.clock.now() - started;
      this.delay = restartDelayMs(this.delay, ran);
      this.restarts += 1;
      this.o.logger.error('executor exited; restarting it', {
        exitCode: exit.code,
        signal: exit.signal,
        ...(exit.error === undefined ? {} : { error: exit.error.message }),
        ranSeconds: Math.round(ran / 1000),
        restartInSeconds: this.delay / 1000,
        restart: this.restarts,
      });
      await this.o.clock.sleep(this.delay, signal).catch(() => undefined);
    }
  }
}
