import {
  createDocumentClient,
  dynamoDbConnectionFromEnv,
} from '../../../shared/src/adapters/dynamodb/dynamodb-client';
import { DynamoDbComponentStatusStore } from '../../../shared/src/adapters/dynamodb/dynamodb-component-status-store';
import { DynamoDbEquityHistoryStore } from '../../../shared/src/adapters/dynamodb/dynamodb-equity-history-store';
import { DynamoDbMarketDataStore } from '../../../shared/src/adapters/dynamodb/dynamodb-market-data-store';
import { DynamoDbStateStore } from '../../../shared/src/adapters/dynamodb/dynamodb-state-store';
import { MemoryComponentStatusStore } from '../../../shared/src/adapters/memory/memory-component-status-store';
import { MemoryEquityHistoryStore } from '../../../shared/src/adapters/memory/memory-equity-history-store';
import { MemoryMarketDataStore } from '../../../shared/src/adapters/memory/memory-market-data-store';
import { MemoryStateStore } from '../../../shared/src/adapters/memory/memory-state-store';
import { createSqsClient, sqsConnectionFromEnv } from '../../../shared/src/adapters/sqs/sqs-client';
import { SqsFifoQueue } from '../../../shared/src/adapters/sqs/sqs-fifo-queue';
import { TelegramNotifier } from '../../../shared/src/adapters/telegram/telegram-notifier';
import { createUpbitAdapters } from '../../../shared/src/adapters/upbit/upbit-adapters';
import type { AppConfig } from '../../../shared/src/config/config-schema';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Clock } from '../../../shared/src/ports/clock';
import type { ComponentStatusStore } from '../../../shared/src/ports/component-status-store';
import type { FifoQueue } from '../../../shared/src/ports/decision-queue';
import type { EquityHistoryStore } from '../../../shared/src/ports/equity-history-store';
import type { Logger } from '../../../shared/src/ports/logger';
import type { MarketDataSource } from '../../../shared/src/ports/market-data-source';
import type { MarketDataStore } from '../../../shared/src/ports/market-data-store';
import type { MarketDataStream } from '../../../shared/src/ports/market-data-stream';
import type { Notifier } from '../../../shared/src/ports/notifier';
import type { StateStore } from '../../../shared/src/ports/state-store';
import type { TradingVenue, VenueOrder } from '../../../shared/src/ports/trading-venue';
import { type Env, ExecutorEnv, envValue } from './executor-env';
import { PaperVenue } from './paper-venue';
import { chooseVenue, type VenueChoice, venueCredentials } from './venue-selection';

/** Every outside system the executor talks to; tests and the local stack may pass their own. */
export interface ExecutorPorts {
  readonly store: StateStore;
  readonly marketDataStore: MarketDataStore;
  readonly statusStore: ComponentStatusStore;
  readonly equityStore: EquityHistoryStore;
  /** Absent: decisions are not consumed (a warning says so). */
  readonly decisionQueue?: FifoQueue;
  readonly controlQueue?: FifoQueue;
  readonly venue: TradingVenue;
  readonly stream: MarketDataStream;
  readonly marketData: MarketDataSource;
  readonly notifier: Notifier;
  /** Subscribe to our own order events (keyed venues). */
  readonly privateChannel: boolean;
  /** The in-process paper venue, when that is the venue (it is fed by the feed). */
  readonly paper?: PaperVenue;
  /** Recent closed orders for reconciliation, where the venue offers them. */
  readonly closedOrders?: (since: EpochMs) => Promise<VenueOrder[]>;
  /** What {@link chooseVenue} decided (for logs and health). */
  readonly venueKind: VenueChoice['kind'];
  /** Releases clients and sockets. */
  close(): void;
}

/** Logs alerts when no Telegram chat is configured (paper runs, the local stack). */
class LogNotifier implements Notifier {
  constructor(
    private readonly logger: Logger,
    private readonly language: 'ko' | 'en',
  ) {}

  async notify(alert: Parameters<Notifier['notify']>[0]): Promise<void> {
    this.logger.warn('alert', { severity: alert.severity, key: alert.key, text: alert.text[this.language] });
  }
}

