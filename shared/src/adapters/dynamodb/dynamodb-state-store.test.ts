import { EMULATOR_STARTUP_TIMEOUT_MS, waitForEmulators } from '../../../testing/emulators/emulator-endpoints';
import { createTestTable, type TestTable } from '../../../testing/emulators/provision';
import { aLatch } from '../../../testing/state-builders';
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

describe('DynamoDbStateStore under heavier contention', () => {
  it('sets the latch exactly once with one audit entry when five writers race', async () => {
    const table = await createTestTable();
    tables.push(table);
    const store = new DynamoDbStateStore({ client: table.client, tableName: table.tableName });
    const results = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((w) => store.latchEmergency(aLatch({ reason: `writer ${w}` }))),
    );
    expect(results.filter((r) => r.outcome === 'set')).toHaveLength(1);
    const stored = (await store.getControl()).latch;
    for (const r of results) expect(r.latch).toEqual(stored);
    const audit = await store.listAudit({ limit: 20 });
    expect(audit.map((a) => a.action)).toEqual(['emergency_latch']);
  });
});
