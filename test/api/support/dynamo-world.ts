import { DynamoDbComponentStatusStore } from '../../../shared/src/adapters/dynamodb/dynamodb-component-status-store';
import { DynamoDbEquityHistoryStore } from '../../../shared/src/adapters/dynamodb/dynamodb-equity-history-store';
import { DynamoDbMarketDataStore } from '../../../shared/src/adapters/dynamodb/dynamodb-market-data-store';
import { DynamoDbReportStore } from '../../../shared/src/adapters/dynamodb/dynamodb-report-store';
import { DynamoDbStateStore } from '../../../shared/src/adapters/dynamodb/dynamodb-state-store';
import { DynamoDbStrategySettingsStore } from '../../../shared/src/adapters/dynamodb/dynamodb-strategy-settings-store';
import { SqsFifoQueue } from '../../../shared/src/adapters/sqs/sqs-fifo-queue';
import { waitForEmulators } from '../../../shared/testing/emulators/emulator-endpoints';
import { createTestQueues, createTestTable } from '../../../shared/testing/emulators/provision';
import type { WorldStores } from './api-world';

/** The API's stores on a fresh DynamoDB Local table and fresh fauxqs queues, with their cleanup. */
export async function dynamoStores(): Promise<{ stores: WorldStores; close(): Promise<void> }> {
  await waitForEmulators();
  const table = await createTestTable();
  const queues = await createTestQueues();
  const queueUrl = queues.queues.ControlQueue?.url;
  if (queueUrl === undefined) throw new Error('sqs.yml has no ControlQueue');
  const config = { client: table.client, tableName: table.tableName };
  return {
    stores: {
      store: new DynamoDbStateStore(config),
      statuses: new DynamoDbComponentStatusStore(config),
      equity: new DynamoDbEquityHistoryStore(config),
      strategySettings: new DynamoDbStrategySettingsStore(config),
      reports: new DynamoDbReportStore(config),
      marketData: new DynamoDbMarketDataStore(config),
      control: new SqsFifoQueue({ client: queues.client, queueUrl }),
    },
    close: async () => {
      await table.drop();
      queues.client.destroy();
    },
  };
}
