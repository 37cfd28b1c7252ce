import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { TradingError } from '../../domain/errors/trading-error';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { TIMEFRAME_MS, type Timeframe } from '../../domain/market/timeframe';
import type { EpochMs } from '../../domain/time/epoch';
import {
  checkCandle,
  checkFeatures,
  type MarketDataStore,
  type MicrostructureFeatures,
} from '../../ports/market-data-store';
import { guard } from './dynamodb-errors';
import type { Item } from './item-codec';
import { batchPutAll } from './table-batch';
import { queryAll, queryNewest, type TableConfig, type TableContext } from './table-context';
import { CANDLE_RETENTION_MS, FEATURES_RETENTION_MS, Keys, padTime, ttlSeconds } from './table-keys';

/**
 * Candles and microstructure features in the state table (`CANDLES#<market>#<timeframe>` and
 * `FEATURES#<market>`, sorted by padded open time / minute, TTL per infra/README.md). Candle writes
 * are plain puts batched 25 at a time: rewriting a bar replaces it, so retries are idempotent.
 * Prices and volumes are stored as the number's shortest decimal text, which parses back to the
 * identical float64 and never trips the SDK's safe-integer guard on large KRW turnovers. Reads are
 * strongly consistent: the analysis runs right after the collector wrote the bar that just closed,
 * and an eventually consistent read could miss exactly that bar.
 */
export class DynamoDbMarketDataStore implements MarketDataStore {
  private readonly ctx: TableContext;

  /** Same configuration as DynamoDbStateStore: every store shares the one state table. */
  constructor(config: TableConfig) {
    this.ctx = { db: config.client, tableName: config.tableName };
  }

  async putCandles(candles: readonly Candle[]): Promise<void> {
    // One request may not hold the same key twice: the last version of a bar wins, as in memory.
    const byKey = new Map<string, Item>();
    for (const c of candles) {
      const item = candleToItem(c);
      byKey.set(`${item.pk}/${item.sk}`, item);
    }
    const items = [...byKey.values()];
    return guard('putCandles', async () => {
      await batchPutAll(this.ctx, 'putCandles', items);
    });
  }

  latestCandles(market: Market, timeframe: Timeframe, limit: number): Promise<Candle[]> {
    return guard('latestCandles', async () => {
      if (limit <= 0) return [];
      const items = await queryNewest(this.ctx, Keys.candlesPk(market, timeframe), limit, true);
      return items.reverse().map(candleFromItem);
    });
  }

  candlesBetween(
    market: Market,
    timeframe: Timeframe,
    range: { readonly from: EpochMs; readonly to: EpochMs },
  ): Promise<Candle[]> {
    return guard('candlesBetween', async () => {
      if (range.to <= range.from) return [];
      const items = await queryAll(this.ctx, {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': Keys.candlesPk(market, timeframe),
          ':from': padTime(range.from),
          ':to': padTime(range.to - 1),
        },
        ConsistentRead: true,
      });
      return items.map(candleFromItem);
    });
  }

  async putFeatures(features: MicrostructureFeatures): Promise<void> {
    checkFeatures(features);
    return guard('putFeatures', async () => {
      await this.ctx.db.send(
        new PutCommand({
          TableName: this.ctx.tableName,
          Item: {
            ...Keys.features(features.market, features.minute),
            type: 'features',
            market: features.market,
            minute: features.minute,
            values: JSON.stringify(features.values),
            ttl: ttlSeconds(features.minute, FEATURES_RETENTION_MS),
          },
        }),
      );
    });
  }

  getFeatures(market: Market, minute: EpochMs): Promise<MicrostructureFeatures | undefined> {
    return guard('getFeatures', async () => {
      const { Item: item } = await this.ctx.db.send(
        new GetCommand({
          TableName: this.ctx.tableName,
          Key: Keys.features(market, minute),
          ConsistentRead: true,
        }),
      );
      return item === undefined ? undefined : featuresFromItem(item);
    });
  }

  latestFeatures(market: Market, limit: number): Promise<MicrostructureFeatures[]> {
    return guard('latestFeatures', async () => {
      if (limit <= 0) return [];
      const items = await queryNewest(this.ctx, Keys.featuresPk(market), limit, true);
      return items.reverse().map(featuresFromItem);
    });
  }
}

const CANDLE_FIELDS = ['open', 'high', 'low', 'close', 'volume', 'quoteVolume'] as const;

function candleToItem(c: Candle): Item {
  checkCandle(c);
  const item: Item = {
    ...Keys.candle(c.market, c.timeframe, c.openTime),
    type: 'candle',
    market: c.market,
    timeframe: c.timeframe,
    openTime: c.openTime,
    ttl: ttlSeconds(c.openTime, CANDLE_RETENTION_MS[c.timeframe]),
  };
  for (const f of CANDLE_FIELDS) {
    item[f] = String(c[f]);
  }
  return item;
}

function corrupt(item: Item, what: string): TradingError {
  return new TradingError('fatal', `stored item ${String(item.pk)}/${String(item.sk)}: ${what}`, {
    code: 'state_store_corrupt_item',
  });
}

function candleFromItem(item: Item): Candle {
  const { market, timeframe, openTime } = item;
  if (typeof market !== 'string' || typeof timeframe !== 'string' || !Object.hasOwn(TIMEFRAME_MS, timeframe))
    throw corrupt(item, 'market or timeframe missing');
  if (typeof openTime !== 'number') throw corrupt(item, 'openTime is not a number');
  const value = (f: (typeof CANDLE_FIELDS)[number]): number => {
    const n = typeof item[f] === 'string' ? Number(item[f]) : Number.NaN;
    if (!Number.isFinite(n)) throw corrupt(item, `${f} is not a decimal number`);
    return n;
  };
  return {
    market: market as Market,
    timeframe: timeframe as Timeframe,
    openTime: openTime as EpochMs,
    open: value('open'),
    high: value('high'),
    low: value('low'),
    close: value('close'),
    volume: value('volume'),
    quoteVolume: value('quoteVolume'),
  };
}

function featuresFromItem(item: Item): MicrostructureFeatures {
  const { market, minute, values } = item;
  if (typeof market !== 'string' || typeof minute !== 'number' || typeof values !== 'string')
    throw corrupt(item, 'features item is malformed');
  return { market: market as Market, minute: minute as EpochMs, values: JSON.parse(values) };
}
