import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root (where `.qts/` lives). */
export const REPO_ROOT = resolve(__dirname, '..', '..');

/** Environment variable pointing `npm start` and `npm run ops` at another stack file. */
export const STACK_FILE_ENV = 'QTS_STACK_FILE';

/** Where a running `npm start` describes itself unless QTS_STACK_FILE says otherwise. */
export const DEFAULT_STACK_FILE = join(REPO_ROOT, '.qts', 'stack.json');

/** The path of the stack file for this environment. */
export function stackFilePath(env: Readonly<Record<string, string | undefined>>): string {
  const given = env[STACK_FILE_ENV];
  return given === undefined || given.trim() === '' ? DEFAULT_STACK_FILE : resolve(given);
}

/**
 * What a running local stack tells other local processes (`status` is `starting` until the executor
 * is healthy or two minutes passed, then `ready`; the `--ready-file` is written at that moment) (the ops CLI, the reliability tests, a
 * developer's shell): where its emulators, queues, API, sim and executor are. Never a secret: the
 * API token stays in the secrets file (mode 0600) it names; the AWS credentials are the emulators'
 * dummy ones.
 */
export interface StackInfo {
  readonly pid: number;
  readonly status: 'starting' | 'ready' | 'stopping';
  readonly startedAt: string;
  readonly stateDir: string;
  readonly exchange: 'upbit' | 'sim';
  readonly mode: 'paper' | 'live';
  readonly markets: readonly string[];
  readonly apiUrl: string;
  readonly dashboardUrl: string;
  /** The environment the executor, the functions and `npm run ops` use to reach this stack. */
  readonly env: Readonly<Record<string, string>>;
  readonly emulators: { readonly pid: number | undefined };
  readonly executor: {
    readonly pid: number | undefined;
    readonly opsUrl: string;
    readonly restarts: number;
    /** Whether it answered /healthz 200 by the time the stack said ready (two minutes at most). */
    readonly healthy?: boolean;
  };
  /** The fake exchange (`--exchange sim`): its URLs and its documented, non-secret sim keys. */
  readonly sim?: {
    readonly restUrl: string;
    readonly wsUrl: string;
    readonly controlUrl: string | undefined;
    readonly accessKey: string;
    readonly secretKey: string;
  };
}

/** Writes the file atomically (readers never see half of it), private to the user. */
export function writeJsonFile(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

/** True when a process with this pid exists (signal 0 probes without touching it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What the stack file says, and whether the stack it describes is still running. */
export type StackLookup =
  | { readonly kind: 'running'; readonly info: StackInfo }
  | { readonly kind: 'stale'; readonly info: StackInfo }
  | { readonly kind: 'none' };

/** Reads the stack file; a stack whose process is gone (killed, machine rebooted) is `stale`. */
export function readStackFile(path: string): StackLookup {
  if (!existsSync(path)) return { kind: 'none' };
  let info: StackInfo;
  try {
    info = JSON.parse(readFileSync(path, 'utf8')) as StackInfo;
  } catch {
    return { kind: 'none' };
  }
  return typeof info.pid === 'number' && isAlive(info.pid)
    ? { kind: 'running', info }
    : { kind: 'stale', info };
}

/** Removes the stack file if it still describes this process (another stack may have taken over). */
export function removeStackFile(path: string, pid: number = process.pid): void {
  const found = readStackFile(path);
  if (found.kind !== 'none' && found.info.pid !== pid) return;
  rmSync(path, { force: true });
}

/** Another `npm start` already uses the state directory. */
export class StateDirBusyError extends Error {
  override readonly name = 'StateDirBusyError';
}

/**
 * Takes the state directory for this process: DynamoDB Local must never open the same data twice.
 * A lock left by a process that is gone (killed) is taken over. Returns the release function.
 */
export function lockStateDir(stateDir: string): () => void {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, 'stack.lock');
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid))
      throw new StateDirBusyError(
        `another npm start (pid ${pid}) is using ${stateDir}: stop it first (Ctrl+C in its terminal, or kill ${pid}), or pass --state-dir DIR`,
      );
    rmSync(path, { force: true });
  }
  writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
  return () => {
    try {
      if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path, { force: true });
    } catch {
      // already gone
    }
  };
}
