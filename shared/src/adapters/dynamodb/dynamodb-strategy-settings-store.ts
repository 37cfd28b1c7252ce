import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TradingError } from '../../domain/errors/trading-error';
import type { EpochMs } from '../../domain/time/epoch';
import { isStrategyName, type StrategyName } from '../../domain/trading/strategy-name';
import { VersionConflictError } from '../../ports/order-repository';
import {
  checkStrategySettings,
  type StrategySettings,
  type StrategySettingsChange,
  type StrategySettingsStore,
  strategySettingsAudit,
} from '../../ports/strategy-settings-store';
import { auditItem } from './dynamodb-audit';
import { cancellationCodes, guard, retryTransactionConflicts } from './dynamodb-errors';
import type { Item } from './item-codec';
import { queryAll, type TableConfig, type TableContext, versionCondition } from './table-context';
import { Keys } from './table-keys';

/**
 * Runtime strategy settings in the state table (`SETTINGS#STRATEGY` / strategy). A change is one
 * transaction: the settings item under a version condition and its audit entry, so a lost race is a
 * `VersionConflictError` with nothing written, and no change is ever missing from the audit log.
 */
export class DynamoDbStrategySettingsStore implements StrategySettingsStore {
  private readonly ctx: TableContext;

  /** Same configuration as DynamoDbStateStore: every store shares the one state table. */
  constructor(config: TableConfig) {
    this.ctx = { db: config.client, tableName: config.tableName };
  }

  getStrategySettings(strategy: StrategyName): Promise<StrategySettings | undefined> {
    return guard('getStrategySettings', async () => {
      const { Item: item } = await this.ctx.db.send(
        new GetCommand({ TableName: this.ctx.tableName, Key: Keys.settings(strategy), ConsistentRead: true }),
      );
      return item === undefined ? undefined : settingsFromItem(item);
    });
  }

  listStrategySettings(): Promise<StrategySettings[]> {
    return guard('listStrategySettings', async () => {
      const items = await queryAll(this.ctx, {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': Keys.settingsPk },
        ConsistentRead: true,
      });
      return items.map(settingsFromItem);
    });
  }

  async putStrategySettings(
    change: StrategySettingsChange,
    expectedVersion: number,
  ): Promise<StrategySettings> {
    checkStrategySettings(change);
    const stored: StrategySettings = {
      ...change,
      params: { ...change.params },
      version: expectedVersion + 1,
    };
    return guard('putStrategySettings', async () => {
      const items = [
        {
          Put: {
            TableName: this.ctx.tableName,
            Item: { ...Keys.settings(change.strategy), type: 'strategy_settings', ...settingsToItem(stored) },
            ...versionCondition(expectedVersion),
          },
        },
        { Put: { TableName: this.ctx.tableName, Item: auditItem(strategySettingsAudit(stored)) } },
      ];
      try {
        await retryTransactionConflicts(() =>
          this.ctx.db.send(new TransactWriteCommand({ TransactItems: items })),
        );
        return stored;
      } catch (error) {
        if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed')
          throw new VersionConflictError(
            `strategy settings ${change.strategy}: expected version ${expectedVersion}, it changed meanwhile`,
          );
        throw error;
      }
    });
  }
}

function settingsToItem(s: StrategySettings): Item {
  return {
    strategy: s.strategy,
    enabled: s.enabled,
    weight: s.weight,
    // JSON text keeps each override's type (number, text, switch) exactly as given.
    params: JSON.stringify(s.params),
    version: s.version,
    updatedAt: s.updatedAt,
    updatedBy: s.updatedBy,
  };
}

function settingsFromItem(item: Item): StrategySettings {
  const { strategy, enabled, weight, params, version, updatedAt, updatedBy } = item;
  if (
    typeof strategy !== 'string' ||
    !isStrategyName(strategy) ||
    typeof enabled !== 'boolean' ||
    typeof weight !== 'number' ||
    typeof params !== 'string' ||
    typeof version !== 'number' ||
    typeof updatedAt !== 'number' ||
    typeof updatedBy !== 'string'
  )
    throw new TradingError('fatal', `stored strategy settings ${String(item.sk)} are malformed`, {
      code: 'state_store_corrupt_item',
    });
  return {
    strategy,
    enabled,
    weight,
    params: JSON.parse(params) as StrategySettings['params'],
    version,
    updatedAt: updatedAt as EpochMs,
    updatedBy,
  };
}
