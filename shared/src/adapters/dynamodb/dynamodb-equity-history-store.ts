import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { TradingError } from '../../domain/errors/trading-error';
import { parseDecimal } from '../../domain/money/decimal';
import { krw } from '../../domain/money/quantities';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { kstDayStart } from '../../domain/time/kst-calendar';
import type { EquityHistoryStore, EquityPoint } from '../../ports/equity-history-store';
import { guard, isConditionFailed } from './dynamodb-errors';
import type { Item } from './item-codec';
import { queryAll, type TableConfig, type TableContext } from './table-context';
import { EQUITY_RETENTION_MS, Keys, padTime, ttlSeconds } from './table-keys';

/** KST day partitions queried ahead of the one being read. */
const PREFETCH_DAYS = 4;

/**
 * Equity points in the state table: one partition per KST day (`EQUITY#<date>` / padded ms), so a
 * day of the dashboard's chart is one query, plus an `EQUITY` / `LATEST` item written only forward
 * in time (`at <= :at`) so the risk function reads the current equity with one GetItem.
 */
export class DynamoDbEquityHistoryStore implements EquityHistoryStore {
  private readonly ctx: TableContext;

  /** Same configuration as DynamoDbStateStore: every store shares the one state table. */
  constructor(config: TableConfig) {
    this.ctx = { db: config.client, tableName: config.tableName };
  }

  putPoint(point: EquityPoint): Promise<void> {
    return guard('putPoint', async () => {
      const body = toItemBody(point);
      await this.ctx.db.send(
        new PutCommand({
          TableName: this.ctx.tableName,
          Item: { ...Keys.equityPoint(point.at), ...body, ttl: ttlSeconds(point.at, EQUITY_RETENTION_MS) },
        }),
      );
      try {
        await this.ctx.db.send(
          new PutCommand({
            TableName: this.ctx.tableName,
            Item: { ...Keys.equityLatest, ...body },
            ConditionExpression: 'attribute_not_exists(pk) OR #at <= :at',
            ExpressionAttributeNames: { '#at': 'at' },
            ExpressionAttributeValues: { ':at': point.at },
          }),
        );
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    });
  }

  latestPoint(): Promise<EquityPoint | undefined> {
    return guard('latestPoint', async () => {
      const { Item: item } = await this.ctx.db.send(
        new GetCommand({ TableName: this.ctx.tableName, Key: Keys.equityLatest, ConsistentRead: true }),
      );
      return item === undefined ? undefined : pointFromItem(item);
    });
  }

  async listPoints(range: { readonly from: EpochMs; readonly to: EpochMs }): Promise<EquityPoint[]> {
    const out: EquityPoint[] = [];
    for await (const day of this.pointsByDay(range)) for (const p of day) out.push(p);
    return out;
  }

  /**
   * One query per KST day partition, the next {@link PREFETCH_DAYS} days already in flight while the
   * caller folds the current one: a 400-day range costs ~400 / 4 round trips of latency, and holds
   * at most that many days in memory.
   */
  async *pointsByDay(range: {
    readonly from: EpochMs;
    readonly to: EpochMs;
  }): AsyncIterable<readonly EquityPoint[]> {
    if (!(range.to > range.from)) return;
    const days: EpochMs[] = [];
    for (let day = kstDayStart(range.from); day < range.to; day = (day + MS.day) as EpochMs) days.push(day);
    const inFlight: Promise<EquityPoint[]>[] = [];
    let next = 0;
    const prefetch = () => {
      for (; next < days.length && inFlight.length < PREFETCH_DAYS; next += 1) {
        const day = this.dayPoints(days[next] as EpochMs, range);
        // Handled here too, so a prefetched day that fails after the caller stopped early is no
        // unhandled rejection; awaiting it below still throws.
        day.catch(() => undefined);
        inFlight.push(day);
      }
    };
    prefetch();
    for (let day = inFlight.shift(); day !== undefined; day = inFlight.shift()) {
      const points = await day;
      prefetch();
      if (points.length > 0) yield points;
    }
  }

  private dayPoints(
    day: EpochMs,
    range: { readonly from: EpochMs; readonly to: EpochMs },
  ): Promise<EquityPoint[]> {
    return guard('listPoints', async () => {
      const items = await queryAll(this.ctx, {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': Keys.equityDayPk(day),
          ':from': padTime(range.from),
          ':to': padTime(range.to - 1),
        },
      });
      return items.map(pointFromItem);
    });
  }
}

function toItemBody(point: EquityPoint): Item {
  return {
    type: 'equity',
    at: point.at,
    equity: point.equity.toString(),
    cash: point.cash.toString(),
    holdings: point.holdings.toString(),
    unpriced: JSON.stringify(point.unpriced),
  };
}

function pointFromItem(item: Item): EquityPoint {
  const { at, equity, cash, holdings, unpriced } = item;
  if (
    typeof at !== 'number' ||
    typeof equity !== 'string' ||
    typeof cash !== 'string' ||
    typeof holdings !== 'string' ||
    typeof unpriced !== 'string'
  )
    throw new TradingError(
      'fatal',
      `stored equity point ${String(item.pk)}/${String(item.sk)} is malformed`,
      {
        code: 'state_store_corrupt_item',
      },
    );
  return {
    at: at as EpochMs,
    equity: krw(parseDecimal(equity)),
    cash: krw(parseDecimal(cash)),
    holdings: krw(parseDecimal(holdings)),
    unpriced: JSON.parse(unpriced) as string[],
  };
}
