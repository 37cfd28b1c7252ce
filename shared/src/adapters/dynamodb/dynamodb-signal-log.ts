import { TradingError } from '../../domain/errors/trading-error';
import { isMarket, type Market } from '../../domain/market/market-id';
import { parseDecisionId } from '../../domain/orders/identifiers';
import type { SignalDirection } from '../../domain/strategies/strategy';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { kstDateKey } from '../../domain/time/kst-calendar';
import { isStrategyName, type StrategyName } from '../../domain/trading/strategy-name';
import {
  checkSignalRecord,
  compareSignalRecords,
  type SignalLog,
  type SignalRecord,
} from '../../ports/signal-log';
import { guard } from './dynamodb-errors';
import type { Item } from './item-codec';
import { batchPutAll } from './table-batch';
import { queryAll, type TableConfig, type TableContext } from './table-context';
import { Keys, padTime, SIGNAL_RETENTION_MS, ttlSeconds } from './table-keys';

const DIRECTIONS: readonly string[] = ['buy', 'sell', 'flat'];

/**
 * Signals in the state table, one partition per KST day (`SIGNALS#<date>`, sort key
 * `<at>#<market>#<strategy>#<seq>`), expiring after the retention (30 days by default). Writes are
 * plain batched puts, so rewriting a record replaces it; a range read queries each KST day of the
 * range.
 */
export class DynamoDbSignalLog implements SignalLog {
  private readonly ctx: TableContext;

  constructor(
    config: TableConfig,
    private readonly retentionMs: number = SIGNAL_RETENTION_MS,
  ) {
    this.ctx = { db: config.client, tableName: config.tableName };
  }

  async putSignals(records: readonly SignalRecord[]): Promise<void> {
    for (const r of records) checkSignalRecord(r);
    const byKey = new Map<string, Item>();
    for (const r of records) {
      const key = Keys.signal(r.at, r.market, r.strategy, r.seq);
      byKey.set(`${key.pk}/${key.sk}`, {
        ...key,
        type: 'signal',
        at: r.at,
        market: r.market,
        strategy: r.strategy,
        seq: r.seq,
        direction: r.direction,
        strength: String(r.strength),
        reason: r.reason,
        fate: r.fate,
        ...(r.decisionId === undefined ? {} : { decisionId: r.decisionId }),
        ttl: ttlSeconds(r.at, this.retentionMs),
      });
    }
    const items = [...byKey.values()];
    return guard('putSignals', async () => {
      await batchPutAll(this.ctx, 'putSignals', items);
    });
  }

  listSignals(
    range: { readonly from: EpochMs; readonly to: EpochMs },
    market?: Market,
  ): Promise<SignalRecord[]> {
    return guard('listSignals', async () => {
      if (range.to <= range.from) return [];
      const out: SignalRecord[] = [];
      const days = new Set<string>();
      for (let t = range.from; ; t = (t + MS.day) as EpochMs) {
        days.add(kstDateKey(Math.min(t, range.to - 1) as EpochMs));
        if (t >= range.to - 1) break;
      }
      for (const day of days) {
        const items = await queryAll(this.ctx, {
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': Keys.signalsDayPk(day),
            ':from': padTime(range.from),
            ':to': `${padTime(range.to - 1)}~`,
          },
          ConsistentRead: true,
        });
        for (const item of items) {
          const r = signalFromItem(item);
          if (r.at >= range.from && r.at < range.to && (market === undefined || r.market === market))
            out.push(r);
        }
      }
      return out.sort(compareSignalRecords);
    });
  }
}

function signalFromItem(item: Item): SignalRecord {
  const { at, market, strategy, seq, direction, strength, reason, fate, decisionId } = item;
  if (
    typeof at !== 'number' ||
    typeof market !== 'string' ||
    !isMarket(market) ||
    typeof strategy !== 'string' ||
    !isStrategyName(strategy) ||
    typeof seq !== 'number' ||
    typeof direction !== 'string' ||
    !DIRECTIONS.includes(direction) ||
    typeof strength !== 'string' ||
    typeof reason !== 'string' ||
    typeof fate !== 'string' ||
    (decisionId !== undefined && typeof decisionId !== 'string')
  )
    throw new TradingError('fatal', `stored signal ${String(item.pk)}/${String(item.sk)} is malformed`, {
      code: 'state_store_corrupt_item',
    });
  return {
    at: at as EpochMs,
    market: market as Market,
    strategy: strategy as StrategyName,
    seq,
    direction: direction as SignalDirection,
    strength: Number(strength),
    reason,
    fate,
    ...(decisionId === undefined ? {} : { decisionId: parseDecisionId(decisionId) }),
  };
}
