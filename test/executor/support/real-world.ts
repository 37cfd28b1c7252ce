import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorPorts } from '../../../executor/src/wiring/build-ports';
import { DynamoDbComponentStatusStore } from '../../../shared/src/adapters/dynamodb/dynamodb-component-status-store';
import { DynamoDbEquityHistoryStore } from '../../../shared/src/adapters/dynamodb/dynamodb-equity-history-store';
import { DynamoDbMarketDataStore } from '../../../shared/src/adapters/dynamodb/dynamodb-market-data-store';
import { DynamoDbStateStore } from '../../../shared/src/adapters/dynamodb/dynamodb-state-store';
import { JsonLogger } from '../../../shared/src/adapters/logging/json-logger';
import { MemoryNotifier } from '../../../shared/src/adapters/memory/memory-notifier';
import { SqsFifoQueue } from '../../../shared/src/adapters/sqs/sqs-fifo-queue';
import { SystemClock } from '../../../shared/src/adapters/system/system-clock';
import { createUpbitAdapters, type UpbitAdapters } from '../../../shared/src/adapters/upbit/upbit-adapters';
import type { ControlCommandInput } from '../../../shared/src/application/messaging/control-command';
import {
  encodeControlMessage,
  encodeDecisionMessage,
} from '../../../shared/src/application/messaging/message-envelope';
import type { AppConfig } from '../../../shared/src/config/config-schema';
import { loadConfig } from '../../../shared/src/config/load-config';
import { Secret } from '../../../shared/src/domain/security/secret';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import {
  type FakeExchange,
  type FakeExchangeOptions,
  startFakeExchange,
} from '../../../shared/src/fake-exchange/fake-exchange';
import { waitForEmulators } from '../../../shared/testing/emulators/emulator-endpoints';
import {
  createTestQueues,
  createTestTable,
  emulatorProcessEnv,
  type TestQueues,
  type TestTable,
} from '../../../shared/testing/emulators/provision';

/** Real components of an end-to-end test: the fake exchange over HTTP/WS, DynamoDB Local, fauxqs. */
export interface RealWorld {
  readonly fake: FakeExchange;
  readonly table: TestTable;
  readonly queues: TestQueues;
  readonly store: DynamoDbStateStore;
  readonly statusStore: DynamoDbComponentStatusStore;
  readonly equityStore: DynamoDbEquityHistoryStore;
  readonly marketDataStore: DynamoDbMarketDataStore;
  readonly decisionQueue: SqsFifoQueue;
  readonly decisionDlq: SqsFifoQueue;
  readonly controlQueue: SqsFifoQueue;
  readonly notifier: MemoryNotifier;
  /** A client of the fake for assertions (its own rate limiter, the sim keys). */
  readonly sim: UpbitAdapters;
  readonly dir: string;
  readonly lines: string[];
  /** A JSON logger writing into `lines` (pass it to startExecutor to assert on log lines). */
  readonly logger: JsonLogger;
  /** Environment a child executor (or `buildPorts`) needs to reach all of the above. */
  readonly env: Record<string, string>;
  config(extra?: Record<string, string>): AppConfig;
  /** Adapters for an in-process executor (fresh Upbit stack each time, like a new process). */
  ports(config: AppConfig): ExecutorPorts;
  sendDecision(decision: Decision, dedupSuffix?: string): Promise<void>;
  sendControl(command: ControlCommandInput): Promise<void>;
  close(): Promise<void>;
}

