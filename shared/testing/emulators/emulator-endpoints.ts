import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Environment variable naming the file where the emulator child reports its endpoints. */
export const EMULATOR_STATE_ENV = 'QTS_EMULATOR_STATE_FILE';
/** Pid of the Jest main process; the emulators exit when it is gone, even after a crash. */
export const EMULATOR_OWNER_ENV = 'QTS_EMULATOR_OWNER_PID';

/** Endpoints of the running emulators. */
export interface EmulatorEndpoints {
  readonly dynamodb: string;
  readonly sqs: string;
}

type State =
  | { readonly status: 'ready'; readonly dynamodb: string; readonly sqs: string }
  | { readonly status: 'failed'; readonly error: string };

function readState(file: string): State | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    return text === '' ? undefined : (JSON.parse(text) as State);
  } catch {
    return undefined;
  }
}

/**
 * Starts the emulator child unless another worker of this run already did: the lock file is
 * created exclusively, so exactly one worker wins. The child is detached from the worker (workers
 * come and go) and owned by the Jest main process, whose teardown stops it.
 */
function startOnce(stateFile: string): void {
  const dir = dirname(stateFile);
  let lock: number;
  try {
    lock = openSync(join(dir, 'lock'), 'wx');
  } catch {
    return;
  }
  closeSync(lock);
  const log = openSync(join(dir, 'emulators.log'), 'a');
  const args = [join(__dirname, 'start-emulators.mjs'), '--state-file', stateFile];
  const owner = process.env[EMULATOR_OWNER_ENV];
  if (owner !== undefined) args.push('--owner-pid', owner);
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'ignore', log] });
  closeSync(log);
  if (child.pid !== undefined) writeFileSync(join(dir, 'pid'), String(child.pid));
  child.unref();
}

let ready: Promise<EmulatorEndpoints> | undefined;

/**
 * Starts (once per Jest run) and waits for DynamoDB Local and fauxqs, returning their endpoints.
 * A cold JVM on a busy machine can take tens of seconds, so call it from `beforeAll` with a long
 * timeout. Fails with the child's own error, e.g. the missing-Java hint, rather than timing out.
 */
export function waitForEmulators(timeoutMs = 120_000): Promise<EmulatorEndpoints> {
  ready ??= poll(timeoutMs);
  return ready;
}

/** Jest timeout for a `beforeAll` that waits for the emulators. */
export const EMULATOR_STARTUP_TIMEOUT_MS = 150_000;

async function poll(timeoutMs: number): Promise<EmulatorEndpoints> {
  const file = process.env[EMULATOR_STATE_ENV];
  if (file === undefined)
    throw new Error(
      `${EMULATOR_STATE_ENV} is not set: run the tests through jest (its globalSetup prepares the emulators)`,
    );
  if (readState(file) === undefined) startOnce(file);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = readState(file);
    if (state?.status === 'ready') return { dynamodb: state.dynamodb, sqs: state.sqs };
    if (state?.status === 'failed') throw new Error(`emulators failed to start: ${state.error}`);
    if (Date.now() > deadline)
      throw new Error(`emulators not ready after ${timeoutMs} ms (see ${dirname(file)})`);
    // Polls the state file the child writes once both emulators answer.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
