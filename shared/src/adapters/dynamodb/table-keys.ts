import type { Market } from '../../domain/market/market-id';
import type { Timeframe } from '../../domain/market/timeframe';
import { parseOrderIdentifier } from '../../domain/orders/identifiers';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { kstDateKey } from '../../domain/time/kst-calendar';
import type { StrategyName } from '../../domain/trading/strategy-name';

/**
 * Key layout of the single state table (documented with every access pattern in infra/README.md).
 * Sort keys carrying instants are zero-padded epoch ms so lexical order is time order.
 */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** GSI over Upbit order uuids (sparse: only orders that have one). */
export const UUID_INDEX = 'gsi1';
/** GSI over orders not yet final (sparse: the attributes are removed on a final state). */
export const ACTIVE_INDEX = 'gsi2';
/** Partition of {@link ACTIVE_INDEX} holding every active order. */
export const ACTIVE_ORDERS_PK = 'ORDERS#ACTIVE';
/**
 * Partition of {@link ACTIVE_INDEX} holding rejected orders by the time they became rejected (an order
 * is in at most one of the two partitions): the executor reads the last minutes of it after a restart
 * to keep looking up requests it gave up on after an unknown outcome.
 */
export const REJECTED_ORDERS_PK = 'ORDERS#REJECTED';

/** 13 digits cover epoch ms until the year 2286, so padding keeps lexical = numeric order. */
export function padTime(at: number): string {
  return String(Math.max(0, Math.trunc(at))).padStart(13, '0');
}

/** Keys, one builder per item type. */
export const Keys = {
  /**
   * Orders live in their decision's partition (next to the decision item), so "all orders of a
   * decision" is one query; identifiers this system did not derive get a partition of their own.
   */
  order: (identifier: string): ItemKey => {
    const parsed = parseOrderIdentifier(identifier);
    return parsed === undefined
      ? { pk: `ORDER#${identifier}`, sk: 'ORDER' }
      : { pk: `DECISION#${parsed.decisionId}`, sk: `ORDER#${identifier}` };
  },
  ordersOfDecisionPk: (decisionId: string): string => `DECISION#${decisionId}`,
  orderSkPrefix: 'ORDER#',
  orderUuid: (uuid: string): string => `ORDERUUID#${uuid}`,
  decision: (id: string): ItemKey => ({ pk: `DECISION#${id}`, sk: 'DECISION' }),
  fillMarker: (fillId: string): ItemKey => ({ pk: `FILLID#${fillId}`, sk: 'FILLID' }),
  fillsDayPk: (kstDate: string): string => `FILLS#${kstDate}`,
  fill: (at: EpochMs, fillId: string): ItemKey => ({
    pk: `FILLS#${kstDateKey(at)}`,
    sk: `${padTime(at)}#${fillId}`,
  }),
  positionsPk: 'POSITIONS',
  position: (market: Market, strategy: StrategyName | 'operator'): ItemKey => ({
    pk: 'POSITIONS',
    sk: `${market}#${strategy}`,
  }),
  ledgerPk: 'LEDGER',
  ledger: (periodKey: string): ItemKey => ({ pk: 'LEDGER', sk: periodKey }),
  control: { pk: 'CONTROL', sk: 'STATE' } as ItemKey,
  /**
   * The HTTP API's idempotency claims: one partition (mutations are operator-paced), next to the
   * Powertools records of the functions (`IDEMPOTENCY#<function>`), so one IAM condition covers it.
   */
  apiIdempotencyPk: 'IDEMPOTENCY#api',
  apiIdempotency: (key: string): ItemKey => ({ pk: 'IDEMPOTENCY#api', sk: key }),
  auditPk: 'AUDIT',
  audit: (at: EpochMs, unique: string): ItemKey => ({ pk: 'AUDIT', sk: `${padTime(at)}#${unique}` }),
  candlesPk: (market: Market, timeframe: Timeframe): string => `CANDLES#${market}#${timeframe}`,
  candle: (market: Market, timeframe: Timeframe, openTime: number): ItemKey => ({
    pk: `CANDLES#${market}#${timeframe}`,
    sk: padTime(openTime),
  }),
  featuresPk: (market: Market): string => `FEATURES#${market}`,
  features: (market: Market, minute: number): ItemKey => ({ pk: `FEATURES#${market}`, sk: padTime(minute) }),
  reportsPk: 'REPORTS#DAILY',
  report: (kstDate: string): ItemKey => ({ pk: 'REPORTS#DAILY', sk: kstDate }),
  settingsPk: 'SETTINGS#STRATEGY',
  settings: (strategy: StrategyName): ItemKey => ({ pk: 'SETTINGS#STRATEGY', sk: strategy }),
  equityDayPk: (at: EpochMs): string => `EQUITY#${kstDateKey(at)}`,
  equityPoint: (at: EpochMs): ItemKey => ({ pk: `EQUITY#${kstDateKey(at)}`, sk: padTime(at) }),
  equityLatest: { pk: 'EQUITY', sk: 'LATEST' } as ItemKey,
  statusPk: 'STATUS',
  status: (component: string): ItemKey => ({ pk: 'STATUS', sk: component }),
  /** One partition per snapshot: a minute's writes of many markets spread over partitions. */
  strategyState: (key: string): ItemKey => ({ pk: `STRATEGYSTATE#${key}`, sk: 'STATE' }),
  signalsDayPk: (kstDate: string): string => `SIGNALS#${kstDate}`,
  signal: (at: EpochMs, market: Market, strategy: StrategyName, seq: number): ItemKey => ({
    pk: `SIGNALS#${kstDateKey(at)}`,
    sk: `${padTime(at)}#${market}#${strategy}#${String(seq).padStart(4, '0')}`,
  }),
} as const;

/** DynamoDB TTL value (epoch seconds) for an item that may be deleted after `at + retentionMs`. */
export function ttlSeconds(at: number, retentionMs: number): number {
  return Math.floor((at + retentionMs) / 1000);
}

/**
 * How long candles stay before TTL removes them: short bars only feed intraday indicators, hourly and
 * daily bars feed regime filters and yearly reports (documented in infra/README.md).
 */
export const CANDLE_RETENTION_MS: Readonly<Record<Timeframe, number>> = {
  '1s': 7 * MS.day,
  '1m': 7 * MS.day,
  '3m': 30 * MS.day,
  '5m': 30 * MS.day,
  '15m': 30 * MS.day,
  '60m': 400 * MS.day,
  '240m': 400 * MS.day,
  '1d': 400 * MS.day,
};

/** Microstructure features are recomputable from trades and only matter for the live model: a week. */
export const FEATURES_RETENTION_MS = 7 * MS.day;

/**
 * Strategy snapshots are rewritten every minute while a market is configured; one that has not been
 * written for 30 days belongs to a market that left the configuration and may go.
 */
export const STRATEGY_STATE_RETENTION_MS = 30 * MS.day;

/** Signals feed the dashboard and pattern analysis over recent weeks: 30 days unless configured. */
export const SIGNAL_RETENTION_MS = 30 * MS.day;

/** Minute equity points feed charts, Sharpe and drawdown over at most a year of reports: 400 days. */
export const EQUITY_RETENTION_MS = 400 * MS.day;
