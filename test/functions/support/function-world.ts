import type { Context } from 'aws-lambda';
import { closeClients } from '../../../functions/lib/aws-deps';
import type { Env } from '../../../functions/lib/function-env';
import { localLambdaContext } from '../../../functions/lib/local-invoke';
import { DynamoDbComponentStatusStore } from '../../../shared/src/adapters/dynamodb/dynamodb-component-status-store';
import { DynamoDbEquityHistoryStore } from '../../../shared/src/adapters/dynamodb/dynamodb-equity-history-store';
import { DynamoDbMarketDataStore } from '../../../shared/src/adapters/dynamodb/dynamodb-market-data-store';
import { DynamoDbReportStore } from '../../../shared/src/adapters/dynamodb/dynamodb-report-store';
import { DynamoDbStateStore } from '../../../shared/src/adapters/dynamodb/dynamodb-state-store';
import { SqsFifoQueue } from '../../../shared/src/adapters/sqs/sqs-fifo-queue';
import type { ControlCommand } from '../../../shared/src/application/messaging/control-command';
import { decodeControlMessage } from '../../../shared/src/application/messaging/message-envelope';
import { krw } from '../../../shared/src/domain/money/quantities';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { FifoQueue } from '../../../shared/src/ports/decision-queue';
import type { Alert } from '../../../shared/src/ports/notifier';
import { waitForEmulators } from '../../../shared/testing/emulators/emulator-endpoints';
import {
  createTestQueues,
  createTestTable,
  EMULATOR_CREDENTIALS,
} from '../../../shared/testing/emulators/provision';

/** Messages on a queue right now, acknowledged (the next call sees only newer ones). */
export async function drain(queue: FifoQueue): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const batch = await queue.receive({ maxMessages: 10, waitTimeMs: 0 });
    if (batch.length === 0) return out;
    for (const m of batch) {
      out.push(m.body);
      await queue.ack(m);
    }
  }
}

/**
 * A deployed stack in miniature: the state table and every queue from infra/resources on DynamoDB
 * Local and fauxqs, the environment serverless.yml would give the functions, and the real adapters
 * to seed state and read what a handler did.
 */
export async function functionWorld() {
  const endpoints = await waitForEmulators();
  const table = await createTestTable();
  const { client: sqs, queues } = await createTestQueues();
  const url = (id: string): string => {
    const q = queues[id];
    if (q === undefined) throw new Error(`sqs.yml lacks ${id}`);
    return q.url;
  };
  const env: Env = {
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    QTS_STATE_TABLE: table.tableName,
    QTS_DECISION_QUEUE_URL: url('DecisionQueue'),
    QTS_CONTROL_QUEUE_URL: url('ControlQueue'),
    QTS_ALERT_QUEUE_URL: url('AlertQueue'),
    QTS_ALERT_DLQ_URL: url('AlertDeadLetterQueue'),
    QTS_STAGE: 'test',
    // Quiet by default; tests that read the log lines raise it.
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  const tableConfig = { client: table.client, tableName: table.tableName };
  const controlQueue = new SqsFifoQueue({ client: sqs, queueUrl: url('ControlQueue') });
  const alertQueue = new SqsFifoQueue({ client: sqs, queueUrl: url('AlertQueue') });
  const alertDlq = new SqsFifoQueue({ client: sqs, queueUrl: url('AlertDeadLetterQueue') });
  return {
    env,
    table,
    store: new DynamoDbStateStore(tableConfig),
    equity: new DynamoDbEquityHistoryStore(tableConfig),
    status: new DynamoDbComponentStatusStore(tableConfig),
    reports: new DynamoDbReportStore(tableConfig),
    marketData: new DynamoDbMarketDataStore(tableConfig),
    decisionQueue: new SqsFifoQueue({ client: sqs, queueUrl: url('DecisionQueue') }),
    heartbeat: (at: number, healthy = true) =>
      new DynamoDbComponentStatusStore(tableConfig).putStatus({
        component: 'executor',
        at: at as EpochMs,
        healthy,
        summary: 'running',
        details: {},
      }),
    mark: (at: number, equity: string) =>
      new DynamoDbEquityHistoryStore(tableConfig).putPoint({
        at: at as EpochMs,
        equity: krw(equity),
        cash: krw(equity),
        holdings: krw('0'),
        unpriced: [],
      }),
    alerts: async (): Promise<Alert[]> => (await drain(alertQueue)).map((b) => JSON.parse(b) as Alert),
    /** The alert queue itself (the alerts function's source) and its dead-letter queue. */
    alertQueue,
    alertDlq,
    commands: async (): Promise<ControlCommand[]> =>
      (await drain(controlQueue)).map((b) => {
        const decoded = decodeControlMessage(b);
        if (!decoded.ok) throw new Error(decoded.reason);
        return decoded.message.command;
      }),
    context: (name: string): Context => localLambdaContext(`qts-test-${name}`),
    close: async () => {
      closeClients();
      sqs.destroy();
      await table.drop();
    },
  };
}

/** Captures what a handler writes (Powertools log lines: warnings and errors on stderr; EMF records). */
export function captureStdout(): { lines: () => Record<string, unknown>[]; restore: () => void } {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write.bind(s));
  for (const stream of streams)
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write;
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => {
      streams.forEach((s, i) => {
        s.write = originals[i] as typeof s.write;
      });
    },
  };
}
