import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TradingError } from '../../domain/errors/trading-error';
import type { Item } from './item-codec';
import type { TableContext } from './table-context';

/** BatchWriteItem takes at most 25 puts per call. */
const BATCH_WRITE_SIZE = 25;
/** BatchGetItem takes at most 100 keys per call. */
const BATCH_GET_SIZE = 100;
/** Rounds of re-sending what DynamoDB left unprocessed (throttling) before giving up as retryable. */
const UNPROCESSED_ROUNDS = 6;

/**
 * Runs `send` on `pending` until DynamoDB has processed everything, with full-jitter backoff between
 * rounds. Throttling that outlasts the rounds is a retryable state-store error naming the operation,
 * so a caller retries the whole (idempotent) write or read rather than losing the remainder.
 */
async function untilProcessed<T>(
  operation: string,
  pending: T[],
  send: (batch: T[]) => Promise<T[]>,
): Promise<void> {
  for (let round = 0; pending.length > 0; round += 1) {
    if (round >= UNPROCESSED_ROUNDS)
      throw new TradingError(
        'retryable',
        `${operation}: ${pending.length} items left unprocessed (throttled)`,
        {
          code: 'state_store_unavailable',
        },
      );
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** round));
    pending = await send(pending);
  }
}

/**
 * Plain puts of `items`, 25 per request, re-sending unprocessed ones. Puts replace, so a retry after
 * a partial failure is idempotent. An item key must not appear twice (DynamoDB refuses the request).
 */
export async function batchPutAll(
  ctx: TableContext,
  operation: string,
  items: readonly Item[],
): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH_WRITE_SIZE) {
    const requests = items.slice(i, i + BATCH_WRITE_SIZE).map((Item) => ({ PutRequest: { Item } }));
    await untilProcessed(operation, requests, async (pending) => {
      const { UnprocessedItems } = await ctx.db.send(
        new BatchWriteCommand({ RequestItems: { [ctx.tableName]: pending } }),
      );
      return (UnprocessedItems?.[ctx.tableName] ?? []) as typeof pending;
    });
  }
}

/**
 * Strongly consistent gets of `keys`, 100 per request, re-asking for unprocessed ones; items in no
 * particular order, absent keys simply missing.
 */
export async function batchGetAll(
  ctx: TableContext,
  operation: string,
  keys: readonly Record<string, unknown>[],
): Promise<Item[]> {
  const items: Item[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_SIZE)
    await untilProcessed(operation, keys.slice(i, i + BATCH_GET_SIZE), async (pending) => {
      const out = await ctx.db.send(
        new BatchGetCommand({ RequestItems: { [ctx.tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      items.push(...((out.Responses?.[ctx.tableName] ?? []) as Item[]));
      return (out.UnprocessedKeys?.[ctx.tableName]?.Keys ?? []) as Record<string, unknown>[];
    });
  return items;
}
