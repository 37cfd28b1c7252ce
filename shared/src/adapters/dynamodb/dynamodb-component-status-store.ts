import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { TradingError } from '../../domain/errors/trading-error';
import type { EpochMs } from '../../domain/time/epoch';
import {
  COMPONENT_NAMES,
  type ComponentName,
  type ComponentStatus,
  type ComponentStatusStore,
} from '../../ports/component-status-store';
import { guard, isConditionFailed } from './dynamodb-errors';
import type { Item } from './item-codec';
import { queryAll, type TableConfig, type TableContext } from './table-context';
import { Keys } from './table-keys';

/**
 * Component heartbeats in the state table (`STATUS` / component, no TTL: a component that stopped
 * reporting must stay visible as stale, not vanish). A put only replaces an older status
 * (`at <= :at`), so a delayed retry never overwrites a newer heartbeat.
 */
export class DynamoDbComponentStatusStore implements ComponentStatusStore {
  private readonly ctx: TableContext;

  /** Same configuration as DynamoDbStateStore: every store shares the one state table. */
  constructor(config: TableConfig) {
    this.ctx = { db: config.client, tableName: config.tableName };
  }

  putStatus(status: ComponentStatus): Promise<'stored' | 'stale'> {
    return guard('putStatus', async () => {
      try {
        await this.ctx.db.send(
          new PutCommand({
            TableName: this.ctx.tableName,
            Item: {
              ...Keys.status(status.component),
              type: 'status',
              component: status.component,
              at: status.at,
              healthy: status.healthy,
              summary: status.summary,
              details: JSON.stringify(status.details),
            },
            ConditionExpression: 'attribute_not_exists(pk) OR #at <= :at',
            ExpressionAttributeNames: { '#at': 'at' },
            ExpressionAttributeValues: { ':at': status.at },
          }),
        );
        return 'stored';
      } catch (error) {
        if (isConditionFailed(error)) return 'stale';
        throw error;
      }
    });
  }

  getStatus(component: ComponentName): Promise<ComponentStatus | undefined> {
    return guard('getStatus', async () => {
      const { Item: item } = await this.ctx.db.send(
        new GetCommand({ TableName: this.ctx.tableName, Key: Keys.status(component), ConsistentRead: true }),
      );
      return item === undefined ? undefined : statusFromItem(item);
    });
  }

  listStatuses(): Promise<ComponentStatus[]> {
    return guard('listStatuses', async () => {
      const items = await queryAll(this.ctx, {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': Keys.statusPk },
        ConsistentRead: true,
      });
      const byName = new Map(items.map((i) => [i.component, statusFromItem(i)]));
      return COMPONENT_NAMES.flatMap((n) => {
        const s = byName.get(n);
        return s === undefined ? [] : [s];
      });
    });
  }
}

function statusFromItem(item: Item): ComponentStatus {
  const component = item.component;
  if (
    typeof component !== 'string' ||
    !(COMPONENT_NAMES as readonly string[]).includes(component) ||
    typeof item.at !== 'number' ||
    typeof item.healthy !== 'boolean' ||
    typeof item.summary !== 'string' ||
    typeof item.details !== 'string'
  )
    throw new TradingError('fatal', `stored status ${String(item.sk)} is malformed`, {
      code: 'state_store_corrupt_item',
    });
  return {
    component: component as ComponentName,
    at: item.at as EpochMs,
    healthy: item.healthy,
    summary: item.summary,
    details: JSON.parse(item.details),
  };
}
