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
  // Every key compared on every call, not only while the ones before it match: a market-making
  // year first asked twice in one minute at its first loss-limit latch (~day 330), where the
  // strategy's compare, never made before, had no type feedback and threw the caller away.
  const sameMinute = minute === LAST_MINUTE[0];
  const sameStrategy = strategy === lastStrategy;
  const sameMarket = market === lastMarket;
  if (!(sameMinute && sameStrategy && sameMarket)) {
    lastId = makeDecisionId(scopeOf(strategy), market, minute);
    LAST_MINUTE[0] = minute;
    lastStrategy = strategy;
    lastMarket = market;
  }
  return lastId;
}

// The last minute in a double cell: a module `let` holds a minute (beyond the small integers) as
// a heap number, and each new one stored there was a new heap number, every bar.
const LAST_MINUTE = new Float64Array([Number.NaN]);
// Strings from the start (no id has an empty key), so the compares above only ever meet strings.
let lastStrategy: StrategyName | '' = '';
let lastMarket = '' as Market;
let lastId = '' as DecisionId;

/**
 * DECISION_SCOPE[strategy] by comparisons: the keyed load on the record met every strategy's name
 * in `all` (market making's quotes each bar, the others' signals between), so V8 made it a
 * megamorphic load through its stub cache, inside the per-bar ladder decision; names are interned
 * strings, so each comparison here is one pointer compare. A test holds it to the record.
 */
export function scopeOf(strategy: StrategyName): string {
  switch (strategy) {
    case 'market_making':
      return DECISION_SCOPE.market_making;
    case 'mean_reversion':
      return DECISION_SCOPE.mean_reversion;
    case 'microstructure':
      return DECISION_SCOPE.microstructure;
    case 'momentum_scalping':
      return DECISION_SCOPE.momentum_scalping;
    case 'stat_arb':
      return DECISION_SCOPE.stat_arb;
    default:
      return DECISION_SCOPE[strategy as StrategyName];
  }
}
