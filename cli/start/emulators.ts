import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient } from '../../shared/src/adapters/dynamodb/dynamodb-client';
import {
  EMULATOR_CREDENTIALS,
  provisionQueues,
  provisionTable,
} from '../../shared/testing/emulators/provision';
import type { LogStream } from './log-stream';
import { REPO_ROOT } from './stack-file';

/** Region the local stack's clients use (any works on the emulators; this one is Upbit's home). */
export const LOCAL_REGION = 'ap-northeast-2';
/** Stands in for `${self:service}-${sls:stage}` in resource names (serverless.yml's `local` stage). */
export const LOCAL_PREFIX = 'qts-local';

/** The emulators, provisioned: what the executor, the functions and the ops CLI are pointed at. */
export interface RunningEmulators {
  readonly pid: number | undefined;
  /** AWS_ENDPOINT_URL_*, credentials, table and every queue URL, by their environment names. */
  readonly env: Readonly<Record<string, string>>;
  /** Resolves when the emulator process exits (on its own: a failure the stack cannot run without). */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

const ENV_OF_QUEUE: Readonly<Record<string, string>> = {
  DecisionQueue: 'QTS_DECISION_QUEUE_URL',
  DecisionDeadLetterQueue: 'QTS_DECISION_DLQ_URL',
  ControlQueue: 'QTS_CONTROL_QUEUE_URL',
  ControlDeadLetterQueue: 'QTS_CONTROL_DLQ_URL',
  AlertQueue: 'QTS_ALERT_QUEUE_URL',
  AlertDeadLetterQueue: 'QTS_ALERT_DLQ_URL',
};

/** Sends `signal` to the child's whole process group (the JVM is a grandchild), ignoring a gone group. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** Waits for the child to exit, escalating to SIGKILL (of its group) after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts DynamoDB Local (data in `<stateDir>/dynamodb`, so history survives a restart) and fauxqs
 * (in memory: the queues are recreated on every start) in their own process group, and provisions
 * the table and the queues from infra/resources exactly as deployed (an existing table is kept). The
 * child watches its stdin: if this process dies without stopping it, it stops itself.
 */
export async function startEmulators(stateDir: string, logs: LogStream): Promise<RunningEmulators> {
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'shared', 'testing', 'emulators', 'start-emulators.mjs'),
      '--db-path',
      join(stateDir, 'dynamodb'),
      '--watch-stdin',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], detached: true, cwd: REPO_ROOT },
  );
  logs.follow('emulators', child.stderr);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const first = await new Promise<string | undefined>((resolve) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', () => resolve(undefined));
  });
  child.stdout.resume();
  const ready = (first === undefined ? {} : JSON.parse(first)) as {
    status?: string;
    dynamodb?: string;
    sqs?: string;
    error?: string;
  };
  const stop = () => stopChild(child, 10_000);
  if (ready.status !== 'ready' || ready.dynamodb === undefined || ready.sqs === undefined) {
    await stop();
    throw new Error(`the emulators did not start: ${ready.error ?? 'their process exited'}`);
  }
  const connection = { endpoint: ready.dynamodb, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS };
  const db = createDocumentClient(connection);
  const sqs = new SQSClient({
    endpoint: ready.sqs,
    region: LOCAL_REGION,
    credentials: { ...EMULATOR_CREDENTIALS },
  });
  const tableName = `${LOCAL_PREFIX}-state`;
  try {
    await provisionTable(db, tableName, { keepExisting: true });
    const queues = await provisionQueues(sqs, LOCAL_PREFIX);
    const env: Record<string, string> = {
      AWS_ENDPOINT_URL_DYNAMODB: ready.dynamodb,
      AWS_ENDPOINT_URL_SQS: ready.sqs,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      QTS_STATE_TABLE: tableName,
    };
    for (const [id, q] of Object.entries(queues)) {
      const name = ENV_OF_QUEUE[id];
      if (name !== undefined) env[name] = q.url;
    }
    return { pid: child.pid, env, exited, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    db.destroy();
    sqs.destroy();
  }
}
