import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** A spawned `node --import tsx executor/src/main.ts` as production runs it. */
export interface ChildExecutor {
  readonly process: ChildProcess;
  /** The ops port it printed. */
  readonly port: Promise<number>;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** Everything it wrote to stderr. */
  stderr(): string;
}

/** The parent's environment minus anything that could change what the executor does. */
export function cleanEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (
      v !== undefined &&
      !k.startsWith('QTS_') &&
      !k.startsWith('AWS_') &&
      !k.startsWith('UPBIT_') &&
      !k.startsWith('EXECUTOR_')
    )
      out[k] = v;
  return out;
}

/** Starts an executor child; its JSON log goes to `logFile` (appended). */
export function spawnExecutor(
  env: Record<string, string>,
  logFile: string,
  args: readonly string[] = [],
): ChildExecutor {
  const log = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'executor/src/main.ts', '--ops-port', '0', ...args],
    {
      cwd: ROOT,
      env: { ...cleanEnv(), ...env },
      stdio: ['ignore', log, 'pipe'],
    },
  );
  closeSync(log);
  let err = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /ops server on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m?.[1] !== undefined) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error(`executor exited before listening: ${err}`)));
  });
  port.catch(() => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { process: child, port, exited, stderr: () => err };
}

/** GET /healthz of a child, or undefined when it does not answer. */
export async function healthOf(
  port: number,
): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

/** A small seeded PRNG (mulberry32) so a crash schedule can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
