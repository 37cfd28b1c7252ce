import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDbStateStore } from '../../shared/src/adapters/dynamodb/dynamodb-state-store';
import { SqsFifoQueue } from '../../shared/src/adapters/sqs/sqs-fifo-queue';
import {
  type ControlMessage,
  decodeControlMessage,
} from '../../shared/src/application/messaging/message-envelope';
import {
  EMULATOR_STARTUP_TIMEOUT_MS,
  waitForEmulators,
} from '../../shared/testing/emulators/emulator-endpoints';
import {
  createTestQueues,
  createTestTable,
  EMULATOR_CREDENTIALS,
  type TestQueues,
  type TestTable,
} from '../../shared/testing/emulators/provision';
import { type FakeSsmServer, startFakeSsm } from '../../shared/testing/fake-ssm-server';

const ROOT = join(__dirname, '..', '..');
const TOKEN = 'operator-token-for-tests';
const SSM_PREFIX = '/qts/ops-test';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let table: TestTable;
let queues: TestQueues;
let ssm: FakeSsmServer;
let store: DynamoDbStateStore;
let control: SqsFifoQueue;
let env: Record<string, string>;

/** The parent's environment without any QTS_* setting that could change what the CLI does. */
function cleanEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('QTS_') && !k.startsWith('AWS_') && !k.startsWith('UPBIT_'))
      out[k] = v;
  return out;
}

function ops(args: readonly string[], extra: Record<string, string | undefined> = {}): Promise<Run> {
  const childEnv: Record<string, string> = { ...env };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'cli/ops.ts', ...args], { cwd: ROOT, env: childEnv }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Everything on the control queue now, acked so the FIFO group is free for the next command. */
async function drainControl(): Promise<ControlMessage[]> {
  const got: ControlMessage[] = [];
  for (;;) {
    const batch = await control.receive({ maxMessages: 10, waitTimeMs: 1_000 });
    if (batch.length === 0) return got;
    for (const m of batch) {
      const decoded = decodeControlMessage(m.body);
      if (!decoded.ok) throw new Error(decoded.reason);
      got.push(decoded.message);
      await control.ack(m);
    }
  }
}

beforeAll(async () => {
  const endpoints = await waitForEmulators();
  table = await createTestTable();
  queues = await createTestQueues();
  ssm = await startFakeSsm({ [`${SSM_PREFIX}/QTS_API_TOKEN`]: TOKEN });
  const queueUrl = queues.queues.ControlQueue?.url;
  if (queueUrl === undefined) throw new Error('sqs.yml has no ControlQueue');
  store = new DynamoDbStateStore({ client: table.client, tableName: table.tableName });
  control = new SqsFifoQueue({ client: queues.client, queueUrl });
  env = {
    ...cleanEnv(),
    // Never the developer's running `npm start` (ops finds it through .qts/stack.json otherwise).
    QTS_STACK_FILE: join(tmpdir(), 'qts-ops-cli-test-no-stack.json'),
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    QTS_STATE_TABLE: table.tableName,
    QTS_CONTROL_QUEUE_URL: queueUrl,
    QTS_SSM_PREFIX: SSM_PREFIX,
  };
}, EMULATOR_STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await table?.drop();
  queues?.client.destroy();
  await ssm?.close();
});

