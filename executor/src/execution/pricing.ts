import { baseCurrency, type Market } from '../../../shared/src/domain/market/market-id';
import { type MarketRules, tickTableFor } from '../../../shared/src/domain/market/market-rules';
import { roundToTick, type TickContext } from '../../../shared/src/domain/market/tick-rounding';
import { Decimal, ZERO } from '../../../shared/src/domain/money/decimal';
import {
  volumeForBudget as exactVolumeForBudget,
  type Krw,
  krw,
  type Price,
  type Volume,
  volume,
} from '../../../shared/src/domain/money/quantities';
import type { OrderSide } from '../../../shared/src/domain/orders/order-types';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { QuoteLevel } from '../../../shared/src/domain/trading/decision';

/** Best bid and ask, exact. */
export interface Touch {
  readonly bid: Price;
  readonly ask: Price;
}

const ONE = new Decimal(1);
const BPS = new Decimal(10_000);

/** The tick grid of a market at an instant. */
export function tickContext(market: Market, rules: MarketRules, at: EpochMs): TickContext {
  return { table: tickTableFor(rules, at), asset: baseCurrency(market) };
}

/** Mid price of the touch (not on the grid; a reference, never an order price). */
export function midOf(touch: Touch): Decimal {
  return touch.bid.plus(touch.ask).div(2);
}

/**
 * Maker-first price: join the best price on our side (already on the grid), or the decision's limit
 * when that is less aggressive (rounded away from the market). Undefined when the result would cross
 * the other side, i.e. a post-only order would be refused or take liquidity.
 */
export function makerPrice(
  side: OrderSide,
  touch: Touch,
  ctx: TickContext,
  limit?: Price,
): Price | undefined {
  if (side === 'bid') {
    const p = limit?.lt(touch.bid) ? roundToTick(limit, 'down', ctx) : touch.bid;
    return p.gt(0) && p.lt(touch.ask) ? p : undefined;
  }
  const p = limit?.gt(touch.ask) ? roundToTick(limit, 'up', ctx) : touch.ask;
  return p.gt(touch.bid) ? p : undefined;
}

/**
 * Marketable-limit price inside the slippage guard: a buy may pay up to ask × (1 + slippage) rounded
 * DOWN onto the grid, a sell accepts down to bid × (1 − slippage) rounded UP, so no fill is ever worse
 * than the guard (never an unbounded market order); capped by the decision's limit. Undefined when
 * the limit forbids crossing at all.
 */
export function marketablePrice(
  side: OrderSide,
  touch: Touch,
  slippage: Decimal,
  ctx: TickContext,
  limit?: Price,
): Price | undefined {
  if (side === 'bid') {
    let p = roundToTick(touch.ask.times(ONE.plus(slippage)) as Price, 'down', ctx);
    if (p.lt(touch.ask)) p = touch.ask;
    if (limit?.lt(p)) p = roundToTick(limit, 'down', ctx);
    return p.gte(touch.ask) ? p : undefined;
  }
  let p = roundToTick(touch.bid.times(ONE.minus(slippage)) as Price, 'up', ctx);
  if (p.gt(touch.bid)) p = touch.bid;
  if (limit?.gt(p)) p = roundToTick(limit, 'up', ctx);
  return p.lte(touch.bid) && p.gt(0) ? p : undefined;
}

/**
 * Volume a KRW budget buys at a limit price, floored to 8 decimals (never spends more than the
 * budget): the domain's exact quotient floor (no rounded division first), and zero for a budget or
 * price that is not positive, where the domain's version refuses.
 */
export function volumeForBudget(budget: Krw | Decimal, p: Price): Volume {
  if (!p.gt(0) || !budget.gt(0)) return volume(ZERO);
  return exactVolumeForBudget(krw(budget), p);
}

/** Basis points as a fraction. */
export function bps(value: number): Decimal {
  return new Decimal(value).div(BPS);
}

/** Inputs of the fee-aware entry check. */
export interface EdgeCheck {
  /** Expected move in the trade's favour, as a fraction (take-profit target of the decision). */
  readonly expectedEdge: Decimal;
  /** True when the entry takes liquidity (pays the spread and the taker fee). */
  readonly taker: boolean;
  readonly touch: Touch;
  readonly rules: MarketRules;
  /** Extra edge demanded above costs, as a fraction. */
  readonly minEdge: Decimal;
}

/**
 * Round-trip cost of an entry as a fraction of the price: entry fee, the exit's taker fee (the
 * worse case: exits may have to cross), and for a taker entry the half spread it crosses.
 */
export function roundTripCost(c: Omit<EdgeCheck, 'expectedEdge' | 'minEdge'>): Decimal {
  const mid = midOf(c.touch);
  const entryFee = c.taker ? c.rules.takerFee : c.rules.makerFee;
  const spread = c.taker && mid.gt(0) ? c.touch.ask.minus(c.touch.bid).div(mid).div(2) : ZERO;
  return entryFee.plus(c.rules.takerFee).plus(spread);
}

/** Why an entry is not worth its fees, or undefined when its expected edge covers them. */
export function edgeShortfall(c: EdgeCheck): string | undefined {
  const cost = roundTripCost(c).plus(c.minEdge);
  if (c.expectedEdge.gte(cost)) return undefined;
  return `expected edge ${c.expectedEdge.times(10_000).toFixed(1)} bps is below round-trip fees and spread ${cost.times(10_000).toFixed(1)} bps`;
}

/**
 * Quote levels worth resting: each must sit at least one maker fee plus half the required edge away
 * from the mid, so any bid/ask pair of levels that both fill covers both fees and the edge.
 */
export function levelsWorthQuoting(
  levels: readonly QuoteLevel[],
  touch: Touch,
  rules: MarketRules,
  minEdge: Decimal,
): { readonly kept: QuoteLevel[]; readonly dropped: QuoteLevel[] } {
  const mid = midOf(touch);
  const need = rules.makerFee.plus(minEdge.div(2));
  const kept: QuoteLevel[] = [];
  const dropped: QuoteLevel[] = [];
  for (const l of levels) {
    const distance = l.price.minus(mid).abs().div(mid);
    (distance.gte(need) ? kept : dropped).push(l);
  }
  return { kept, dropped };
}

/**
 * A quote level moved with the market: shifted by how far the mid moved since the decision was
 * received, rounded away from the market (bids down, asks up). Undefined when it would now cross.
 */
export function shiftedLevel(
  level: QuoteLevel,
  midShift: Decimal,
  touch: Touch,
  ctx: TickContext,
): Price | undefined {
  const moved = level.price.plus(midShift);
  if (!moved.gt(0)) return undefined;
  const p = roundToTick(moved as Price, level.side, ctx);
  if (level.side === 'bid') return p.lt(touch.ask) ? p : undefined;
  return p.gt(touch.bid) ? p : undefined;
}
