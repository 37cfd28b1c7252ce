import type { Market } from '../market/market-id';
import type { MarketRules } from '../market/market-rules';
import { roundToTick } from '../market/tick-rounding';
import { minDecimal } from '../money/decimal';
import { type Krw, type Price, price, type Volume, volume, volumeForBudget } from '../money/quantities';
import type { OrderDraft, OrderSide } from '../orders/order-types';
import { sellableVolume } from '../risk/exposure';
import type { RiskContext } from '../risk/pre-trade-check';
import type { Decision, QuoteLevel } from '../trading/decision';
import type { SyntheticQuotes } from './synthetic-book';

/**
 * The three Upbit order shapes a decision becomes: a limit order (post-only for maker intents), a
 * market buy by KRW amount (`ord_type=price`) and a market sell by volume (`ord_type=market`).
 * A discriminated union so an impossible combination (a market buy with a volume) cannot be built.
 */
export type PlannedOrderSpec =
  | {
      readonly kind: 'limit';
      readonly side: OrderSide;
      readonly price: Price;
      readonly volume: Volume;
      readonly postOnly: boolean;
    }
  | { readonly kind: 'market_buy'; readonly amount: Krw }
  | { readonly kind: 'market_sell'; readonly volume: Volume };

/** One order of an approved decision: its leg (the order identifier's leg) and why it exists. */
export interface PlannedOrder {
  readonly leg: number;
  readonly spec: PlannedOrderSpec;
  readonly reason: string;
}

/**
 * How an approved decision becomes orders at decision time, the same in the backtest (sent to the
 * simulated broker) and in the minute analysis (counted against the limits of the next decision of
 * the same pass, as the executor will place them):
 * - quotes: one post-only limit order per level, leg = level index;
 * - a buy: passive → post-only limit at the limit price or the best bid, volume = notional / price
 *   floored to 8 decimals; aggressive → market buy of the notional;
 * - a sell: the notional at the bid, at most what the strategy holds and has not offered yet, and
 *   everything when the remainder would be unsellable (below Upbit's minimum); passive → post-only
 *   limit at the limit price or the best ask, aggressive → market sell.
 */
export function planOrders(
  decision: Decision,
  ctx: Pick<RiskContext, 'positions' | 'commitments'>,
  quotes: SyntheticQuotes,
  rules: MarketRules,
): PlannedOrder[] {
  const intent = decision.intent;
  if (intent.kind === 'quotes') return quoteOrders(decision, intent.levels);
  if (intent.kind !== 'directional') return [];
  const { bid, ask, ticks } = quotes;
  const reason = reasonOf(decision);
  const passive = intent.urgency === 'passive';
  if (intent.side === 'bid') {
    const limit = roundToTick(intent.limitPrice ?? bid, 'bid', ticks);
    const spec: PlannedOrderSpec = passive
      ? {
          kind: 'limit',
          side: 'bid',
          price: limit,
          volume: volumeForBudget(intent.notional, limit),
          postOnly: true,
        }
      : { kind: 'market_buy', amount: intent.notional };
    return [{ leg: 0, spec, reason }];
  }
  const sellable = sellableVolume(ctx.positions, ctx.commitments, decision.market, decision.strategy);
  let size: Volume = volume(minDecimal(volumeForBudget(intent.notional, bid), sellable));
  // Never leave a remainder too small to sell later (Upbit refuses orders under the minimum).
  if (sellable.minus(size).times(bid).lt(rules.minTotal)) size = sellable;
  const limit = roundToTick(intent.limitPrice ?? ask, 'ask', ticks);
  const spec: PlannedOrderSpec = passive
    ? { kind: 'limit', side: 'ask', price: limit, volume: size, postOnly: true }
    : { kind: 'market_sell', volume: size };
  return [{ leg: 0, spec, reason }];
}

/** A quotes decision's orders (planOrders' first rule): one post-only limit per level, leg = index. */
export function quoteOrders(decision: Decision, levels: readonly QuoteLevel[]): PlannedOrder[] {
  const reason = reasonOf(decision);
  return levels.map((level, i) => ({
    leg: i,
    spec: { kind: 'limit', side: level.side, price: level.price, volume: level.volume, postOnly: true },
    reason: quoteOrderReason(level.side, i, reason),
  }));
}

/**
 * A quote layer's order reason: its side, its level (the leg) and the decision's reason
 * ({@link reasonOf}). One format for the plan and for a broker that makes the text on demand.
 */
export function quoteOrderReason(side: OrderSide, leg: number, decisionReason: string): string {
  return `quote ${side} L${leg}: ${decisionReason}`;
}

/** The exchange order a planned spec stands for (what validation and the risk check see). */
export function draftOfPlanned(market: Market, spec: PlannedOrderSpec): OrderDraft {
  switch (spec.kind) {
    case 'limit':
      // Two literal shapes instead of a conditional spread (this runs for every quote layer).
      return spec.postOnly
        ? {
            market,
            side: spec.side,
            ordType: 'limit',
            price: spec.price,
            volume: spec.volume,
            timeInForce: 'post_only',
          }
        : { market, side: spec.side, ordType: 'limit', price: spec.price, volume: spec.volume };
    case 'market_buy':
      return { market, side: 'bid', ordType: 'price', price: price(spec.amount) };
    case 'market_sell':
      return { market, side: 'ask', ordType: 'market', volume: spec.volume };
  }
}

/** The deciding strategy's own reasons (all signals' when it has none), prefixed for ensemble decisions. */
export function reasonOf(decision: Decision): string {
  const own = decision.signals.filter((s) => s.strategy === decision.strategy).map((s) => s.reason);
  const text = own.length > 0 ? own.join('; ') : decision.signals.map((s) => s.reason).join('; ');
  return decision.source === 'ensemble' ? `ensemble/${decision.strategy}: ${text}` : text;
}
