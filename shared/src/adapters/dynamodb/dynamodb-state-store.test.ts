import { EMULATOR_STARTUP_TIMEOUT_MS, waitForEmulators } from '../../../testing/emulators/emulator-endpoints';
import { createTestTable, type TestTable } from '../../../testing/emulators/provision';
import { describeStateStoreContract } from '../../../testing/state-store-contract';
import { DynamoDbStateStore } from './dynamodb-state-store';

const tables: TestTable[] = [];

beforeAll(() => waitForEmulators(), EMULATOR_STARTUP_TIMEOUT_MS);
afterAll(async () => {
  await Promise.all(tables.map((t) => t.drop()));
});

describeStateStoreContract('DynamoDB Local', async () => {
  const table = await createTestTable();
  tables.push(table);
  return new DynamoDbStateStore({ client: table.client, tableName: table.tableName });
});
