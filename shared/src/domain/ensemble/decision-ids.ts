import type { Market } from '../market/market-id';
import { type DecisionId, makeDecisionId } from '../orders/identifiers';
import type { EpochMs } from '../time/epoch';
import type { StrategyName } from '../trading/strategy-name';

/** Decision-id scope of each strategy: ids are `<scope>-<coin>-<minute>-0`, one per strategy and minute. */
export const DECISION_SCOPE: Readonly<Record<StrategyName, string>> = {
  market_making: 'mmq',
  stat_arb: 'sa',
  microstructure: 'ms',
  momentum_scalping: 'mom',
  mean_reversion: 'mr',
};

/**
 * The deterministic id of `strategy`'s decision for `market` at `minute` (market + minute + strategy).
 * The last id is kept: a pure function of its three keys, and a bar of several strategies asks for
 * market making's twice (its quotes decision, then the ladder pipeline's fate).
 */
export function strategyDecisionId(strategy: StrategyName, market: Market, minute: EpochMs): DecisionId {
  if (minute !== lastMinute || strategy !== lastStrategy || market !== lastMarket) {
    lastId = makeDecisionId(DECISION_SCOPE[strategy], market, minute);
    lastMinute = minute;
    lastStrategy = strategy;
    lastMarket = market;
  }
  return lastId;
}

let lastMinute = Number.NaN;
let lastStrategy: StrategyName | undefined;
let lastMarket: Market | undefined;
let lastId = '' as DecisionId;
