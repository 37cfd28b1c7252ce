import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describeComponentStatusStoreContract } from '../../../testing/component-status-store-contract';
import { EMULATOR_STARTUP_TIMEOUT_MS, waitForEmulators } from '../../../testing/emulators/emulator-endpoints';
import { createTestTable, type TestTable } from '../../../testing/emulators/provision';
import { describeEquityHistoryStoreContract } from '../../../testing/equity-history-store-contract';
import { aCandle, describeMarketDataStoreContract } from '../../../testing/market-data-store-contract';
import { describeReportStoreContract } from '../../../testing/report-store-contract';
import { describeSignalLogContract } from '../../../testing/signal-log-contract';
import { BTC, T0 } from '../../../testing/state-builders';
import { describeStrategySettingsStoreContract } from '../../../testing/strategy-settings-store-contract';
import { describeStrategyStateStoreContract } from '../../../testing/strategy-state-store-contract';
import { MS } from '../../domain/time/epoch';
import { DynamoDbComponentStatusStore } from './dynamodb-component-status-store';
import { DynamoDbEquityHistoryStore } from './dynamodb-equity-history-store';
import { DynamoDbMarketDataStore } from './dynamodb-market-data-store';
import { DynamoDbReportStore } from './dynamodb-report-store';
import { DynamoDbSignalLog } from './dynamodb-signal-log';
import { DynamoDbStateStore } from './dynamodb-state-store';
import { DynamoDbStrategySettingsStore } from './dynamodb-strategy-settings-store';
import { DynamoDbStrategyStateStore } from './dynamodb-strategy-state-store';
import { Keys } from './table-keys';

const tables: TestTable[] = [];
beforeAll(() => waitForEmulators(), EMULATOR_STARTUP_TIMEOUT_MS);
afterAll(async () => {
  await Promise.all(tables.map((t) => t.drop()));
});

async function table(): Promise<{ client: TestTable['client']; tableName: string }> {
  const t = await createTestTable();
  tables.push(t);
  return { client: t.client, tableName: t.tableName };
}

describeMarketDataStoreContract('DynamoDB Local', async () => new DynamoDbMarketDataStore(await table()));
describeComponentStatusStoreContract(
  'DynamoDB Local',
  async () => new DynamoDbComponentStatusStore(await table()),
);
describeEquityHistoryStoreContract(
  'DynamoDB Local',
  async () => new DynamoDbEquityHistoryStore(await table()),
);
describeReportStoreContract('DynamoDB Local', async () => new DynamoDbReportStore(await table()));
describeStrategyStateStoreContract(
  'DynamoDB Local',
  async () => new DynamoDbStrategyStateStore(await table()),
);
describeSignalLogContract('DynamoDB Local', async () => new DynamoDbSignalLog(await table()));
describeStrategySettingsStoreContract('DynamoDB Local', async () => {
  const config = await table();
  return { store: new DynamoDbStrategySettingsStore(config), audit: new DynamoDbStateStore(config) };
});

describe('DynamoDbMarketDataStore items', () => {
  it('sets the TTL of infra/README.md: 7 days for 1m bars and features, 400 days for hourly bars', async () => {
    const config = await table();
    const store = new DynamoDbMarketDataStore(config);
    await store.putCandles([aCandle(0), aCandle(0, { timeframe: '60m' })]);
    await store.putFeatures({ market: BTC, minute: T0, values: { ofi: 1 } });
    const ttlOf = async (key: { pk: string; sk: string }) =>
      (await config.client.send(new GetCommand({ TableName: config.tableName, Key: key }))).Item?.ttl;
    expect(await ttlOf(Keys.candle(BTC, '1m', T0))).toBe((T0 + 7 * MS.day) / 1000);
    expect(await ttlOf(Keys.candle(BTC, '60m', T0))).toBe((T0 + 400 * MS.day) / 1000);
    expect(await ttlOf(Keys.features(BTC, T0))).toBe((T0 + 7 * MS.day) / 1000);
  });

  it('reads the latest bars across query pages', async () => {
    const store = new DynamoDbMarketDataStore(await table());
    await store.putCandles(Array.from({ length: 120 }, (_, i) => aCandle(i)));
    const latest = await store.latestCandles(BTC, '1m', 100);
    expect(latest).toHaveLength(100);
    expect(latest[0]?.openTime).toBe(T0 + 20 * MS.minute);
  });
});
