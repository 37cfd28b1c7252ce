import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TradingError } from '../../domain/errors/trading-error';
import type { EpochMs } from '../../domain/time/epoch';
import type { EmergencyLatch, LatchRelease } from '../../domain/trading/emergency';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import type { AuditEntry, AuditLog } from '../../ports/audit-log';
import type { ControlState, ControlStore, LatchOutcome } from '../../ports/control-store';
import { latchAudit, releaseAudit } from '../memory/memory-state-store';
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
          latchAudit('emergency_latch', latch, latch),
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
        latchAudit('emergency_escalate', latch, escalated),
      );
      if (written) return { outcome: 'escalated', latch: escalated };
    }
    throw contention('latchEmergency');
  }

  async releaseEmergency(release: LatchRelease): Promise<'released' | 'not-latched'> {
    for (let attempt = 0; attempt < LATCH_ATTEMPTS; attempt += 1) {
      const current = (await this.getControl()).latch;
      if (current === undefined) return 'not-latched';
      const written = await this.transact(
        'releaseEmergency',
        {
          Update: {
            ...this.controlKey(),
            UpdateExpression: 'REMOVE #latch SET updatedAt = :at',
            ConditionExpression:
              '#latch.#at = :since AND #latch.#state = :state AND #latch.#reason = :reason',
            ExpressionAttributeNames: {
              '#latch': 'latch',
              '#at': 'at',
              '#state': 'state',
              '#reason': 'reason',
            },
            ExpressionAttributeValues: {
              ':since': current.at,
              ':state': current.state,
              ':reason': current.reason,
              ':at': release.at,
            },
          },
        },
        releaseAudit(release, current),
      );
      if (written) return 'released';
    }
    throw contention('releaseEmergency');
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
      { at, actor, action: 'trading_enabled', details: { enabled } },
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
      { at, actor, action: 'strategy_enabled', details: { strategy, enabled } },
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
      return (Items ?? []).map((item) => ({
        at: item.at as EpochMs,
        actor: String(item.actor),
        action: String(item.action),
        details: (item.details ?? {}) as AuditEntry['details'],
      }));
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

/**
 * Tie-break for audit entries with the same `at`: the host's monotonic clock (nanoseconds, padded so
 * lexical order is numeric order) keeps entries of one writer in write order, as the memory store
 * does; the random suffix keeps keys unique across writers.
 */
function writeOrderTag(): string {
  return `${process.hrtime.bigint().toString().padStart(20, '0')}-${randomUUID().slice(0, 8)}`;
}

function auditItem(entry: AuditEntry): Item {
  return {
    ...Keys.audit(entry.at, writeOrderTag()),
    type: 'audit',
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    details: { ...entry.details },
  };
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
