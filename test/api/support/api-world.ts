import { MemoryLogger } from '../../../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../../../shared/src/adapters/memory/manual-clock';
import { MemoryComponentStatusStore } from '../../../shared/src/adapters/memory/memory-component-status-store';
import { MemoryEquityHistoryStore } from '../../../shared/src/adapters/memory/memory-equity-history-store';
import { MemoryFifoQueue } from '../../../shared/src/adapters/memory/memory-fifo-queue';
import { MemoryMarketDataStore } from '../../../shared/src/adapters/memory/memory-market-data-store';
import { MemoryNotifier } from '../../../shared/src/adapters/memory/memory-notifier';
import { MemoryReportStore } from '../../../shared/src/adapters/memory/memory-report-store';
import { MemorySecrets } from '../../../shared/src/adapters/memory/memory-secrets';
import { MemoryStateStore } from '../../../shared/src/adapters/memory/memory-state-store';
import { MemoryStrategySettingsStore } from '../../../shared/src/adapters/memory/memory-strategy-settings-store';
import type { ApiDeps } from '../../../shared/src/application/api/api-deps';
import {
  type ControlMessage,
  decodeControlMessage,
} from '../../../shared/src/application/messaging/message-envelope';
import { apiSettingsFromConfig, strategyRulesCheck } from '../../../shared/src/config/api-settings';
import { loadConfig } from '../../../shared/src/config/load-config';
import type { ComponentStatusStore } from '../../../shared/src/ports/component-status-store';
import type { FifoQueue } from '../../../shared/src/ports/decision-queue';
import type { EquityHistoryStore } from '../../../shared/src/ports/equity-history-store';
import type { MarketDataStore } from '../../../shared/src/ports/market-data-store';
import type { ReportStore } from '../../../shared/src/ports/report-store';
import type { StateStore } from '../../../shared/src/ports/state-store';
import type { StrategySettingsStore } from '../../../shared/src/ports/strategy-settings-store';
import { T0 } from '../../../shared/testing/state-builders';

/** The API token every test world is configured with. */
export const TOKEN = 'qts-test-token-5f2c9a71d4e8b3a6';
/** Bearer header for {@link TOKEN}. */
export const AUTH = { authorization: `Bearer ${TOKEN}` } as const;

/** Stores an API world runs on: memory by default, DynamoDB/SQS when a test passes them. */
export interface WorldStores {
  readonly store: StateStore;
  readonly statuses: ComponentStatusStore;
  readonly equity: EquityHistoryStore;
  readonly strategySettings: StrategySettingsStore;
  readonly reports: ReportStore;
  readonly marketData: MarketDataStore;
  readonly control: FifoQueue;
}

/** An API with every port a fake (or the given stores), a manual clock at {@link T0} and the default config. */
export interface ApiWorld extends WorldStores {
  readonly deps: ApiDeps;
  readonly clock: ManualClock;
  readonly logger: MemoryLogger;
  readonly notifier: MemoryNotifier;
  /** Every control message on the queue now (acked, so the FIFO group is free again). */
  drainControl(): Promise<ControlMessage[]>;
}

/** Memory stores behind every port. */
export function memoryStores(clock: ManualClock): WorldStores {
  const store = new MemoryStateStore();
  return {
    store,
    statuses: new MemoryComponentStatusStore(),
    equity: new MemoryEquityHistoryStore(),
    strategySettings: new MemoryStrategySettingsStore(store),
    reports: new MemoryReportStore(),
    marketData: new MemoryMarketDataStore(),
    control: new MemoryFifoQueue({ clock }),
  };
}

/** Builds a world; `stores` defaults to memory fakes. */
export function apiWorld(
  options: {
    readonly clock?: ManualClock;
    readonly stores?: WorldStores;
    readonly token?: string | null;
  } = {},
): ApiWorld {
  const clock = options.clock ?? new ManualClock(T0);
  const stores = options.stores ?? memoryStores(clock);
  const config = loadConfig({ env: {} });
  const logger = new MemoryLogger(clock);
  const notifier = new MemoryNotifier();
  const token = options.token === undefined ? TOKEN : options.token;
  const deps: ApiDeps = {
    store: stores.store,
    statuses: stores.statuses,
    equity: stores.equity,
    strategySettings: stores.strategySettings,
    reports: stores.reports,
    marketData: stores.marketData,
    controlQueue: stores.control,
    secrets: new MemorySecrets(token === null ? {} : { QTS_API_TOKEN: token }),
    clock,
    logger,
    notifier,
    settings: apiSettingsFromConfig(config),
    checkStrategy: strategyRulesCheck(config),
  };
  return {
    ...stores,
    deps,
    clock,
    logger,
    notifier,
    drainControl: async () => {
      const got: ControlMessage[] = [];
      for (;;) {
        const batch = await stores.control.receive({ maxMessages: 10, waitTimeMs: 0 });
        if (batch.length === 0) return got;
        for (const m of batch) {
          const decoded = decodeControlMessage(m.body);
          if (!decoded.ok) throw new Error(decoded.reason);
          got.push(decoded.message);
          await stores.control.ack(m);
        }
      }
    },
  };
}