describe('npm run ops (spawned against DynamoDB Local, fauxqs and a fake SSM)', () => {
  it('prints help for every command and names a missing variable', async () => {
    for (const command of ['status', 'emergency-stop', 'close-all', 'release']) {
      const help = await ops([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Exit codes');
    }
    const missing = await ops(['status'], { QTS_STATE_TABLE: undefined });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('QTS_STATE_TABLE is not set');
    const noQueue = await ops(['emergency-stop', '--reason', 'x'], { QTS_CONTROL_QUEUE_URL: undefined });
    expect(noQueue.code).toBe(2);
    expect(noQueue.stderr).toContain('QTS_CONTROL_QUEUE_URL is not set');
    expect((await store.getControl()).latch).toBeUndefined();
  }, 120_000);

  it('latches once with one audit entry and one control message, even when run twice', async () => {
    const first = await ops(['emergency-stop', '--reason', 'manual test stop', '--actor', 'alice', '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      outcome: 'set',
      latch: { state: 'reducing', actor: 'alice' },
    });
    const again = await ops(['emergency-stop', '--reason', 'pressed again', '--actor', 'alice', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      outcome: 'unchanged',
      latch: { reason: 'manual test stop' },
    });

    const latch = (await store.getControl()).latch;
    expect(latch).toMatchObject({
      state: 'reducing',
      trigger: 'manual',
      actor: 'alice',
      reason: 'manual test stop',
    });
    const audit = await store.listAudit({ limit: 10 });
    // One latch; both requests are audited as triggers (the auto-release rule reads them back).
    expect(audit.map((a) => a.action)).toEqual(['emergency_trigger', 'emergency_trigger', 'emergency_latch']);
    const messages = await drainControl();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      producer: 'cli',
      command: { kind: 'emergency_stop', state: 'reducing', actor: 'alice', reason: 'manual test stop' },
    });

    const status = await ops(['status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      tradingState: 'reducing',
      latch: { state: 'reducing', actor: 'alice', reason: 'manual test stop' },
      audit: [
        { action: 'emergency_trigger', actor: 'alice' },
        { action: 'emergency_trigger' },
        { action: 'emergency_latch' },
      ],
    });
  }, 120_000);

  it('escalates to halted with --halt and tells the executor', async () => {
    const run = await ops(['emergency-stop', '--halt', '--reason', 'worse', '--actor', 'alice', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'escalated', latch: { state: 'halted' } });
    const messages = await drainControl();
    expect(messages.map((m) => m.command)).toEqual([
      expect.objectContaining({ kind: 'emergency_stop', state: 'halted' }),
    ]);
  }, 120_000);

  it('refuses a release without a token or with a wrong one, and the latch stays', async () => {
    const before = (await store.getControl()).latch;
    const none = await ops(['release', '--reason', 'try', '--actor', 'mallory'], {
      QTS_API_TOKEN: undefined,
    });
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('refused (unauthenticated)');
    const wrong = await ops(['release', '--reason', 'try', '--actor', 'mallory', '--json'], {
      QTS_API_TOKEN: 'not-the-token',
    });
    expect(wrong.code).toBe(3);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, refusal: 'unauthenticated' });
    expect(`${none.stdout}${none.stderr}${wrong.stdout}${wrong.stderr}`).not.toContain(TOKEN);
    expect((await store.getControl()).latch).toEqual(before);
    const refused = (await store.listAudit({ limit: 10 })).filter(
      (a) => a.action === 'emergency_release_refused',
    );
    expect(refused).toHaveLength(2);
    expect(await drainControl()).toHaveLength(0);
  }, 120_000);

  it('releases with the configured token, records who and why, and status shows it', async () => {
    const run = await ops(['release', '--reason', 'limits reviewed', '--actor', 'bob'], {
      QTS_API_TOKEN: TOKEN,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('RELEASED by bob');
    expect((await store.getControl()).latch).toBeUndefined();
    const [latest] = await store.listAudit({ limit: 1 });
    expect(latest).toMatchObject({
      actor: 'bob',
      action: 'emergency_release',
      details: { reason: 'limits reviewed', releasedState: 'halted', releasedReason: 'manual test stop' },
    });
    const messages = await drainControl();
    expect(messages.map((m) => m.command)).toEqual([
      expect.objectContaining({ kind: 'release_emergency', actor: 'bob', reason: 'limits reviewed' }),
    ]);
    const status = await ops(['status', '--json', '--limit', '1']);
    expect(JSON.parse(status.stdout)).toMatchObject({
      tradingState: 'running',
      latch: null,
      audit: [{ action: 'emergency_release', actor: 'bob' }],
    });
    const again = await ops(['release', '--reason', 'again', '--actor', 'bob'], { QTS_API_TOKEN: TOKEN });
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('not_latched');
  }, 120_000);

  it('close-all latches reducing and sends close_all', async () => {
    const run = await ops(['close-all', '--reason', 'flatten now', '--actor', 'carol', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'set', latch: { state: 'reducing' } });
    const messages = await drainControl();
    expect(messages.map((m) => m.command)).toEqual([
      expect.objectContaining({ kind: 'close_all', actor: 'carol', reason: 'flatten now' }),
    ]);
  }, 120_000);
});
