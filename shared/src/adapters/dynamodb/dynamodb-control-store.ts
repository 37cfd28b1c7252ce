import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TradingError } from '../../domain/errors/trading-error';
import type { EpochMs } from '../../domain/time/epoch';
import type { EmergencyLatch, LatchRelease } from '../../domain/trading/emergency';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import type { AuditEntry, AuditLog } from '../../ports/audit-log';
import {
  ControlAudit,
  type ControlState,
  type ControlStore,
  type LatchOutcome,
  type ReleaseOutcome,
} from '../../ports/control-store';
import { auditFromItem, auditItem } from './dynamodb-audit';
import { cancellationCodes, guard, isConditionFailed, retryTransactionConflicts } from './dynamodb-errors';
import { type Item, latchFromItem, latchToItem } from './item-codec';
import type { TableContext } from './table-context';
import { Keys } from './table-keys';

/** Strategy toggles are top-level attributes, so one can be set without the map existing first. */
const strategyAttribute = (s: StrategyName): string => `strategyEnabled_${s}`;
// A latch write re-reads and retries when another writer changed the latch between read and write.
const LATCH_ATTEMPTS = 8;

function conditionLost(error: unknown): boolean {
  return isConditionFailed(error) || (cancellationCodes(error)?.includes('ConditionalCheckFailed') ?? false);
}

/**
 * Control flags, the emergency latch and the audit log. Every change writes the control item and
 * its audit entry in one transaction, so the audit trail can never miss a latch or a toggle; the
 * latch is set-if-absent (`attribute_not_exists(latch)`) and escalated or released only under a
 * condition on the exact latch that was read.
 */
export class DynamoDbControlStore implements ControlStore, AuditLog {
  constructor(
    private readonly ctx: TableContext,
    private readonly defaultTradingEnabled: boolean,
  ) {}

  getControl(): Promise<ControlState> {
    return guard('getControl', async () => {
      const { Item: item } = await this.ctx.db.send(
        new GetCommand({ TableName: this.ctx.tableName, Key: Keys.control, ConsistentRead: true }),
      );
      return this.fromItem(item);
    });
  }

  async latchEmergency(latch: EmergencyLatch): Promise<{ outcome: LatchOutcome; latch: EmergencyLatch }> {
    for (let attempt = 0; attempt < LATCH_ATTEMPTS; attempt += 1) {
      const current = (await this.getControl()).latch;
      if (current === undefined) {
        const written = await this.transact(
          'latchEmergency',
          {
            Update: {
              ...this.controlKey(),
              UpdateExpression: 'SET #latch = :latch, updatedAt = :at',
              ConditionExpression: 'attribute_not_exists(#latch)',
              ExpressionAttributeNames: { '#latch': 'latch' },
              ExpressionAttributeValues: { ':latch': latchToItem(latch), ':at': latch.at },
            },
          },
          ControlAudit.latch('emergency_latch', latch, latch),
        );
        if (written) return { outcome: 'set', latch };
        continue;
      }
      if (current.state !== 'reducing' || latch.state !== 'halted')
        return { outcome: 'unchanged', latch: current };
      const escalated: EmergencyLatch = { ...current, state: 'halted' };
      const written = await this.transact(
        'latchEmergency',
        {
          Update: {
            ...this.controlKey(),
            UpdateExpression: 'SET #latch.#state = :halted, updatedAt = :at',
            ConditionExpression: '#latch.#state = :reducing AND #latch.#at = :since',
            ExpressionAttributeNames: { '#latch': 'latch', '#state': 'state', '#at': 'at' },
            ExpressionAttributeValues: {
              ':halted': 'halted',
              ':reducing': 'reducing',
              ':since': current.at,
              ':at': latch.at,
            },
          },
        },
        ControlAudit.latch('emergency_escalate', latch, escalated),
      );
      if (written) return { outcome: 'escalated', latch: escalated };
    }
    throw contention('latchEmergency');
  }

  releaseEmergency(release: LatchRelease, expected: EmergencyLatch): Promise<ReleaseOutcome> {
    return this.releaseExactly(release, expected);
  }

