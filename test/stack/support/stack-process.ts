import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, REPO_ROOT, type StackInfo } from '../../../cli/start/stack-file';
import { SystemClock } from '../../../shared/src/adapters/system/system-clock';
import { createUpbitAdapters } from '../../../shared/src/adapters/upbit/upbit-adapters';
import { Secret } from '../../../shared/src/domain/security/secret';
import type { Balance } from '../../../shared/src/ports/trading-venue';

/** A running `npm start` in a child process, driven over HTTP like a user would. */
export interface StackProcess {
  readonly info: StackInfo;
  /** Environment the stack and `npm run ops` against it run with (stack file, secrets file, token). */
  readonly env: NodeJS.ProcessEnv;
  /** Everything it printed so far (JSON log lines, stderr). */
  output(): string;
  /** An API call with (or, `auth: false`, without) the bearer token. */
  api(
    path: string,
    init?: { method?: string; body?: unknown; auth?: boolean },
  ): Promise<{ status: number; json: unknown }>;
  /** The sim's account (balances) through its REST API with its documented keys. */
  simBalances(): Promise<Balance[]>;
  /** Last trade price per market on the sim (its public ticker). */
  simPrices(): Promise<Map<string, number>>;
  /** Identifiers of the sim's orders placed by this system (`qts.…`), open and closed. */
  simOrderIdentifiers(): Promise<string[]>;
  /**
   * SIGTERM to the stack's own process (what `kill <pid>` or a service manager does), then waits for
   * `npm start` to exit; returns its exit code. (Ctrl+C signals npm too, which then dies by the signal
   * itself, so only this way tells the stack's own exit code.)
   */
  stop(): Promise<number | null>;
  /** The pids of the stack and its children at the last look (for orphan checks). */
  pids(): number[];
  /** What the stack file says now (the executor's pid and restarts change). */
  current(): StackInfo;
}

/** Options of {@link startStack}. */
export interface StartStackOptions {
  readonly stateDir: string;
  readonly token: string;
  readonly extraArgs?: readonly string[];
  /** More environment for the stack (e.g. Telegram pointed at a fake Bot API). */
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for `check` to return a value (polling), or throws `what` with the stack's output after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  output: () => string = () => '',
): Promise<T> {
  const by = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > by)
      throw new Error(
        `${what}: not within ${timeoutMs} ms\n--- stack output (tail) ---\n${output().slice(-6000)}`,
      );
    await sleep(1_000);
  }
}

/**
 * Starts the real `npm start -- --exchange sim` on free ports with its state in `stateDir`, JSON
 * logs, a ready file and its own stack and secrets files (never the developer's), and waits until it
 * says ready (the executor healthy).
 */
export async function startStack(options: StartStackOptions): Promise<StackProcess> {
  const readyFile = join(options.stateDir, 'ready.json');
  rmSync(readyFile, { force: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    QTS_API_TOKEN: options.token,
    QTS_STACK_FILE: join(options.stateDir, 'stack.json'),
    QTS_SECRETS_FILE: join(options.stateDir, 'secrets.json'),
  };
  for (const k of Object.keys(env)) if (k.startsWith('UPBIT_') || k.startsWith('TELEGRAM_')) delete env[k];
  Object.assign(env, options.env ?? {});
  const child: ChildProcess = spawn(
    'npm',
    [
      'start',
      '--',
      '--exchange',
      'sim',
      '--port',
      '0',
      '--state-dir',
      options.stateDir,
      '--ready-file',
      readyFile,
      '--json-logs',
      ...(options.extraArgs ?? []),
    ],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const info = await eventually(
    'the stack to be ready',
    async () => {
      if (done) throw new Error('exited');
      if (!existsSync(readyFile)) return undefined;
      return JSON.parse(readFileSync(readyFile, 'utf8')) as StackInfo;
    },
    options.readyTimeoutMs ?? 150_000,
    () => out,
  ).catch(async (error: unknown) => {
    if (!done) process.kill(-(child.pid ?? 0), 'SIGKILL');
    throw done ? new Error(`npm start exited before it was ready:\n${out.slice(-6000)}`) : error;
  });
  const sim = info.sim;
  const adapters =
    sim === undefined
      ? undefined
      : createUpbitAdapters({
          restUrl: sim.restUrl,
          wsUrl: sim.wsUrl,
          credentials: { accessKey: sim.accessKey, secretKey: new Secret(sim.secretKey) },
          clock: new SystemClock(),
        });
  const current = (): StackInfo => {
    try {
      return JSON.parse(readFileSync(join(options.stateDir, 'stack.json'), 'utf8')) as StackInfo;
    } catch {
      return info;
    }
  };
  let lastPids: number[] = [];
  const pids = (): number[] => {
    const now = current();
    const found = [now.pid, now.emulators.pid, now.executor.pid].filter((p): p is number => p !== undefined);
    if (found.length > 0) lastPids = found;
    return lastPids;
  };
  pids();
  return {
    info,
    env,
    output: () => out,
    api: async (path, init = {}) => {
      const res = await fetch(`${info.apiUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          ...(init.auth === false ? {} : { authorization: `Bearer ${options.token}` }),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      return { status: res.status, json: await res.json().catch(() => null) };
    },
    simBalances: async () => {
      if (adapters?.exchange === undefined) throw new Error('not a sim stack');
      return adapters.exchange.getAccounts();
    },
    simPrices: async () => {
      const res = await fetch(`${sim?.restUrl ?? ''}/ticker?markets=${info.markets.join(',')}`);
      const rows = (await res.json()) as { market: string; trade_price: number }[];
      return new Map(rows.map((r) => [r.market, r.trade_price]));
    },
    simOrderIdentifiers: async () => {
      const exchange = adapters?.exchange;
      if (exchange === undefined) throw new Error('not a sim stack');
      const open = await exchange.getOpenOrders();
      const closed = (
        await Promise.all(
          info.markets.map((m) => exchange.getClosedOrders({ market: m as never, limit: 100 })),
        )
      ).flat();
      return [...open, ...closed].map((o) => o.identifier ?? '').filter((i) => i.startsWith('qts.'));
    },
    stop: async () => {
      pids();
      const main = current().pid;
      if (!done && isAlive(main)) process.kill(main, 'SIGTERM');
      // Bounded: a stack that does not stop within a minute is killed (and the test fails on the code).
      const timer = setTimeout(() => {
        if (!done && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      }, 60_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    pids,
    current,
  };
}

/** The pids among `pids` still running (an orphan check after a stop). */
export async function survivors(pids: readonly number[], graceMs = 10_000): Promise<number[]> {
  const by = Date.now() + graceMs;
  for (;;) {
    const alive = pids.filter((p) => isAlive(p));
    if (alive.length === 0 || Date.now() > by) return alive;
    await sleep(250);
  }
}
