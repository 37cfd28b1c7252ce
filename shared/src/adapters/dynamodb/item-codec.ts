import { TradingError } from '../../domain/errors/trading-error';
import type { Market } from '../../domain/market/market-id';
import { type Decimal, formatDecimal, parseDecimal } from '../../domain/money/decimal';
import { type Krw, krw, type Price, price, type Volume, volume } from '../../domain/money/quantities';
import type { DecisionId, OrderIdentifier } from '../../domain/orders/identifiers';
import type { LocalOrder, LocalOrderState } from '../../domain/orders/local-order';
import type { OrderRejection } from '../../domain/orders/order-rejection';
import type { OrderDraft } from '../../domain/orders/order-types';
import type { EpochMs } from '../../domain/time/epoch';
import type { LossPeriod } from '../../domain/time/kst-calendar';
import type { EmergencyLatch } from '../../domain/trading/emergency';
import type { Fill } from '../../domain/trading/fill';
import type { Position } from '../../domain/trading/position';
import type { RiskLedgerEntry } from '../../domain/trading/risk-ledger';
import type { StrategyName } from '../../domain/trading/strategy-name';

/** A DynamoDB item as the document client returns it. */
export type Item = Record<string, unknown>;

/**
 * Reads a stored field or fails loudly: a missing or mistyped field means the table holds data this
 * code did not write, which is an invariant breach (fatal), not something to guess around.
 */
function field<T>(item: Item, name: string, type: 'string' | 'number' | 'boolean'): T {
  const value = item[name];
  if (typeof value !== type)
    throw new TradingError(
      'fatal',
      `stored item ${String(item.pk)}/${String(item.sk)}: ${name} is not a ${type}`,
      {
        code: 'state_store_corrupt_item',
      },
    );
  return value as T;
}

function optional<T>(item: Item, name: string, type: 'string' | 'number'): T | undefined {
  return item[name] === undefined ? undefined : field<T>(item, name, type);
}

function dec(item: Item, name: string): Decimal {
  return parseDecimal(field<string>(item, name, 'string'));
}

function optDec(item: Item, name: string): Decimal | undefined {
  const text = optional<string>(item, name, 'string');
  return text === undefined ? undefined : parseDecimal(text);
}

/** Decimal text for storage: DynamoDB numbers would be exact too, but strings keep one format everywhere. */
export function text(value: Decimal | undefined): string | undefined {
  return value === undefined ? undefined : formatDecimal(value);
}

/** Order attributes (keys and index attributes are added by the repository). */
export function orderToItem(order: LocalOrder): Item {
  const d = order.draft;
  return {
    identifier: order.identifier,
    decisionId: order.decisionId,
    strategy: order.strategy,
    market: order.market,
    state: order.state,
    uuid: order.uuid,
    executedVolume: text(order.executedVolume),
    executedFunds: text(order.executedFunds),
    paidFee: text(order.paidFee),
    avgPrice: text(order.avgPrice),
    rejectionCode: order.rejection?.code,
    rejectionMessage: order.rejection?.message,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    version: order.version,
    draft: {
      market: d.market,
      side: d.side,
      ordType: d.ordType,
      price: text(d.price),
      volume: text(d.volume),
      timeInForce: d.timeInForce,
      smpType: d.smpType,
      identifier: d.identifier,
    },
  };
}

function draftFromItem(raw: Item): OrderDraft {
  const p = optDec(raw, 'price');
  const v = optDec(raw, 'volume');
  const tif = optional<OrderDraft['timeInForce']>(raw, 'timeInForce', 'string');
  const smp = optional<OrderDraft['smpType']>(raw, 'smpType', 'string');
  const identifier = optional<string>(raw, 'identifier', 'string');
  return {
    market: field<Market>(raw, 'market', 'string'),
    side: field<OrderDraft['side']>(raw, 'side', 'string'),
    ordType: field<OrderDraft['ordType']>(raw, 'ordType', 'string'),
    ...(p === undefined ? {} : { price: price(p) }),
    ...(v === undefined ? {} : { volume: volume(v) }),
    ...(tif === undefined ? {} : { timeInForce: tif }),
    ...(smp === undefined ? {} : { smpType: smp }),
    ...(identifier === undefined ? {} : { identifier }),
  };
}

