import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { EMULATOR_STARTUP_TIMEOUT_MS, waitForEmulators } from '../../../testing/emulators/emulator-endpoints';
import { createTestTable, type TestTable } from '../../../testing/emulators/provision';
import { BTC, T0 } from '../../../testing/state-builders';
import { MS } from '../../domain/time/epoch';
import { CANDLE_RETENTION_MS, Keys, padTime, ttlSeconds } from './table-keys';

// The access patterns of infra/README.md that have no port yet (market data), checked on the real
// key layout so the documented queries are known to work.
let table: TestTable;
beforeAll(async () => {
  await waitForEmulators();
  table = await createTestTable();
}, EMULATOR_STARTUP_TIMEOUT_MS);
afterAll(() => table.drop());

describe('state table key design', () => {
  it('pads instants so lexical order is time order', () => {
    expect(padTime(5)).toBe('0000000000005');
    expect(padTime(T0) < padTime(T0 + 1)).toBe(true);
    expect(padTime(999) < padTime(1_000)).toBe(true);
  });

  it('puts the orders of a decision in its partition and foreign identifiers in their own', () => {
    expect(Keys.order('qts.ens-BTC-1.2.0')).toEqual({
      pk: 'DECISION#ens-BTC-1',
      sk: 'ORDER#qts.ens-BTC-1.2.0',
    });
    expect(Keys.order('manual-web-123')).toEqual({ pk: 'ORDER#manual-web-123', sk: 'ORDER' });
  });

  it('serves "latest N candles of a market and timeframe" with one query', async () => {
    const put = (timeframe: '1m' | '5m', openTime: number) =>
      table.client.send(
        new PutCommand({
          TableName: table.tableName,
          Item: {
            ...Keys.candle(BTC, timeframe, openTime),
            type: 'candle',
            close: '151000000',
            ttl: ttlSeconds(openTime, CANDLE_RETENTION_MS[timeframe]),
          },
        }),
      );
    for (let i = 0; i < 6; i += 1) await put('1m', T0 + i * MS.minute);
    await put('5m', T0 + 10 * MS.minute);
    const { Items } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': Keys.candlesPk(BTC, '1m') },
        ScanIndexForward: false,
        Limit: 3,
      }),
    );
    expect(Items?.map((i) => Number(i.sk))).toEqual([
      T0 + 5 * MS.minute,
      T0 + 4 * MS.minute,
      T0 + 3 * MS.minute,
    ]);
    expect(Items?.[0]?.ttl).toBe(Math.floor((T0 + 5 * MS.minute + 7 * MS.day) / 1000));
  });
});
