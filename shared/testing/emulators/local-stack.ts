import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient } from '../../src/adapters/dynamodb/dynamodb-client';
import { REPO_ROOT } from './cloudformation-resources';
import { EMULATOR_CREDENTIALS, provisionQueues, provisionTable } from './provision';

const HELP = `Usage: tsx shared/testing/emulators/local-stack.ts [options]

Runs DynamoDB Local and fauxqs (SQS) for local development, creates the state table and the queues
from infra/resources/*.yml (as deployed), prints the environment for the executor and functions,
and keeps running until Ctrl+C. DynamoDB data persists in --data-dir; queues live in memory.

Options:
  --dynamodb-port <n>  DynamoDB Local port (default 8000)
  --sqs-port <n>       fauxqs port (default 4566)
  --data-dir <dir>     DynamoDB Local data directory (default .qts/dynamodb-data)
  --stage <name>       stands in for the serverless stage in resource names (default local)
  --json               print one JSON object with endpoints and resource names, nothing else
  -h, --help           show this help
`;

/** What the local stack provides, as printed with --json. */
export interface LocalStack {
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly tableName: string;
  readonly queueUrls: Readonly<Record<string, string>>;
}

interface Ready {
  readonly status: 'ready' | 'failed';
  readonly dynamodb?: string;
  readonly sqs?: string;
  readonly error?: string;
}

function environment(stack: LocalStack): string[] {
  const q = stack.queueUrls;
  return [
    `export AWS_ENDPOINT_URL_DYNAMODB=${stack.dynamodbEndpoint}`,
    `export AWS_ENDPOINT_URL_SQS=${stack.sqsEndpoint}`,
    `export AWS_ACCESS_KEY_ID=${EMULATOR_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${EMULATOR_CREDENTIALS.secretAccessKey}`,
    `export QTS_STATE_TABLE=${stack.tableName}`,
    `export QTS_DECISION_QUEUE_URL=${q.DecisionQueue ?? ''}`,
    `export QTS_DECISION_DLQ_URL=${q.DecisionDeadLetterQueue ?? ''}`,
    `export QTS_CONTROL_QUEUE_URL=${q.ControlQueue ?? ''}`,
    `export QTS_CONTROL_DLQ_URL=${q.ControlDeadLetterQueue ?? ''}`,
    `export QTS_ALERT_QUEUE_URL=${q.AlertQueue ?? ''}`,
    `export QTS_ALERT_DLQ_URL=${q.AlertDeadLetterQueue ?? ''}`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'dynamodb-port': { type: 'string', default: '8000' },
      'sqs-port': { type: 'string', default: '4566' },
      'data-dir': { type: 'string', default: join(REPO_ROOT, '.qts', 'dynamodb-data') },
      stage: { type: 'string', default: 'local' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const child = spawn(
    process.execPath,
    [
      join(__dirname, 'start-emulators.mjs'),
      '--db-path',
      values['data-dir'],
      '--dynamodb-port',
      values['dynamodb-port'],
      '--sqs-port',
      values['sqs-port'],
      '--watch-stdin',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const stop = (): void => {
    child.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const [line] = await new Promise<string[]>((resolve) => {
    createInterface({ input: child.stdout }).once('line', (l) => resolve([l]));
    child.once('exit', () => resolve([]));
  });
  const ready = (
    line === undefined ? { status: 'failed', error: 'emulators exited' } : JSON.parse(line)
  ) as Ready;
  if (ready.status !== 'ready' || ready.dynamodb === undefined || ready.sqs === undefined) {
    process.stderr.write(`local-stack: ${ready.error ?? 'emulators failed to start'}\n`);
    process.exitCode = 1;
    stop();
    return;
  }
  const prefix = `qts-${values.stage}`;
  const tableName = `${prefix}-state`;
  const db = createDocumentClient({
    endpoint: ready.dynamodb,
    region: 'ap-northeast-2',
    credentials: EMULATOR_CREDENTIALS,
  });
  await provisionTable(db, tableName, { keepExisting: true });
  const sqs = new SQSClient({
    endpoint: ready.sqs,
    region: 'ap-northeast-2',
    credentials: { ...EMULATOR_CREDENTIALS },
  });
  const queues = await provisionQueues(sqs, prefix);
  const stack: LocalStack = {
    dynamodbEndpoint: ready.dynamodb,
    sqsEndpoint: ready.sqs,
    tableName,
    queueUrls: Object.fromEntries(Object.entries(queues).map(([id, q]) => [id, q.url])),
  };
  if (values.json) process.stdout.write(`${JSON.stringify(stack)}\n`);
  else
    process.stdout.write(
      [
        'Local AWS emulators are running (Ctrl+C stops them).',
        `  DynamoDB Local  ${stack.dynamodbEndpoint}  data in ${values['data-dir']}`,
        `  SQS (fauxqs)    ${stack.sqsEndpoint}  in memory: queues are recreated on every start`,
        '',
        'Environment for the executor, the functions and the CLI:',
        ...environment(stack).map((l) => `  ${l}`),
        '',
      ].join('\n'),
    );
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
}

main().catch((error: unknown) => {
  process.stderr.write(`local-stack: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
