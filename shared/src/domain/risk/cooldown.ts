import type { Market } from '../market/market-id';
import { type DecisionId, parseOrderIdentifier } from '../orders/identifiers';
import type { LocalOrder } from '../orders/local-order';
import type { OrderDraft } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import type { Fill } from '../trading/fill';
import { StrategyName } from '../trading/strategy-name';
import type { RiskLimits } from './risk-limits';

/**
 * One risk-adding decision in a market, at its decision time (`Decision.createdAt`): the unit of the
 * per-market cooldown. Every order and fill of the decision stamps the same instant, so how long the
 * executor took to place or fill it never moves the stamp, and the backtest (which decides and
 * places at the bar close) and live trading see the same stamps.
 */
export interface TradeStamp {
  readonly market: Market;
  readonly decisionId: DecisionId;
  readonly at: EpochMs;
}

/** What the cooldown needs to know about an order: who it is for and its shape. */
export interface CooldownOrder {
  readonly strategy: StrategyName | 'operator';
  readonly draft: Pick<OrderDraft, 'side' | 'timeInForce'>;
}

/**
 * A market-making quote: a post-only (maker) order of `market_making`. Quotes neither wait for the
 * cooldown nor stamp it: the executor re-prices them between analysis minutes and each minute's
 * quotes are a new decision, so a cooldown would refuse them while the previous minute's quotes
 * rest. Their cadence is bounded by the executor's order-rate budget, their size by the exposure
 * and inventory limits, which apply in full.
 */
export function isMarketMakingQuote(order: CooldownOrder): boolean {
  return order.strategy === StrategyName.marketMaking && order.draft.timeInForce === 'post_only';
}

/**
 * Whether an order is under the cooldown and stamps it: buys (risk-adding, directional intents),
 * never sells (exits must never wait) and never market-making quotes.
 */
export function addsCooldownRisk(order: CooldownOrder): boolean {
  return order.draft.side === 'bid' && !isMarketMakingQuote(order);
}

/**
 * The stamp an order of decision `decisionId`, decided at `decidedAt`, leaves in `market` (the
 * backtest and the minute analysis call it for the orders they place); undefined when it leaves
 * none (a sell or a quote).
 */
export function orderStamp(
  market: Market,
  decisionId: DecisionId,
  decidedAt: EpochMs,
  order: CooldownOrder,
): TradeStamp | undefined {
  return addsCooldownRisk(order) ? { market, decisionId, at: decidedAt } : undefined;
}

/** A stored fill stamps like its order: a buy that is not a maker fill of `market_making`. */
function fillAddsCooldownRisk(fill: Fill): boolean {
  return fill.side === 'bid' && !(fill.strategy === StrategyName.marketMaking && fill.isMaker);
}

function fillDecision(fill: Fill): DecisionId | undefined {
  return parseOrderIdentifier(fill.identifier)?.decisionId;
}

/**
 * The decisions whose time {@link tradeStamps} needs for these stored orders and fills (the caller
 * reads them from the decision log): only those of risk-adding ones.
 */
export function stampDecisionIds(orders: readonly LocalOrder[], fills: readonly Fill[]): DecisionId[] {
  const ids = new Set<DecisionId>();
  for (const o of orders) if (addsCooldownRisk(o)) ids.add(o.decisionId);
  for (const f of fills) {
    const id = fillAddsCooldownRisk(f) ? fillDecision(f) : undefined;
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}

/**
 * Live cooldown stamps from stored orders (open ones) and fills (of orders that may have finished):
 * one per risk-adding decision, at the decision's time as `decidedAt` reports it. A decision the
 * log does not know (written by an older version, or an order adopted from the venue) falls back to
 * the order's placement time or the fill's time: later than the decision, so it blocks longer (the
 * worse case). Fills of orders not placed by this system carry no decision and stamp nothing.
 */
export function tradeStamps(
  orders: readonly LocalOrder[],
  fills: readonly Fill[],
  decidedAt: (decisionId: DecisionId) => EpochMs | undefined,
): TradeStamp[] {
  const stamps = new Map<string, TradeStamp>();
  const add = (market: Market, decisionId: DecisionId, fallback: EpochMs) => {
    const at = decidedAt(decisionId) ?? fallback;
    stamps.set(`${decisionId}@${at}`, { market, decisionId, at });
  };
  for (const o of orders) if (addsCooldownRisk(o)) add(o.market, o.decisionId, o.createdAt);
  for (const f of fills) {
    const id = fillAddsCooldownRisk(f) ? fillDecision(f) : undefined;
    if (id !== undefined) add(f.market, id, f.at);
  }
  return [...stamps.values()];
}

/**
 * The cooldown verdict for a risk-adding order of decision `decisionId` in `market` decided at
 * `decidedAt`: refused while another decision's stamp in the market lies less than
 * `minMsBetweenTrades` away in decision time (either side: two decisions closer than that never both
 * trade, whatever order they arrive in). Orders of the same decision never block each other.
 */
export function cooldownConflict(
  market: Market,
  decisionId: DecisionId,
  decidedAt: EpochMs,
  stamps: readonly TradeStamp[],
  limits: Pick<RiskLimits, 'minMsBetweenTrades'>,
): TradeStamp | undefined {
  for (const s of stamps)
    if (
      s.market === market &&
      s.decisionId !== decisionId &&
      Math.abs(decidedAt - s.at) < limits.minMsBetweenTrades
    )
      return s;
  return undefined;
}
