import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { decisionFromWire, decisionToWire } from '../../application/messaging/decision-wire';
import type { DecisionId } from '../../domain/orders/identifiers';
import type { Decision } from '../../domain/trading/decision';
import type { DecisionLog } from '../../ports/decision-log';
import { guard, isConditionFailed } from './dynamodb-errors';
import type { TableContext } from './table-context';
import { Keys, ttlSeconds } from './table-keys';

/**
 * Decisions stored once by id (`attribute_not_exists`), as the same wire object the queue carries
 * (decimals as strings). They expire through TTL after the retention period.
 */
export class DynamoDbDecisionLog implements DecisionLog {
  constructor(
    private readonly ctx: TableContext,
    private readonly retentionMs: number,
  ) {}

  recordDecision(decision: Decision): Promise<'created' | 'duplicate'> {
    return guard('recordDecision', async () => {
      try {
        await this.ctx.db.send(
          new PutCommand({
            TableName: this.ctx.tableName,
            Item: {
              ...Keys.decision(decision.id),
              type: 'decision',
              market: decision.market,
              createdAt: decision.createdAt,
              decision: decisionToWire(decision),
              ttl: ttlSeconds(decision.createdAt, this.retentionMs),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return 'created';
      } catch (error) {
        if (isConditionFailed(error)) return 'duplicate';
        throw error;
      }
    });
  }

  getDecision(id: DecisionId): Promise<Decision | undefined> {
    return guard('getDecision', async () => {
      const { Item: item } = await this.ctx.db.send(
        new GetCommand({ TableName: this.ctx.tableName, Key: Keys.decision(id), ConsistentRead: true }),
      );
      return item === undefined ? undefined : decisionFromWire(item.decision);
    });
  }
}