  /**
   * Removes the latch only if the stored one is `expected` in every field (a newer latch or an
   * escalation fails the condition), together with its audit entry. After a lost condition the
   * item is read again to tell "someone released it" from "another latch is there now".
   */
  private async releaseExactly(release: LatchRelease, expected: EmergencyLatch): Promise<ReleaseOutcome> {
    const written = await this.transact(
      'releaseEmergency',
      {
        Update: {
          ...this.controlKey(),
          UpdateExpression: 'REMOVE #latch SET updatedAt = :now',
          ConditionExpression:
            '#latch.#at = :at AND #latch.#state = :state AND #latch.#trigger = :trigger AND #latch.#reason = :reason AND #latch.#actor = :actor',
          ExpressionAttributeNames: {
            '#latch': 'latch',
            '#at': 'at',
            '#state': 'state',
            '#trigger': 'trigger',
            '#reason': 'reason',
            '#actor': 'actor',
          },
          ExpressionAttributeValues: {
            ':at': expected.at,
            ':state': expected.state,
            ':trigger': expected.trigger,
            ':reason': expected.reason,
            ':actor': expected.actor,
            ':now': release.at,
          },
        },
      },
      ControlAudit.release(release, expected),
    );
    if (written) return 'released';
    return (await this.getControl()).latch === undefined ? 'not-latched' : 'changed';
  }

  async setTradingEnabled(enabled: boolean, actor: string, at: EpochMs): Promise<void> {
    await this.transact(
      'setTradingEnabled',
      {
        Update: {
          ...this.controlKey(),
          UpdateExpression: 'SET tradingEnabled = :enabled, updatedAt = :at',
          ExpressionAttributeValues: { ':enabled': enabled, ':at': at },
        },
      },
      ControlAudit.tradingEnabled(enabled, actor, at),
    );
  }

  async setStrategyEnabled(
    strategy: StrategyName,
    enabled: boolean,
    actor: string,
    at: EpochMs,
  ): Promise<void> {
    await this.transact(
      'setStrategyEnabled',
      {
        Update: {
          ...this.controlKey(),
          UpdateExpression: 'SET #flag = :enabled, updatedAt = :at',
          ExpressionAttributeNames: { '#flag': strategyAttribute(strategy) },
          ExpressionAttributeValues: { ':enabled': enabled, ':at': at },
        },
      },
      ControlAudit.strategyEnabled(strategy, enabled, actor, at),
    );
  }

  appendAudit(entry: AuditEntry): Promise<void> {
    return guard('appendAudit', async () => {
      await this.ctx.db.send(new PutCommand({ TableName: this.ctx.tableName, Item: auditItem(entry) }));
    });
  }

  listAudit(options: { readonly limit: number }): Promise<AuditEntry[]> {
    return guard('listAudit', async () => {
      if (options.limit <= 0) return [];
      const { Items } = await this.ctx.db.send(
        new QueryCommand({
          TableName: this.ctx.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': Keys.auditPk },
          ScanIndexForward: false,
          Limit: options.limit,
          ConsistentRead: true,
        }),
      );
      return (Items ?? []).map((item) => auditFromItem(item));
    });
  }

  private controlKey(): { TableName: string; Key: Item } {
    return { TableName: this.ctx.tableName, Key: { ...Keys.control } };
  }

  /**
   * Writes the control change and its audit entry in one transaction. Resolves `false` when the
   * change's condition failed (another writer got there first), so the caller re-reads and decides
   * again; this is checked before `guard` turns SDK errors into TradingErrors, which would hide the
   * cancellation reasons.
   */
  private transact(operation: string, change: Record<string, unknown>, audit: AuditEntry): Promise<boolean> {
    return guard(operation, async () => {
      const items = [change, { Put: { TableName: this.ctx.tableName, Item: auditItem(audit) } }];
      try {
        await retryTransactionConflicts(() =>
          this.ctx.db.send(new TransactWriteCommand({ TransactItems: items as never })),
        );
        return true;
      } catch (error) {
        if (conditionLost(error)) return false;
        throw error;
      }
    });
  }

  private fromItem(item: Item | undefined): ControlState {
    const strategyEnabled: Partial<Record<StrategyName, boolean>> = {};
    for (const s of STRATEGY_NAMES) {
      const flag = item?.[strategyAttribute(s)];
      if (typeof flag === 'boolean') strategyEnabled[s] = flag;
    }
    const latch = item?.latch === undefined ? undefined : latchFromItem(item.latch as Item);
    return {
      ...(latch === undefined ? {} : { latch }),
      tradingEnabled:
        typeof item?.tradingEnabled === 'boolean' ? item.tradingEnabled : this.defaultTradingEnabled,
      strategyEnabled,
      updatedAt: (typeof item?.updatedAt === 'number' ? item.updatedAt : 0) as EpochMs,
    };
  }
}

function contention(operation: string): TradingError {
  return new TradingError(
    'retryable',
    `${operation}: the latch kept changing under concurrent writers; try again`,
    {
      code: 'state_store_contention',
    },
  );
}
