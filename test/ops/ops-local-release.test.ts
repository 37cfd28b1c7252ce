import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDbStateStore } from '../../shared/src/adapters/dynamodb/dynamodb-state-store';
import { FileSecrets, prepareLocalSecrets } from '../../shared/src/adapters/system/local-secrets';
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

const ROOT = join(__dirname, '..', '..');

let table: TestTable;
let queues: TestQueues;
let store: DynamoDbStateStore;
let dir: string;
let env: Record<string, string>;

function ops(args: readonly string[], extra: Record<string, string | undefined> = {}) {
  const childEnv: Record<string, string> = { ...env };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('npx', ['tsx', 'cli/ops.ts', ...args], { cwd: ROOT, env: childEnv }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  const endpoints = await waitForEmulators();
  table = await createTestTable();
  queues = await createTestQueues();
  store = new DynamoDbStateStore({ client: table.client, tableName: table.tableName });
  dir = mkdtempSync(join(tmpdir(), 'qts-secrets-'));
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('QTS_') && !k.startsWith('AWS_') && !k.startsWith('UPBIT_'))
      base[k] = v;
  env = {
    ...base,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    QTS_STATE_TABLE: table.tableName,
    QTS_CONTROL_QUEUE_URL: queues.queues.ControlQueue?.url ?? '',
    QTS_SECRETS_FILE: join(dir, 'local-secrets.json'),
  };
}, EMULATOR_STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await table?.drop();
  queues?.client.destroy();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('npm run ops -- release against a local stack (no SSM)', () => {
  it('checks the token against the secrets file the local stack wrote, without the SDK notice', async () => {
    const stack = prepareLocalSecrets({}, env.QTS_SECRETS_FILE);
    expect(stack.generated).toBe(true);
    expect(await (await stack.secrets.get('QTS_API_TOKEN'))?.reveal()).toBe(stack.apiToken.reveal());
    expect((await new FileSecrets(env.QTS_SECRETS_FILE as string).get('QTS_API_TOKEN'))?.reveal()).toBe(
      stack.apiToken.reveal(),
    );
    const stop = await ops(['emergency-stop', '--reason', 'local test', '--actor', 'ops-tester']);
    expect(stop.code).toBe(0);
    expect(stop.stderr).not.toContain('NodeVersionSupportWarning');
    const wrong = await ops(['release', '--reason', 'try', '--actor', 'mallory'], { QTS_API_TOKEN: 'guess' });
    expect(wrong.code).toBe(3);
    expect((await store.getControl()).latch).toBeDefined();
    const right = await ops(['release', '--reason', 'reviewed locally', '--actor', 'ops-tester'], {
      QTS_API_TOKEN: stack.apiToken.reveal(),
    });
    expect(right.stderr).toBe('');
    expect(right.code).toBe(0);
    expect(right.stdout).toContain('RELEASED by ops-tester');
    expect((await store.getControl()).latch).toBeUndefined();
    expect(`${wrong.stdout}${wrong.stderr}${right.stdout}`).not.toContain(stack.apiToken.reveal());
  }, 120_000);

  it('keeps an explicit QTS_API_TOKEN and refuses a secrets file others can read', async () => {
    const path = join(dir, 'explicit.json');
    const stack = prepareLocalSecrets({ QTS_API_TOKEN: 'my-own-token' }, path);
    expect(stack.generated).toBe(false);
    expect(stack.apiToken.reveal()).toBe('my-own-token');
    chmodSync(path, 0o644);
    await ops(['emergency-stop', '--reason', 'again', '--actor', 'ops-tester']);
    const refused = await ops(['release', '--reason', 'x', '--actor', 'ops-tester'], {
      QTS_API_TOKEN: 'my-own-token',
      QTS_SECRETS_FILE: path,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`chmod 600 ${path}`);
    const missing = await ops(['release', '--reason', 'x', '--actor', 'ops-tester'], {
      QTS_API_TOKEN: 'my-own-token',
      QTS_SECRETS_FILE: join(dir, 'absent.json'),
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no operator token is configured');
    writeFileSync(join(dir, 'broken.json'), 'not json', { mode: 0o600 });
    const broken = await ops(['release', '--reason', 'x', '--actor', 'ops-tester'], {
      QTS_API_TOKEN: 'my-own-token',
      QTS_SECRETS_FILE: join(dir, 'broken.json'),
    });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('not valid JSON');
  }, 120_000);
});
