import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../src/adapters/dynamodb/dynamodb-client';
import {
  loadCfnResources,
  queueAttributesFromCfn,
  queueDependencies,
  resourcesOfType,
  tableFromCfn,
} from './cloudformation-resources';
import { waitForEmulators } from './emulator-endpoints';

/** Emulators accept any credentials; the SDK still wants some. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** The deployed template files, the single source of truth for tables and queues. */
export const DYNAMODB_TEMPLATE = 'infra/resources/dynamodb.yml';
/** See {@link DYNAMODB_TEMPLATE}. */
export const SQS_TEMPLATE = 'infra/resources/sqs.yml';

/** A unique stand-in for the serverless `${self:service}-${sls:stage}` prefix, so tests never share state. */
function uniquePrefix(): string {
  return `qts-t${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

function resolveName(template: string, prefix: string): string {
  return template.replace(/\$\{self:service\}-\$\{sls:stage\}/, prefix).replace(/\$\{self:service\}/g, 'qts');
}

/** A freshly created state table on DynamoDB Local. */
export interface TestTable {
  readonly tableName: string;
  readonly client: DynamoDBDocumentClient;
  drop(): Promise<void>;
}

/**
 * Creates the `AWS::DynamoDB::Table` of dynamodb.yml as `tableName` (keys, GSIs, billing, TTL as
 * deployed). With `keepExisting`, a table that already exists (a persistent local stack) is left alone.
 */
export async function provisionTable(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: { readonly keepExisting?: boolean } = {},
): Promise<void> {
  const tables = resourcesOfType(loadCfnResources(DYNAMODB_TEMPLATE), 'AWS::DynamoDB::Table');
  const [, properties] = tables[0] ?? [];
  if (tables.length !== 1 || properties === undefined)
    throw new Error(`${DYNAMODB_TEMPLATE} must define exactly one table, found ${tables.length}`);
  const { input, ttlAttribute } = tableFromCfn(properties, tableName);
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if (options.keepExisting === true && (error as { name?: string }).name === 'ResourceInUseException')
      return;
    throw error;
  }
  if (ttlAttribute !== undefined)
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      }),
    );
}

/** Creates the state table of dynamodb.yml under a unique name on the test run's DynamoDB Local. */
export async function createTestTable(): Promise<TestTable> {
  const { dynamodb } = await waitForEmulators();
  const client = createDocumentClient({
    endpoint: dynamodb,
    region: 'us-east-1',
    credentials: EMULATOR_CREDENTIALS,
  });
  const tableName = `${uniquePrefix()}-state`;
  await provisionTable(client, tableName);
  return {
    tableName,
    client,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
    },
  };
}

/** One created queue. */
export interface TestQueue {
  readonly url: string;
  readonly arn: string;
  /** From the template's RedrivePolicy; undefined for a dead-letter queue. */
  readonly maxReceiveCount: number | undefined;
  /** Logical id of the dead-letter queue it redrives to. */
  readonly deadLetterLogicalId: string | undefined;
}

/** All queues of sqs.yml by logical id, plus a client for fauxqs. */
export interface TestQueues {
  readonly client: SQSClient;
  readonly queues: Readonly<Record<string, TestQueue>>;
}

/** An SQS client for fauxqs. */
export async function createSqsTestClient(): Promise<SQSClient> {
  const { sqs } = await waitForEmulators();
  return new SQSClient({ endpoint: sqs, region: 'us-east-1', credentials: { ...EMULATOR_CREDENTIALS } });
}

/** Creates every `AWS::SQS::Queue` of sqs.yml under unique names on the test run's fauxqs. */
export async function createTestQueues(): Promise<TestQueues> {
  const client = await createSqsTestClient();
  return { client, queues: await provisionQueues(client, uniquePrefix()) };
}

/**
 * Creates every `AWS::SQS::Queue` of sqs.yml with `${self:service}-${sls:stage}` replaced by
 * `prefix`, dead-letter queues first (CreateQueue is idempotent for identical attributes).
 */
export async function provisionQueues(client: SQSClient, prefix: string): Promise<Record<string, TestQueue>> {
  const pending = new Map(resourcesOfType(loadCfnResources(SQS_TEMPLATE), 'AWS::SQS::Queue'));
  const created: Record<string, TestQueue> = {};
  while (pending.size > 0) {
    const ready = [...pending].filter(([, p]) => queueDependencies(p).every((d) => created[d] !== undefined));
    if (ready.length === 0) throw new Error(`${SQS_TEMPLATE}: redrive targets form a cycle or are missing`);
    for (const [logicalId, properties] of ready) {
      const arnOf = (id: string): string => {
        const target = created[id];
        if (target === undefined) throw new Error(`unknown dead-letter queue ${id}`);
        return target.arn;
      };
      const name = resolveName(String(properties.QueueName ?? logicalId), prefix);
      const { QueueUrl } = await client.send(
        new CreateQueueCommand({ QueueName: name, Attributes: queueAttributesFromCfn(properties, arnOf) }),
      );
      if (QueueUrl === undefined) throw new Error(`CreateQueue returned no URL for ${name}`);
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      const arn = Attributes?.QueueArn;
      if (arn === undefined) throw new Error(`no ARN for ${name}`);
      const policy = properties.RedrivePolicy as { maxReceiveCount?: number } | undefined;
      const [dlq] = queueDependencies(properties);
      created[logicalId] = {
        url: QueueUrl,
        arn,
        maxReceiveCount: policy?.maxReceiveCount,
        deadLetterLogicalId: dlq,
      };
      pending.delete(logicalId);
    }
  }
  return created;
}

/**
 * The environment an executor process needs to use the test run's emulators, the given table and
 * the decision and control queues (with their dead-letter queues), as the VM's environment file
 * names them; without the alert queue, so alerts go to the process's own notifier unless a caller
 * adds `QTS_ALERT_QUEUE_URL`. One place for every test and benchmark that spawns an executor.
 */
export function emulatorProcessEnv(
  endpoints: { readonly dynamodb: string; readonly sqs: string },
  table: Pick<TestTable, 'tableName'>,
  queues: Pick<TestQueues, 'queues'>,
): Record<string, string> {
  const url = (id: string): string => {
    const queue = queues.queues[id];
    if (queue === undefined) throw new Error(`${SQS_TEMPLATE} has no ${id}`);
    return queue.url;
  };
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    QTS_STATE_TABLE: table.tableName,
    QTS_DECISION_QUEUE_URL: url('DecisionQueue'),
    QTS_DECISION_DLQ_URL: url('DecisionDeadLetterQueue'),
    QTS_CONTROL_QUEUE_URL: url('ControlQueue'),
    QTS_CONTROL_DLQ_URL: url('ControlDeadLetterQueue'),
  };
}
