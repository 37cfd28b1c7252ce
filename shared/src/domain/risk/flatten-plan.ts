import type { OrderbookSnapshot } from '../market/market-data';
import type { Market } from '../market/market-id';
import { baseCurrency } from '../market/market-id';
import { type MarketRules, tickTableFor } from '../market/market-rules';
import { roundToTick } from '../market/tick-rounding';
import { minDecimal } from '../money/decimal';
import { floorVolume, type Price, volume } from '../money/quantities';
import {
  type DecisionId,
  makeDecisionId,
  type OrderIdentifier,
  orderIdentifier,
} from '../orders/identifiers';
import type { OrderDraft } from '../orders/order-types';
import { type EpochMs, MS } from '../time/epoch';
import type { Position } from '../trading/position';
import type { StrategyName } from '../trading/strategy-name';
import { bestQuotes, depthOf } from './fat-finger';
import type { RiskLimits } from './risk-limits';

/** One sell of the close-all plan. */
export interface FlattenOrder {
  readonly draft: OrderDraft;
  readonly strategy: StrategyName | 'operator';
  readonly decisionId: DecisionId;
  readonly identifier: OrderIdentifier;
}

/** A holding the plan could not sell, and why. */
export interface FlattenSkip {
  readonly market: Market;
  readonly strategy: StrategyName | 'operator';
  readonly reason: 'dust' | 'no_book';
}

/** The close-all-positions plan. */
export interface FlattenPlan {
  readonly orders: readonly FlattenOrder[];
  readonly skipped: readonly FlattenSkip[];
}

/**
 * Plans selling every holding with marketable limit orders (IOC) priced at best bid × (1 − slippage),
 * rounded UP to the tick grid so no fill is ever worse than the slippage guard; whatever the book
 * cannot absorb within the guard stays unsold rather than being dumped. Run after cancelling open
 * orders (their locked volume is then free). Each sell is capped at the fat-finger depth fraction so
 * the executor's own check accepts it; a remainder is sold by the next run. Identifiers derive from the minute, so planning twice in
 * the same minute yields the same identifiers and the venue refuses the duplicates.
 */
export function planFlatten(
  positions: readonly Position[],
  books: ReadonlyMap<Market, OrderbookSnapshot>,
  limits: RiskLimits,
  rules: MarketRules,
  at: EpochMs,
): FlattenPlan {
  const orders: FlattenOrder[] = [];
  const skipped: FlattenSkip[] = [];
  const legs = new Map<Market, number>();
  const minute = (Math.floor(at / MS.minute) * MS.minute) as EpochMs;
  const table = tickTableFor(rules, at);
  for (const p of positions) {
    if (p.volume.isZero()) continue;
    const book = books.get(p.market);
    const quotes = book === undefined ? undefined : bestQuotes(book);
    if (book === undefined || quotes === undefined) {
      skipped.push({ market: p.market, strategy: p.strategy, reason: 'no_book' });
      continue;
    }
    const depthCap = depthOf(book.bids).times(limits.fatFinger.maxDepthFraction);
    const size = floorVolume(volume(minDecimal(p.volume, depthCap)));
    const guard = quotes.bid.times(limits.emergency.flattenSlippage.negated().plus(1)) as Price;
    const price = roundToTick(guard, 'up', { table, asset: baseCurrency(p.market) });
    if (price.times(size).lt(rules.minTotal)) {
      skipped.push({ market: p.market, strategy: p.strategy, reason: 'dust' });
      continue;
    }
    const leg = legs.get(p.market) ?? 0;
    legs.set(p.market, leg + 1);
    const decisionId = makeDecisionId('flat', p.market, minute);
    orders.push({
      draft: { market: p.market, side: 'ask', ordType: 'limit', price, volume: size, timeInForce: 'ioc' },
      strategy: p.strategy,
      decisionId,
      identifier: orderIdentifier(decisionId, leg),
    });
  }
  return { orders, skipped };
}
