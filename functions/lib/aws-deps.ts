import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AwsConnection, awsConnectionFromEnv } from '../../shared/src/adapters/aws/aws-connection';
import { createDocumentClient } from '../../shared/src/adapters/dynamodb/dynamodb-client';
import { DynamoDbComponentStatusStore } from '../../shared/src/adapters/dynamodb/dynamodb-component-status-store';
import { DynamoDbEquityHistoryStore } from '../../shared/src/adapters/dynamodb/dynamodb-equity-history-store';
import { DynamoDbMarketDataStore } from '../../shared/src/adapters/dynamodb/dynamodb-market-data-store';
import { DynamoDbReportStore } from '../../shared/src/adapters/dynamodb/dynamodb-report-store';
import { DynamoDbStateStore } from '../../shared/src/adapters/dynamodb/dynamodb-state-store';
import { QueueAlertNotifier } from '../../shared/src/adapters/sqs/queue-alert-notifier';
import { createSqsClient } from '../../shared/src/adapters/sqs/sqs-client';
import { SqsFifoQueue } from '../../shared/src/adapters/sqs/sqs-fifo-queue';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import type { Clock } from '../../shared/src/ports/clock';
import { type Env, FunctionEnv, requireEnv } from './function-env';

/**
 * SDK clients live as long as the Lambda container: created on the first invocation, reused by the
 * warm ones (a new TLS connection per call would cost more than the work). Keyed by endpoint so tests
 * that point the same process at different emulators get their own.
 */
const documentClients = new Map<string, DynamoDBDocumentClient>();
const sqsClients = new Map<string, SQSClient>();

/**
 * The connection to one service: the endpoint from the environment, and, only when that points at an
 * emulator, the static credentials of the same environment (tests and the local stack pass their own
 * environment object; in AWS the SDK's default chain reads the role's credentials).
 */
export function connectionFromEnv(env: Env, endpointVariable: string): AwsConnection {
  const connection = awsConnectionFromEnv(env, endpointVariable);
  const id = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  if (connection.endpoint === undefined || id === undefined || secret === undefined) return connection;
  return { ...connection, credentials: { accessKeyId: id, secretAccessKey: secret } };
}

function documentClient(env: Env): DynamoDBDocumentClient {
  const connection = connectionFromEnv(env, 'AWS_ENDPOINT_URL_DYNAMODB');
  const key = `${connection.endpoint ?? ''}|${connection.region ?? ''}`;
  let client = documentClients.get(key);
  if (client === undefined) {
    client = createDocumentClient(connection);
    documentClients.set(key, client);
  }
  return client;
}

function sqsClient(env: Env): SQSClient {
  const connection = connectionFromEnv(env, 'AWS_ENDPOINT_URL_SQS');
  const key = `${connection.endpoint ?? ''}|${connection.region ?? ''}`;
  let client = sqsClients.get(key);
  if (client === undefined) {
    client = createSqsClient(connection);
    sqsClients.set(key, client);
  }
  return client;
}

/** The state table's name and client, for adapters and the idempotency layer. */
export function stateTable(env: Env): {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
} {
  return {
    client: documentClient(env),
    tableName: requireEnv(env, FunctionEnv.stateTable, 'the DynamoDB state table'),
  };
}

/** Every store on the one state table (single-table design, infra/README.md). */
export function tableStores(env: Env) {
  const table = stateTable(env);
  return {
    store: new DynamoDbStateStore(table),
    equity: new DynamoDbEquityHistoryStore(table),
    status: new DynamoDbComponentStatusStore(table),
    marketData: new DynamoDbMarketDataStore(table),
    reports: new DynamoDbReportStore(table),
  };
}

/**
 * One FIFO queue named by an environment variable of {@link FunctionEnv}; with `deadLetterVariable`,
 * also its dead-letter queue (for a consumer that dead-letters poison messages itself).
 */
export function fifoQueue(
  env: Env,
  variable: string,
  purpose: string,
  deadLetterVariable?: string,
): SqsFifoQueue {
  return new SqsFifoQueue({
    client: sqsClient(env),
    queueUrl: requireEnv(env, variable, purpose),
    ...(deadLetterVariable === undefined
      ? {}
      : { deadLetterQueueUrl: requireEnv(env, deadLetterVariable, `the dead-letter queue of ${purpose}`) }),
  });
}

/** The Notifier of every function: JSON alerts on the alert queue (the alerts function sends them). */
export function alertNotifier(env: Env): QueueAlertNotifier {
  return new QueueAlertNotifier(fifoQueue(env, FunctionEnv.alertQueueUrl, 'the SQS alert queue'));
}

/** The wall clock (a Lambda has no other). */
export const systemClock: Clock = new SystemClock();

/** Closes every cached client (tests and local runs; a Lambda container just freezes). */
export function closeClients(): void {
  for (const c of documentClients.values()) c.destroy();
  for (const c of sqsClients.values()) c.destroy();
  documentClients.clear();
  sqsClients.clear();
}
