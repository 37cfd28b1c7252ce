import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TradingError } from '../../domain/errors/trading-error';
import type { Item } from './item-codec';
import { batchGetAll, batchPutAll } from './table-batch';
import type { TableContext } from './table-context';

interface Sent {
  readonly name: string;
  readonly size: number;
}

/**
 * A document client that throttles: the first `throttledRounds` requests of each batch leave their
 * last item unprocessed (as DynamoDB does under load); it stores puts and answers gets from them.
 */
function throttlingTable(throttledRounds: number): {
  ctx: TableContext;
  sent: Sent[];
  stored: Map<string, Item>;
} {
  const sent: Sent[] = [];
  const stored = new Map<string, Item>();
  let throttled = 0;
  const keyOf = (item: Record<string, unknown>) => `${String(item.pk)}/${String(item.sk)}`;
  const client = {
    send: async (command: {
      constructor: { name: string };
      input: { RequestItems: Record<string, unknown> };
    }) => {
      const name = command.constructor.name;
      const request = command.input.RequestItems.t;
      const throttle = throttled < throttledRounds;
      if (throttle) throttled += 1;
      if (name === 'BatchWriteCommand') {
        const puts = request as { PutRequest: { Item: Item } }[];
        sent.push({ name, size: puts.length });
        const done = throttle ? puts.slice(0, -1) : puts;
        for (const p of done) stored.set(keyOf(p.PutRequest.Item), p.PutRequest.Item);
        return { UnprocessedItems: throttle ? { t: puts.slice(-1) } : {} };
      }
      const keys = (request as { Keys: Record<string, unknown>[] }).Keys;
      sent.push({ name, size: keys.length });
      const done = throttle ? keys.slice(0, -1) : keys;
      const found = done.map((k) => stored.get(keyOf(k))).filter((i) => i !== undefined);
      return { Responses: { t: found }, UnprocessedKeys: throttle ? { t: { Keys: keys.slice(-1) } } : {} };
    },
  };
  return { ctx: { db: client as unknown as DynamoDBDocumentClient, tableName: 't' }, sent, stored };
}

const items = (n: number): Item[] => Array.from({ length: n }, (_, i) => ({ pk: 'P', sk: String(i), v: i }));

describe('batchPutAll / batchGetAll', () => {
  it('splits writes into requests of 25 and re-sends what was left unprocessed', async () => {
    const table = throttlingTable(2);
    await batchPutAll(table.ctx, 'putThings', items(60));
    expect(table.stored.size).toBe(60);
    expect(table.sent.map((s) => s.size)).toEqual([25, 1, 1, 25, 10]);
  });

  it('gets in requests of 100, re-asking for unprocessed keys, and finds every stored item', async () => {
    const table = throttlingTable(0);
    await batchPutAll(table.ctx, 'putThings', items(150));
    const reader = throttlingTable(1);
    for (const [k, v] of table.stored) reader.stored.set(k, v);
    const got = await batchGetAll(
      reader.ctx,
      'getThings',
      items(150).map(({ pk, sk }) => ({ pk, sk })),
    );
    expect(got).toHaveLength(150);
    expect(reader.sent.map((s) => s.size)).toEqual([100, 1, 50]);
  });

  it('gives up after persistent throttling with a retryable error naming the operation', async () => {
    const table = throttlingTable(1_000);
    const error = await batchPutAll(table.ctx, 'putThings', items(3)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TradingError);
    expect((error as TradingError).kind).toBe('retryable');
    expect((error as TradingError).message).toMatch(/^putThings: 1 items left unprocessed/);
  });
});
