import type { Market } from '../src/domain/market/market-id';
import { Decimal } from '../src/domain/money/decimal';
import { krw, price, volume } from '../src/domain/money/quantities';
import { type DecisionId, type OrderIdentifier, orderIdentifier } from '../src/domain/orders/identifiers';
import type { LocalOrder } from '../src/domain/orders/local-order';
import type { EpochMs } from '../src/domain/time/epoch';
import { kstPeriodKey, type LossPeriod } from '../src/domain/time/kst-calendar';
import type { Decision } from '../src/domain/trading/decision';
import type { EmergencyLatch } from '../src/domain/trading/emergency';
import type { Fill } from '../src/domain/trading/fill';
import type { Position } from '../src/domain/trading/position';
import type { RiskLedgerEntry } from '../src/domain/trading/risk-ledger';
import type { StrategyName } from '../src/domain/trading/strategy-name';

/** 2026-11-25 10:00 KST, a fixed instant so keys and KST periods are predictable in tests. */
export const T0 = Date.UTC(2026, 10, 25, 1, 0, 0) as EpochMs;
/** The market most builders use. */
export const BTC = 'KRW-BTC' as Market;

/** A decision with exact decimals, overridable per test. */
export function aDecision(id: string, overrides: Partial<Decision> = {}): Decision {
  return {
    id: id as DecisionId,
    market: BTC,
    createdAt: T0,
    expiresAt: (T0 + 60_000) as EpochMs,
    source: 'ensemble',
    strategy: 'momentum_scalping',
    intent: {
      kind: 'directional',
      side: 'bid',
      notional: krw('100000.5'),
      limitPrice: price('151234000'),
      urgency: 'passive',
      stopLossPct: 0.015,
    },
    signals: [{ strategy: 'momentum_scalping', score: 0.42, weight: 0.15, reason: 'breakout 20-bar high' }],
    ...overrides,
  };
}

/** A pending limit buy derived from a decision id. */
export function anOrder(decisionId: string, overrides: Partial<LocalOrder> = {}): LocalOrder {
  const identifier = orderIdentifier(decisionId as DecisionId);
  return {
    identifier,
    decisionId: decisionId as DecisionId,
    strategy: 'market_making',
    draft: {
      market: BTC,
      side: 'bid',
      ordType: 'limit',
      price: price('151234000'),
      volume: volume('0.00066123'),
      timeInForce: 'post_only',
      identifier,
    },
    state: 'pending',
    executedVolume: volume('0'),
    executedFunds: krw('0'),
    paidFee: krw('0'),
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    market: BTC,
    ...overrides,
  };
}

/** A maker buy fill of `identifier`. */
export function aFill(fillId: string, identifier: OrderIdentifier, overrides: Partial<Fill> = {}): Fill {
  return {
    fillId,
    identifier,
    market: BTC,
    strategy: 'market_making',
    side: 'bid',
    price: price('151234000'),
    volume: volume('0.00066123'),
    fee: krw('50.0000123'),
    isMaker: true,
    at: T0,
    ...overrides,
  };
}

/** A position row; `version` is what the store is expected to return after the write. */
export function aPosition(overrides: Partial<Position> = {}): Position {
  return {
    market: BTC,
    strategy: 'market_making',
    volume: volume('0.00066123'),
    cost: krw('100050.0000123'),
    realizedPnl: krw('-12.5'),
    feesPaid: krw('50.0000123'),
    openedAt: T0,
    updatedAt: T0,
    version: 0,
    ...overrides,
  };
}

/** A ledger entry for the KST period of `at`. */
export function aLedgerEntry(period: LossPeriod, overrides: Partial<RiskLedgerEntry> = {}): RiskLedgerEntry {
  const at = overrides.updatedAt ?? T0;
  return {
    period,
    periodKey: kstPeriodKey(period, at),
    startEquity: krw('10000000'),
    peakEquity: krw('10020000.25'),
    realizedPnl: krw('-12.5'),
    fees: krw('50.0000123'),
    fills: 1,
    updatedAt: at,
    version: 0,
    ...overrides,
  };
}

/** A latch as the risk engine would set it. */
export function aLatch(overrides: Partial<EmergencyLatch> = {}): EmergencyLatch {
  return {
    state: 'halted',
    trigger: 'daily_loss',
    reason: 'daily loss -5.1% beyond -5%',
    actor: 'risk-engine',
    at: T0,
    ...overrides,
  };
}

/**
 * Replaces every Decimal with its exact text, recursively, so `toEqual` compares values
 * ("1.50" and "1.5" are equal decimals but different objects).
 */
export function plain(value: unknown): unknown {
  if (Decimal.isDecimal(value)) return (value as Decimal).toFixed();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Maker fee of the report tests' fills (Upbit KRW 0.05 %). */
export const REPORT_FEE_RATE = new Decimal('0.0005');

/**
 * A maker fill of `units` × 1e-8 of `market` at whole-won price `p` for `strategy`, fee at
 * {@link REPORT_FEE_RATE}, under the identifier of decision `d-<order>` (or an identifier given as
 * `order`): the fills property tests generate by the hundred (whole numbers in, exact decimals out).
 */
export function aUnitFill(
  slot: readonly [market: string, strategy: StrategyName],
  fill: { readonly id: string; readonly order: string | OrderIdentifier; readonly side: 'bid' | 'ask' },
  p: number,
  units: number,
  at: number,
): Fill {
  const v = new Decimal(units).div(1e8);
  return {
    fillId: fill.id,
    identifier: fill.order.startsWith('qts.')
      ? (fill.order as OrderIdentifier)
      : orderIdentifier(`d-${fill.order}` as DecisionId),
    market: slot[0] as Market,
    strategy: slot[1],
    side: fill.side,
    price: price(String(p)),
    volume: volume(v),
    fee: krw(v.times(p).times(REPORT_FEE_RATE)),
    isMaker: true,
    at: at as EpochMs,
  };
}
