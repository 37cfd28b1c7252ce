import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Market } from '../../domain/market/market-id';
import type { EpochMs } from '../../domain/time/epoch';
import { kstDateKey, kstDayStart, nextKstDayStart } from '../../domain/time/kst-calendar';
import type { Fill } from '../../domain/trading/fill';
import type { Position } from '../../domain/trading/position';
import type { RiskLedgerEntry } from '../../domain/trading/risk-ledger';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { FillJournal, VersionedWrite } from '../../ports/fill-journal';
import { VersionConflictError } from '../../ports/order-repository';
import { cancellationCodes, guard, isConditionFailed, retryTransactionConflicts } from './dynamodb-errors';
import {
  fillFromItem,
  fillToItem,
  ledgerFromItem,
  ledgerToItem,
  positionFromItem,
  positionToItem,
} from './item-codec';
import { queryAll, type TableContext, versionCondition } from './table-context';
import { Keys, padTime } from './table-keys';

/**
 * Fills, positions and the risk ledger in the state table. `applyFill` is one TransactWriteItems:
 * a fillId marker (`attribute_not_exists`, so a replayed fill is a duplicate), the fill under its
 * KST day (for "fills by day" queries), and the position and ledger entries under version
 * conditions — all written or none.
 */
export class DynamoDbFillJournal implements FillJournal {
  constructor(private readonly ctx: TableContext) {}

  applyFill(
    fill: Fill,
    position: VersionedWrite<Position>,
    ledger: readonly VersionedWrite<RiskLedgerEntry>[],
  ): Promise<'applied' | 'duplicate'> {
    return guard('applyFill', async () => {
      const table = this.ctx.tableName;
      const fillKey = Keys.fill(fill.at, fill.fillId);
      const items = [
        {
          Put: {
            TableName: table,
            Item: {
              ...Keys.fillMarker(fill.fillId),
              type: 'fill-marker',
              fillPk: fillKey.pk,
              fillSk: fillKey.sk,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: table, Item: { ...fillKey, type: 'fill', ...fillToItem(fill) } } },
        {
          Put: {
            TableName: table,
            Item: {
              ...Keys.position(position.item.market, position.item.strategy),
              type: 'position',
              ...positionToItem(position.item),
              version: position.expectedVersion + 1,
            },
            ...versionCondition(position.expectedVersion),
          },
        },
        ...ledger.map((write) => ({
          Put: {
            TableName: table,
            Item: {
              ...Keys.ledger(write.item.periodKey),
              type: 'ledger',
              ...ledgerToItem(write.item),
              version: write.expectedVersion + 1,
            },
            ...versionCondition(write.expectedVersion),
          },
        })),
      ];
      try {
        await retryTransactionConflicts(() =>
          this.ctx.db.send(new TransactWriteCommand({ TransactItems: items })),
        );
        return 'applied';
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes === undefined) throw error;
        if (codes[0] === 'ConditionalCheckFailed') return 'duplicate';
        if (codes.includes('ConditionalCheckFailed'))
          throw new VersionConflictError(
            `fill ${fill.fillId}: position or ledger version changed (${describeConflicts(codes, position, ledger)})`,
          );
        throw error;
      }
    });
  }

  hasFill(fillId: string): Promise<boolean> {
    return guard('hasFill', async () => {
      // The marker applyFill writes in the same transaction as the fill.
      const { Item: item } = await this.ctx.db.send(
        new GetCommand({ TableName: this.ctx.tableName, Key: Keys.fillMarker(fillId), ConsistentRead: true }),
      );
      return item !== undefined;
    });
  }

  listFills(range: { readonly from: EpochMs; readonly to: EpochMs }): Promise<Fill[]> {
    return guard('listFills', async () => {
      const fills: Fill[] = [];
      if (range.to <= range.from) return fills;
      const last = `${padTime(range.to - 1)}#\uffff`;
      for (let day = kstDayStart(range.from); day < range.to; day = nextKstDayStart(day)) {
        const items = await queryAll(this.ctx, {
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': Keys.fillsDayPk(kstDateKey(day)),
            ':from': padTime(range.from),
            ':to': last,
          },
          ConsistentRead: true,
        });
        for (const item of items) fills.push(fillFromItem(item));
      }
      return fills;
    });
  }

  getPosition(market: Market, strategy: StrategyName | 'operator'): Promise<Position | undefined> {
    return guard('getPosition', async () => {
      const { Item: item } = await this.ctx.db.send(
        new GetCommand({
          TableName: this.ctx.tableName,
          Key: Keys.position(market, strategy),
          ConsistentRead: true,
        }),
      );
      return item === undefined ? undefined : positionFromItem(item);
    });
  }

  listPositions(): Promise<Position[]> {
    return guard('listPositions', async () => {
      const items = await queryAll(this.ctx, {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': Keys.positionsPk },
        ConsistentRead: true,
      });
      return items.map(positionFromItem);
    });
  }

  getLedgerEntry(periodKey: string): Promise<RiskLedgerEntry | undefined> {
    return guard('getLedgerEntry', async () => {
      const { Item: item } = await this.ctx.db.send(
        new GetCommand({ TableName: this.ctx.tableName, Key: Keys.ledger(periodKey), ConsistentRead: true }),
      );
      return item === undefined ? undefined : ledgerFromItem(item);
    });
  }

  putLedgerEntry(write: VersionedWrite<RiskLedgerEntry>): Promise<void> {
    return guard('putLedgerEntry', async () => {
      try {
        await this.ctx.db.send(
          new PutCommand({
            TableName: this.ctx.tableName,
            Item: {
              ...Keys.ledger(write.item.periodKey),
              type: 'ledger',
              ...ledgerToItem(write.item),
              version: write.expectedVersion + 1,
            },
            ...versionCondition(write.expectedVersion),
          }),
        );
      } catch (error) {
        if (isConditionFailed(error))
          throw new VersionConflictError(
            `ledger ${write.item.periodKey}: stored version is not ${write.expectedVersion}`,
          );
        throw error;
      }
    });
  }
}

function describeConflicts(
  codes: readonly string[],
  position: VersionedWrite<Position>,
  ledger: readonly VersionedWrite<RiskLedgerEntry>[],
): string {
  const names = [
    `position ${position.item.market}/${position.item.strategy}@${position.expectedVersion}`,
    ...ledger.map((w) => `ledger ${w.item.periodKey}@${w.expectedVersion}`),
  ];
  return names.filter((_, i) => codes[i + 2] === 'ConditionalCheckFailed').join(', ');
}
