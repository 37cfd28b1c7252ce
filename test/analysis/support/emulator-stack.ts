import { DynamoDbComponentStatusStore } from '../../../shared/src/adapters/dynamodb/dynamodb-component-status-store';
import { DynamoDbEquityHistoryStore } from '../../../shared/src/adapters/dynamodb/dynamodb-equity-history-store';
import { DynamoDbMarketDataStore } from '../../../shared/src/adapters/dynamodb/dynamodb-market-data-store';
import { DynamoDbSignalLog } from '../../../shared/src/adapters/dynamodb/dynamodb-signal-log';
import { DynamoDbStateStore } from '../../../shared/src/adapters/dynamodb/dynamodb-state-store';
import { DynamoDbStrategySettingsStore } from '../../../shared/src/adapters/dynamodb/dynamodb-strategy-settings-store';
import { DynamoDbStrategyStateStore } from '../../../shared/src/adapters/dynamodb/dynamodb-strategy-state-store';
import { MemoryLogger } from '../../../shared/src/adapters/logging/json-logger';
import type { ManualClock } from '../../../shared/src/adapters/memory/manual-clock';
import { SqsFifoQueue } from '../../../shared/src/adapters/sqs/sqs-fifo-queue';
import type { AnalyzeMarketsDeps } from '../../../shared/src/application/analysis/analyze-markets';
import {
  createTestQueues,
  createTestTable,
  type TestTable,
} from '../../../shared/testing/emulators/provision';

/**
 * Builds minute-analysis worlds on the real adapters — each on a fresh DynamoDB Local table and
 * fauxqs FIFO queues, as the deployed function has them — and drops every table it made when the
 * suite ends (`dropAll` in afterAll), so suites sharing the emulators never see each other's rows.
 */
export class EmulatorWorlds {
  private readonly tables: TestTable[] = [];

  /** The analysis' dependencies on a new table and queue set, read through `clock`. */
  async deps(clock: ManualClock) {
    const table = await createTestTable();
    this.tables.push(table);
    const config = { client: table.client, tableName: table.tableName };
    const { client, queues } = await createTestQueues();
    const q = queues.DecisionQueue;
    if (q === undefined) throw new Error('sqs.yml lacks the decision queue');
    const deps = {
      clock,
      logger: new MemoryLogger(clock),
      marketData: new DynamoDbMarketDataStore(config),
      snapshots: new DynamoDbStrategyStateStore(config),
      state: new DynamoDbStateStore(config),
      strategySettings: new DynamoDbStrategySettingsStore(config),
      equity: new DynamoDbEquityHistoryStore(config),
      decisionQueue: new SqsFifoQueue({ client, queueUrl: q.url }),
      signals: new DynamoDbSignalLog(config),
      status: new DynamoDbComponentStatusStore(config),
    };
    return deps satisfies AnalyzeMarketsDeps;
  }

  /** Drops every table this instance created. */
  async dropAll(): Promise<void> {
    await Promise.all(this.tables.splice(0).map((t) => t.drop()));
  }
}
