import type { OrderbookSnapshot } from '../../market/market-data';
import { type Market, parseMarket } from '../../market/market-id';
import { KRW_MARKET_RULES } from '../../market/market-rules';
import { Decimal } from '../../money/decimal';
import { krw, price, volume } from '../../money/quantities';
import { type DecisionId, orderIdentifier, parseDecisionId } from '../../orders/identifiers';
import type { OrderSide } from '../../orders/order-types';
import type { EpochMs } from '../../time/epoch';
import type { Fill } from '../../trading/fill';
import type { Position } from '../../trading/position';
import type { StrategyName } from '../../trading/strategy-name';
import type { MarketView } from '../fat-finger';
import { applyFillToPosition } from '../position-accounting';
import type { RiskContext } from '../pre-trade-check';
import { DEFAULT_RISK_LIMITS } from '../risk-limits';

/** Builders shared by the risk tests: small, explicit, deterministic. */

/** 2026-11-25 09:00:00 KST. */
export const T0 = Date.parse('2026-11-25T00:00:00Z') as EpochMs;

/** Test markets. */
export const BTC: Market = parseMarket('KRW-BTC');
/** Test markets. */
export const ETH: Market = parseMarket('KRW-ETH');

/** A two-sided book around `mid` with `levels` levels of `size` each, spaced by `step`. */
export function bookAround(
  market: Market,
  bid: number,
  ask: number,
  size = 1,
  levels = 5,
  step = 1000,
): OrderbookSnapshot {
  const bids = Array.from({ length: levels }, (_, i) => ({ price: bid - i * step, size }));
  const asks = Array.from({ length: levels }, (_, i) => ({ price: ask + i * step, size }));
  return { market, timestamp: T0, bids, asks };
}

/** A market view with last trade at `last` and a book one tick either side. */
export function viewAt(market: Market, last: number, tick = 1000, size = 1): MarketView {
  return {
    lastTradePrice: price(String(last)),
    book: bookAround(market, last - tick, last + tick, size, 5, tick),
  };
}

/** Decision id for tests. */
export function did(text: string): DecisionId {
  return parseDecisionId(text);
}

let fillSeq = 0;

/** A fill with the taker fee computed exactly from price × volume. */
export function fillOf(args: {
  market?: Market;
  strategy?: StrategyName | 'operator';
  side: OrderSide;
  price: string;
  volume: string;
  fee?: string;
  at?: EpochMs;
  decision?: string;
}): Fill {
  fillSeq += 1;
  const p = price(args.price);
  const v = volume(args.volume);
  const fee = args.fee === undefined ? krw(p.times(v).times(KRW_MARKET_RULES.takerFee)) : krw(args.fee);
  return {
    fillId: `fill-${fillSeq}`,
    identifier: orderIdentifier(did(args.decision ?? `d${fillSeq}`)),
    market: args.market ?? BTC,
    strategy: args.strategy ?? 'momentum_scalping',
    side: args.side,
    price: p,
    volume: v,
    fee,
    isMaker: false,
    at: args.at ?? T0,
  };
}

/** A running, empty risk context at T0 with the default limits and a BTC book at 100,000,000. */
export function baseContext(overrides: Partial<RiskContext> = {}): RiskContext {
  return {
    now: T0,
    limits: DEFAULT_RISK_LIMITS,
    rules: KRW_MARKET_RULES,
    state: 'running',
    positions: [],
    commitments: [],
    recentTrades: [],
    market: viewAt(BTC, 100_000_000),
    ...overrides,
  };
}

/** Decimal shorthand. */
export function dec(text: string | number): Decimal {
  return new Decimal(text);
}

/**
 * Cheap assertion for property tests: Jest's `expect` costs ~100 µs per call on a loaded CI box,
 * which turns 10,000 runs into minutes. Throws with the message so fast-check shrinks and reports it.
 */
export function invariant(condition: boolean, message: string): void {
  if (!condition) throw new Error(`invariant failed: ${message}`);
}

/** One step of a random fill path: a buy of `units` × 1e-8, or a sell of `share` % of the holding, at `won`. */
export interface FillPathStep {
  readonly bid: boolean;
  readonly won: number;
  readonly units: number;
  readonly share: number;
}

/**
 * The position after step `i` of a random fill path (fill `i` at minute `i` from `t0`, maker fee
 * 0.05 %), through the accounting itself, as the property tests build positions whose costs run to
 * ~20 decimals (a sell while flat buys instead); undefined when the step fills nothing (a sell
 * whose share of the holding rounds to zero volume).
 */
export function afterPathStep(p: Position, s: FillPathStep, i: number, t0: EpochMs): Position | undefined {
  const sell = !s.bid && !p.volume.isZero();
  const vol = sell
    ? volume(p.volume.times(s.share).div(100).toDecimalPlaces(8, Decimal.ROUND_DOWN))
    : volume(new Decimal(s.units).div(1e8));
  if (vol.isZero()) return undefined;
  const px = price(new Decimal(s.won));
  const fill = {
    fillId: `f-${i}`,
    identifier: 'qts.t-1.0.0',
    market: p.market,
    strategy: p.strategy,
    side: sell ? 'ask' : 'bid',
    price: px,
    volume: vol,
    fee: krw(px.times(vol).times('0.0005')),
    isMaker: true,
    at: (t0 + i * 60_000) as EpochMs,
  } as Fill;
  return applyFillToPosition(p, fill).position;
}
