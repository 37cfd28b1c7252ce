import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DecisionId, OrderIdentifier } from '../../domain/orders/identifiers';
import type { LocalOrder } from '../../domain/orders/local-order';
import type { EpochMs } from '../../domain/time/epoch';
import { type OrderRepository, VersionConflictError } from '../../ports/order-repository';
import { guard, isConditionFailed } from './dynamodb-errors';
import { type Item, orderFromItem, orderToItem } from './item-codec';
import { queryAll, type TableContext } from './table-context';
import { ACTIVE_INDEX, ACTIVE_ORDERS_PK, Keys, padTime, REJECTED_ORDERS_PK, UUID_INDEX } from './table-keys';

const ACTIVE_STATES: ReadonlySet<string> = new Set(['pending', 'submitted', 'open']);

/**
 * Orders in the state table: one item per identifier, created with `attribute_not_exists` and
 * replaced only under a `version` condition. Index attributes are recomputed on every write, so an
 * order drops out of the active index in the same write that makes it final. The two GSIs are
 * eventually consistent: callers that just wrote a uuid should look up by identifier.
 */
export class DynamoDbOrderRepository implements OrderRepository {
  constructor(private readonly ctx: TableContext) {}

  private toItem(order: LocalOrder, version: number): Item {
    const active = ACTIVE_STATES.has(order.state);
    return {
      ...Keys.order(order.identifier),
      type: 'order',
      ...orderToItem({ ...order, version }),
      ...(order.uuid === undefined ? {} : { gsi1pk: Keys.orderUuid(order.uuid), gsi1sk: 'ORDER' }),
      ...(active
        ? { gsi2pk: ACTIVE_ORDERS_PK, gsi2sk: `${padTime(order.createdAt)}#${order.identifier}` }
        : {}),
      ...(order.state === 'rejected'
        ? { gsi2pk: REJECTED_ORDERS_PK, gsi2sk: `${padTime(order.updatedAt)}#${order.identifier}` }
        : {}),
    };
  }

  createOrder(order: LocalOrder): Promise<'created' | 'exists'> {
    return guard('createOrder', async () => {
      try {
        await this.ctx.db.send(
          new PutCommand({
            TableName: this.ctx.tableName,
            Item: this.toItem(order, 1),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return 'created';
      } catch (error) {
        if (isConditionFailed(error)) return 'exists';
        throw error;
      }
    });
  }

  updateOrder(order: LocalOrder, expectedVersion: number): Promise<LocalOrder> {
    return guard('updateOrder', async () => {
      const next = expectedVersion + 1;
      try {
        await this.ctx.db.send(
          new PutCommand({
            TableName: this.ctx.tableName,
            Item: this.toItem(order, next),
            // Version 0 never exists for orders, so an update can never create one.
            ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          }),
        );
      } catch (error) {
        if (isConditionFailed(error))
          throw new VersionConflictError(
            `order ${order.identifier}: stored version is not ${expectedVersion} (or the order does not exist)`,
          );
        throw error;
      }
      return { ...order, version: next };
    });
  }

  getOrder(identifier: OrderIdentifier): Promise<LocalOrder | undefined> {
    return guard('getOrder', async () => {
      const { Item: item } = await this.ctx.db.send(
        new GetCommand({ TableName: this.ctx.tableName, Key: Keys.order(identifier), ConsistentRead: true }),
      );
      return item === undefined ? undefined : orderFromItem(item);
    });
  }

  getOrderByUuid(uuid: string): Promise<LocalOrder | undefined> {
    return guard('getOrderByUuid', async () => {
      const { Items } = await this.ctx.db.send(
        new QueryCommand({
          TableName: this.ctx.tableName,
          IndexName: UUID_INDEX,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': Keys.orderUuid(uuid) },
          Limit: 1,
        }),
      );
      const [item] = Items ?? [];
      return item === undefined ? undefined : orderFromItem(item);
    });
  }

  listOrdersByDecision(decisionId: DecisionId): Promise<LocalOrder[]> {
    return guard('listOrdersByDecision', async () => {
      const items = await queryAll(this.ctx, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': Keys.ordersOfDecisionPk(decisionId),
          ':prefix': Keys.orderSkPrefix,
        },
        ConsistentRead: true,
      });
      return items.map(orderFromItem);
    });
  }

  listActiveOrders(): Promise<LocalOrder[]> {
    return guard('listActiveOrders', async () => {
      const items = await queryAll(this.ctx, {
        IndexName: ACTIVE_INDEX,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': ACTIVE_ORDERS_PK },
      });
      return items.map(orderFromItem);
    });
  }

  listOrdersRejectedSince(since: EpochMs): Promise<LocalOrder[]> {
    return guard('listOrdersRejectedSince', async () => {
      const items = await queryAll(this.ctx, {
        IndexName: ACTIVE_INDEX,
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk >= :from',
        ExpressionAttributeValues: { ':pk': REJECTED_ORDERS_PK, ':from': padTime(since) },
      });
      return items.map(orderFromItem);
    });
  }
}
