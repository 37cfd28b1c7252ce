import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Item } from './item-codec';

/** What every table section needs: the client and the table name. */
export interface TableContext {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** Runs a query to the end, following `LastEvaluatedKey` pages. */
export async function queryAll(
  ctx: TableContext,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ctx.db.send(
      new QueryCommand({
        ...input,
        TableName: ctx.tableName,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    items.push(...((page.Items ?? []) as Item[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

/** Condition for a versioned put: absent when `expectedVersion` is 0, else stored `version` equals it. */
export function versionCondition(expectedVersion: number): {
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
} {
  if (expectedVersion === 0) return { ConditionExpression: 'attribute_not_exists(pk)' };
  return {
    ConditionExpression: '#version = :expected',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':expected': expectedVersion },
  };
}

/**
 * The newest `limit` items of one partition, newest first (`ScanIndexForward=false`). Follows pages
 * until it has `limit` items, because a page ends at 1 MB whatever `Limit` says (large reports).
 */
export async function queryNewest(
  ctx: TableContext,
  pk: string,
  limit: number,
  consistent: boolean,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  while (items.length < limit) {
    const page = await ctx.db.send(
      new QueryCommand({
        TableName: ctx.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: limit - items.length,
        ConsistentRead: consistent,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    items.push(...((page.Items ?? []) as Item[]));
    startKey = page.LastEvaluatedKey;
    if (startKey === undefined) break;
  }
  return items;
}

/** What a composition root passes to a table adapter: the document client and the table's name. */
export interface TableConfig {
  readonly client: DynamoDBDocumentClient;
  /** The table of infra/resources/dynamodb.yml (`<service>-<stage>-state`). */
  readonly tableName: string;
}