/** Stored item → order. */
export function orderFromItem(item: Item): LocalOrder {
  const uuid = optional<string>(item, 'uuid', 'string');
  const avg = optDec(item, 'avgPrice');
  const code = optional<OrderRejection['code']>(item, 'rejectionCode', 'string');
  const rejection: OrderRejection | undefined =
    code === undefined
      ? undefined
      : { code, message: optional<string>(item, 'rejectionMessage', 'string') ?? '' };
  return {
    identifier: field<OrderIdentifier>(item, 'identifier', 'string'),
    decisionId: field<DecisionId>(item, 'decisionId', 'string'),
    strategy: field<StrategyName | 'operator'>(item, 'strategy', 'string'),
    draft: draftFromItem((item.draft ?? {}) as Item),
    state: field<LocalOrderState>(item, 'state', 'string'),
    ...(uuid === undefined ? {} : { uuid }),
    executedVolume: volume(dec(item, 'executedVolume')),
    executedFunds: krw(dec(item, 'executedFunds')),
    paidFee: krw(dec(item, 'paidFee')),
    ...(avg === undefined ? {} : { avgPrice: price(avg) as Price }),
    ...(rejection === undefined ? {} : { rejection }),
    createdAt: field<EpochMs>(item, 'createdAt', 'number'),
    updatedAt: field<EpochMs>(item, 'updatedAt', 'number'),
    version: field<number>(item, 'version', 'number'),
    market: field<Market>(item, 'market', 'string'),
  };
}

/** Fill attributes. */
export function fillToItem(fill: Fill): Item {
  return {
    fillId: fill.fillId,
    identifier: fill.identifier,
    market: fill.market,
    strategy: fill.strategy,
    side: fill.side,
    price: text(fill.price),
    volume: text(fill.volume),
    fee: text(fill.fee),
    isMaker: fill.isMaker,
    at: fill.at,
    ...(fill.realizedPnl === undefined ? {} : { realizedPnl: text(fill.realizedPnl) }),
  };
}

/** Stored item → fill. */
export function fillFromItem(item: Item): Fill {
  return {
    fillId: field<string>(item, 'fillId', 'string'),
    identifier: field<OrderIdentifier>(item, 'identifier', 'string'),
    market: field<Market>(item, 'market', 'string'),
    strategy: field<StrategyName | 'operator'>(item, 'strategy', 'string'),
    side: field<Fill['side']>(item, 'side', 'string'),
    price: price(dec(item, 'price')),
    volume: volume(dec(item, 'volume')),
    fee: krw(dec(item, 'fee')),
    isMaker: field<boolean>(item, 'isMaker', 'boolean'),
    at: field<EpochMs>(item, 'at', 'number'),
    ...(item.realizedPnl === undefined ? {} : { realizedPnl: krw(dec(item, 'realizedPnl')) }),
  };
}

/** Position attributes (the version is set by the writer). */
export function positionToItem(p: Position): Item {
  return {
    market: p.market,
    strategy: p.strategy,
    volume: text(p.volume),
    cost: text(p.cost),
    realizedPnl: text(p.realizedPnl),
    feesPaid: text(p.feesPaid),
    openedAt: p.openedAt,
    updatedAt: p.updatedAt,
  };
}

/** Stored item → position. */
export function positionFromItem(item: Item): Position {
  const openedAt = optional<EpochMs>(item, 'openedAt', 'number');
  return {
    market: field<Market>(item, 'market', 'string'),
    strategy: field<StrategyName | 'operator'>(item, 'strategy', 'string'),
    volume: volume(dec(item, 'volume')) as Volume,
    cost: krw(dec(item, 'cost')) as Krw,
    realizedPnl: krw(dec(item, 'realizedPnl')),
    feesPaid: krw(dec(item, 'feesPaid')),
    ...(openedAt === undefined ? {} : { openedAt }),
    updatedAt: field<EpochMs>(item, 'updatedAt', 'number'),
    version: field<number>(item, 'version', 'number'),
  };
}

/** Ledger attributes (the version is set by the writer). */
export function ledgerToItem(e: RiskLedgerEntry): Item {
  return {
    period: e.period,
    periodKey: e.periodKey,
    startEquity: text(e.startEquity),
    peakEquity: text(e.peakEquity),
    realizedPnl: text(e.realizedPnl),
    fees: text(e.fees),
    fills: e.fills,
    updatedAt: e.updatedAt,
  };
}

/** Stored item → ledger entry. */
export function ledgerFromItem(item: Item): RiskLedgerEntry {
  return {
    period: field<LossPeriod>(item, 'period', 'string'),
    periodKey: field<string>(item, 'periodKey', 'string'),
    startEquity: krw(dec(item, 'startEquity')),
    peakEquity: krw(dec(item, 'peakEquity')),
    realizedPnl: krw(dec(item, 'realizedPnl')),
    fees: krw(dec(item, 'fees')),
    fills: field<number>(item, 'fills', 'number'),
    updatedAt: field<EpochMs>(item, 'updatedAt', 'number'),
    version: field<number>(item, 'version', 'number'),
  };
}

/** Latch as a nested map on the control item. */
export function latchToItem(latch: EmergencyLatch): Item {
  return { ...latch };
}

/** Nested map → latch. */
export function latchFromItem(item: Item): EmergencyLatch {
  return {
    state: field<EmergencyLatch['state']>(item, 'state', 'string'),
    trigger: field<EmergencyLatch['trigger']>(item, 'trigger', 'string'),
    reason: field<string>(item, 'reason', 'string'),
    actor: field<string>(item, 'actor', 'string'),
    at: field<EpochMs>(item, 'at', 'number'),
  };
}
