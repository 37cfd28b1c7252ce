import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDbStateStore } from '../../../shared/src/adapters/dynamodb/dynamodb-state-store';
import { SqsFifoQueue } from '../../../shared/src/adapters/sqs/sqs-fifo-queue';
import { encodeDecisionMessage } from '../../../shared/src/application/messaging/message-envelope';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import type { EmulatorEndpoints } from '../../../shared/testing/emulators/emulator-endpoints';
import {
  createTestQueues,
  createTestTable,
  emulatorProcessEnv,
  type TestQueues,
  type TestTable,
} from '../../../shared/testing/emulators/provision';
import { type FakeTelegramServer, startFakeTelegram } from '../../../shared/testing/fake-telegram-server';
import { type CapturedLogs, FAKE_SECRETS } from './captured-logs';
import { type SimProcess, type SimProcessOptions, startSimProcess } from './sim-process';

/** A sim process, a fresh state table and queues, a fake Telegram, and the executor's environment. */
export interface TradingWorld {
  readonly sim: SimProcess;
  readonly table: TestTable;
  readonly queues: TestQueues;
  readonly store: DynamoDbStateStore;
  readonly decisionQueue: SqsFifoQueue;
  readonly decisionDlq: SqsFifoQueue;
  readonly alertQueue: SqsFifoQueue;
  readonly telegram: FakeTelegramServer;
  readonly dir: string;
  /** Everything an executor child (or a function handler) needs to reach the above. */
  readonly env: Record<string, string>;
  queueUrl(logicalId: string): string;
  /** Sends a decision; `dedupSuffix` makes SQS deliver another copy (a producer retry). */
  sendDecision(decision: Decision, options?: { dedupSuffix?: string; sentAt?: number }): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds one isolated world per category: its own sim account (so balance audits see only this
 * category's trading), table and queues. Settings common to every executor of the campaign are in
 * `env`: paper orders on the sim (`paperVenue: sim`), the fake secrets as keys and tokens, alerts to
 * the fake Telegram.
 */
export async function tradingWorld(
  endpoints: EmulatorEndpoints,
  logs: CapturedLogs,
  name: string,
  sim: Omit<SimProcessOptions, 'logFile'>,
): Promise<TradingWorld> {
  const simProcess = await startSimProcess({ ...sim, logFile: logs.file(`${name}-sim`) });
  const table = await createTestTable();
  const queues = await createTestQueues();
  const telegram = await startFakeTelegram();
  const queueUrl = (id: string): string => {
    const url = queues.queues[id]?.url;
    if (url === undefined) throw new Error(`sqs.yml has no ${id}`);
    return url;
  };
  const decisionQueue = new SqsFifoQueue({
    client: queues.client,
    queueUrl: queueUrl('DecisionQueue'),
    deadLetterQueueUrl: queueUrl('DecisionDeadLetterQueue'),
  });
  const dir = mkdtempSync(join(tmpdir(), `qts-reliability-${name}-`));
  const env: Record<string, string> = {
    ...emulatorProcessEnv(endpoints, table, queues),
    QTS_ALERT_QUEUE_URL: queueUrl('AlertQueue'),
    QTS_ALERT_DLQ_URL: queueUrl('AlertDeadLetterQueue'),
    UPBIT_REST_URL: simProcess.restUrl,
    UPBIT_WS_URL: simProcess.wsUrl,
    UPBIT_ACCESS_KEY: FAKE_SECRETS.upbitAccessKey,
    UPBIT_SECRET_KEY: FAKE_SECRETS.upbitSecretKey,
    QTS_API_TOKEN: FAKE_SECRETS.apiToken,
    TELEGRAM_BOT_TOKEN: FAKE_SECRETS.telegramBotToken,
    TELEGRAM_CHAT_ID: '424242',
    QTS_TELEGRAM__API_BASE_URL: telegram.baseUrl,
    QTS_MARKETS: sim.markets.join(','),
    QTS_EXCHANGE: 'sim',
    QTS_EXECUTOR__PAPER_VENUE: 'sim',
    QTS_EXECUTOR__TAPE_DIR: join(dir, 'tape'),
    QTS_EXECUTOR__PAPER_STATE_FILE: join(dir, 'paper.json'),
    QTS_EXECUTOR__OPS_PORT: '0',
    QTS_LOG_LEVEL: 'info',
  };
  const tableConfig = { client: table.client, tableName: table.tableName };
  return {
    sim: simProcess,
    table,
    queues,
    store: new DynamoDbStateStore(tableConfig),
    decisionQueue,
    decisionDlq: new SqsFifoQueue({ client: queues.client, queueUrl: queueUrl('DecisionDeadLetterQueue') }),
    alertQueue: new SqsFifoQueue({ client: queues.client, queueUrl: queueUrl('AlertQueue') }),
    telegram,
    dir,
    env,
    queueUrl,
    sendDecision: async (decision, options = {}) => {
      const m = encodeDecisionMessage(decision, (options.sentAt ?? Date.now()) as EpochMs, 'reliability');
      await decisionQueue.send(m.body, {
        groupId: m.groupId,
        dedupId: `${m.dedupId}${options.dedupSuffix ?? ''}`,
      });
    },
    close: async () => {
      await simProcess.stop();
      await telegram.close();
      await table.drop().catch(() => undefined);
      queues.client.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
