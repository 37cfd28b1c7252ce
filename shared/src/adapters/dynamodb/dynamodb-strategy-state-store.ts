import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { TradingError } from '../../domain/errors/trading-error';
import type { EpochMs } from '../../domain/time/epoch';
import {
  checkSnapshotWrite,
  type StrategySnapshot,
  type StrategySnapshotWrite,
  type StrategyStateStore,
} from '../../ports/strategy-state-store';
import { guard, isConditionFailed } from './dynamodb-errors';
import type { Item } from './item-codec';
import { batchGetAll } from './table-batch';
import { type TableConfig, type TableContext, versionCondition } from './table-context';
import { Keys, STRATEGY_STATE_RETENTION_MS, ttlSeconds } from './table-keys';

/**
 * Strategy snapshots in the state table (`STRATEGYSTATE#<key>` / `STATE`, one partition each, TTL
 * 30 days after the last write). Puts are compare-and-set on `version`; reads are strongly
 * consistent batch gets, because the next minute's analysis must see the state the previous one
 * wrote.
 */
export class DynamoDbStrategyStateStore implements StrategyStateStore {
  private readonly ctx: TableContext;

  /** Same configuration as DynamoDbStateStore: every store shares the one state table. */
  constructor(config: TableConfig) {
    this.ctx = { db: config.client, tableName: config.tableName };
  }

  getSnapshots(keys: readonly string[]): Promise<Map<string, StrategySnapshot>> {
    return guard('getSnapshots', async () => {
      const out = new Map<string, StrategySnapshot>();
      const unique = [...new Set(keys)];
      const keyItems = unique.map((k) => Keys.strategyState(k) as unknown as Record<string, unknown>);
      for (const item of await batchGetAll(this.ctx, 'getSnapshots', keyItems)) {
        const s = snapshotFromItem(item);
        out.set(s.key, s);
      }
      return out;
    });
  }

  async putSnapshot(
    write: StrategySnapshotWrite,
    expectedVersion: number,
  ): Promise<StrategySnapshot | 'conflict'> {
    checkSnapshotWrite(write);
    return guard('putSnapshot', async () => {
      const stored: StrategySnapshot = { ...write, version: expectedVersion + 1 };
      try {
        await this.ctx.db.send(
          new PutCommand({
            TableName: this.ctx.tableName,
            Item: {
              ...Keys.strategyState(write.key),
              type: 'strategy_state',
              key: write.key,
              lastBarAt: write.lastBarAt,
              savedAt: write.savedAt,
              body: write.body,
              version: stored.version,
              ttl: ttlSeconds(write.savedAt, STRATEGY_STATE_RETENTION_MS),
            },
            ...versionCondition(expectedVersion),
          }),
        );
        return stored;
      } catch (error) {
        if (isConditionFailed(error)) return 'conflict';
        throw error;
      }
    });
  }
}

function snapshotFromItem(item: Item): StrategySnapshot {
  const { key, lastBarAt, savedAt, body, version } = item;
  if (
    typeof key !== 'string' ||
    typeof lastBarAt !== 'number' ||
    typeof savedAt !== 'number' ||
    typeof body !== 'string' ||
    typeof version !== 'number'
  )
    throw new TradingError('fatal', `stored strategy snapshot ${String(item.pk)} is malformed`, {
      code: 'state_store_corrupt_item',
    });
  return { key, lastBarAt: lastBarAt as EpochMs, savedAt: savedAt as EpochMs, body, version };
}