function stores(
  env: Env,
  live: boolean,
  logger: Logger,
): Pick<ExecutorPorts, 'store' | 'marketDataStore' | 'statusStore' | 'equityStore'> & { close(): void } {
  const tableName = envValue(env, ExecutorEnv.stateTable);
  if (tableName === undefined) {
    if (live)
      throw new RangeError(
        `${ExecutorEnv.stateTable} is not set: live trading needs the durable state table`,
      );
    logger.warn(
      `${ExecutorEnv.stateTable} is not set: state is kept in memory and lost on exit (paper only)`,
    );
    const store = new MemoryStateStore();
    return {
      store,
      marketDataStore: new MemoryMarketDataStore(),
      statusStore: new MemoryComponentStatusStore(),
      equityStore: new MemoryEquityHistoryStore(),
      close: () => undefined,
    };
  }
  const client = createDocumentClient(dynamoDbConnectionFromEnv(env));
  const table = { client, tableName };
  return {
    store: new DynamoDbStateStore(table),
    marketDataStore: new DynamoDbMarketDataStore(table),
    statusStore: new DynamoDbComponentStatusStore(table),
    equityStore: new DynamoDbEquityHistoryStore(table),
    close: () => client.destroy(),
  };
}

function queues(
  env: Env,
  logger: Logger,
): Pick<ExecutorPorts, 'decisionQueue' | 'controlQueue'> & { close(): void } {
  const decisionUrl = envValue(env, ExecutorEnv.decisionQueueUrl);
  const controlUrl = envValue(env, ExecutorEnv.controlQueueUrl);
  if (decisionUrl === undefined)
    logger.warn(`${ExecutorEnv.decisionQueueUrl} is not set: no decisions will be consumed`);
  if (controlUrl === undefined)
    logger.warn(`${ExecutorEnv.controlQueueUrl} is not set: only the state store's control item is obeyed`);
  if (decisionUrl === undefined && controlUrl === undefined) return { close: () => undefined };
  const client = createSqsClient(sqsConnectionFromEnv(env));
  const queue = (url: string | undefined, dlq: string | undefined) =>
    url === undefined
      ? undefined
      : new SqsFifoQueue({
          client,
          queueUrl: url,
          ...(dlq === undefined ? {} : { deadLetterQueueUrl: dlq }),
        });
  const decisionQueue = queue(decisionUrl, envValue(env, ExecutorEnv.decisionDlqUrl));
  const controlQueue = queue(controlUrl, envValue(env, ExecutorEnv.controlDlqUrl));
  return {
    ...(decisionQueue === undefined ? {} : { decisionQueue }),
    ...(controlQueue === undefined ? {} : { controlQueue }),
    close: () => client.destroy(),
  };
}

/**
 * Builds the real adapters from the validated config and the environment: DynamoDB state (memory
 * only in paper mode without a table), the SQS queues, Telegram (or alerts in the log), and the venue
 * {@link chooseVenue} picked with the one Upbit client stack (one rate limiter per process).
 */
export function buildPorts(config: AppConfig, env: Env, clock: Clock, logger: Logger): ExecutorPorts {
  const choice = chooseVenue(config);
  const s = stores(env, config.mode === 'live', logger);
  const q = queues(env, logger);
  const notifier =
    config.telegram.botToken !== undefined && config.telegram.chatId !== undefined
      ? new TelegramNotifier({
          botToken: config.telegram.botToken,
          chatId: config.telegram.chatId,
          language: config.telegram.language,
          clock,
          logger,
          baseUrl: config.telegram.apiBaseUrl,
          repeatWindowMs: config.telegram.dedupWindowSeconds * 1000,
          maxPerMinute: config.telegram.maxPerMinute,
        })
      : new LogNotifier(logger, config.telegram.language);
  const credentials = venueCredentials(config, choice);
  const upbit = createUpbitAdapters({
    restUrl: choice.restUrl,
    wsUrl: choice.wsUrl,
    clock,
    logger: logger.child({ component: 'upbit' }),
    ...(credentials === undefined ? {} : { credentials }),
    denseTradeIds: choice.kind !== 'upbit-live' && (choice.kind === 'sim-orders' || choice.sim),
  });
  const paper =
    choice.kind === 'paper'
      ? new PaperVenue({
          markets: config.markets,
          clock,
          logger: logger.child({ component: 'paper-venue' }),
          stateFile: config.executor.paperStateFile,
          balanceKrw: config.executor.paperBalanceKrw,
        })
      : undefined;
  const venue = paper ?? upbit.venue;
  if (venue === undefined)
    throw new RangeError('no trading venue: live mode needs UPBIT_ACCESS_KEY and UPBIT_SECRET_KEY');
  const exchange = upbit.exchange;
  return {
    ...s,
    ...q,
    venue,
    stream: upbit.stream,
    marketData: upbit.marketData,
    notifier,
    privateChannel: paper === undefined,
    ...(paper === undefined ? {} : { paper }),
    ...(exchange === undefined || paper !== undefined
      ? {}
      : {
          closedOrders: (since: EpochMs) =>
            exchange.getClosedOrders({ startTime: since, states: ['done', 'cancel'], limit: 1000 }),
        }),
    venueKind: choice.kind,
    close: () => {
      s.close();
      q.close();
    },
  };
}