/** Resolves when `probe` returns a value (not undefined/false) or rejects after `timeoutMs` naming `what`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts the fake exchange (market moved by hand) and provisions a fresh table and queues. */
export async function realWorld(
  options: {
    readonly markets?: readonly string[];
    readonly balances?: Record<string, string>;
    /** More fake-exchange options (e.g. a recorded tape to replay on a manual clock). */
    readonly exchange?: FakeExchangeOptions;
  } = {},
): Promise<RealWorld> {
  const endpoints = await waitForEmulators();
  const clock = new SystemClock();
  const fake = await startFakeExchange({
    clock,
    autoMarket: false,
    markets: options.markets ?? ['KRW-BTC'],
    balances: options.balances ?? { KRW: '10000000' },
    ...options.exchange,
  });
  // The test's own client checks the sim alongside the executor: rate limits are not under test here.
  fake.controls.faults.setRateLimits(false);
  const table = await createTestTable();
  const queues = await createTestQueues();
  const q = (id: string) => {
    const url = queues.queues[id]?.url;
    if (url === undefined) throw new Error(`sqs.yml has no ${id}`);
    return url;
  };
  const decisionQueue = new SqsFifoQueue({
    client: queues.client,
    queueUrl: q('DecisionQueue'),
    deadLetterQueueUrl: q('DecisionDeadLetterQueue'),
  });
  const decisionDlq = new SqsFifoQueue({ client: queues.client, queueUrl: q('DecisionDeadLetterQueue') });
  const controlQueue = new SqsFifoQueue({
    client: queues.client,
    queueUrl: q('ControlQueue'),
    deadLetterQueueUrl: q('ControlDeadLetterQueue'),
  });
  const tableConfig = { client: table.client, tableName: table.tableName };
  const dir = mkdtempSync(join(tmpdir(), 'qts-executor-'));
  const lines: string[] = [];
  const logger = new JsonLogger((l) => lines.push(l), clock, 'debug');
  const sim = createUpbitAdapters({
    restUrl: fake.restUrl,
    wsUrl: fake.wsUrl,
    clock,
    credentials: { accessKey: fake.accessKey, secretKey: new Secret(fake.secretKey) },
  });
  const env: Record<string, string> = {
    ...emulatorProcessEnv(endpoints, table, queues),
    UPBIT_REST_URL: fake.restUrl,
    UPBIT_WS_URL: fake.wsUrl,
    UPBIT_ACCESS_KEY: fake.accessKey,
    UPBIT_SECRET_KEY: fake.secretKey,
    QTS_MARKETS: (options.markets ?? ['KRW-BTC']).join(','),
    QTS_EXECUTOR__PAPER_VENUE: 'sim',
    QTS_EXECUTOR__TAPE_DIR: join(dir, 'tape'),
    QTS_EXECUTOR__PAPER_STATE_FILE: join(dir, 'paper.json'),
    QTS_EXECUTOR__OPS_PORT: '0',
  };
  const notifier = new MemoryNotifier('en');
  return {
    fake,
    table,
    queues,
    store: new DynamoDbStateStore(tableConfig),
    statusStore: new DynamoDbComponentStatusStore(tableConfig),
    equityStore: new DynamoDbEquityHistoryStore(tableConfig),
    marketDataStore: new DynamoDbMarketDataStore(tableConfig),
    decisionQueue,
    decisionDlq,
    controlQueue,
    notifier,
    sim,
    dir,
    lines,
    logger,
    env,
    config: (extra = {}) => loadConfig({ env: { ...env, ...extra } }),
    ports: (config) => {
      const upbit = createUpbitAdapters({
        restUrl: fake.restUrl,
        wsUrl: fake.wsUrl,
        clock,
        logger,
        credentials: { accessKey: fake.accessKey, secretKey: new Secret(fake.secretKey) },
        denseTradeIds: true,
      });
      if (upbit.venue === undefined) throw new Error('no venue');
      void config;
      return {
        store: new DynamoDbStateStore(tableConfig),
        marketDataStore: new DynamoDbMarketDataStore(tableConfig),
        statusStore: new DynamoDbComponentStatusStore(tableConfig),
        equityStore: new DynamoDbEquityHistoryStore(tableConfig),
        decisionQueue,
        controlQueue,
        venue: upbit.venue,
        stream: upbit.stream,
        marketData: upbit.marketData,
        notifier,
        privateChannel: true,
        venueKind: 'sim-orders',
        close: () => undefined,
      };
    },
    sendDecision: async (decision, dedupSuffix = '') => {
      const m = encodeDecisionMessage(decision, Date.now() as never, 'test');
      await decisionQueue.send(m.body, { groupId: m.groupId, dedupId: `${m.dedupId}${dedupSuffix}` });
    },
    sendControl: async (command) => {
      const m = encodeControlMessage(command, Date.now() as never, 'test');
      await controlQueue.send(m.body, { groupId: m.groupId, dedupId: m.dedupId });
    },
    close: async () => {
      await fake.close();
      await table.drop();
      queues.client.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
