import type { Market } from '../market/market-id';
import { type MarketRules, tickTableFor } from '../market/market-rules';
import type { TickTable } from '../market/tick-table';
import { type AcceptedShape, rememberAcceptedNew } from '../orders/limit-facts';
import type { EpochMs } from '../time/epoch';
import type { QuoteLevel } from '../trading/decision';

/**
 * Records the exchange validation's verdict "accepted" (limit-facts) for each of `levels`, layers
 * checkLadder answered for `market` under `rules` at `now` (the verdict is theirs by
 * construction, see there), so that placing them through the validation (`validateOrder`, the
 * broker's `placeQuote` without facts) does not validate them again. A broker handed the ladder's
 * facts (QuoteLayerFacts) never looks the verdict up: the ladder path then records nothing (a ring
 * entry per layer and bar, most of them never read).
 */
export function rememberLadderVerdicts(
  levels: readonly QuoteLevel[],
  market: Market,
  rules: MarketRules,
  now: EpochMs,
): void {
  const table = tickTableFor(rules, now);
  const bidShape = acceptedShape(market, 'bid', rules, table);
  const askShape = acceptedShape(market, 'ask', rules, table);
  for (const lv of levels) rememberAcceptedNew(lv.price, lv.volume, lv.side === 'bid' ? bidShape : askShape);
}

// The validation shapes of the last ladder's layers, reused while market, rules and tick table stay
// (a run quotes the same few markets under one table for months).
const shapes: { bid?: AcceptedShape; ask?: AcceptedShape } = {};

/** A post-only layer's validation shape (what a recorded "accepted" verdict is for). */
function acceptedShape(
  market: Market,
  side: 'bid' | 'ask',
  rules: MarketRules,
  table: TickTable,
): AcceptedShape {
  const last = shapes[side];
  if (last !== undefined && last.market === market && last.rules === rules && last.table === table)
    return last;
  const shape: AcceptedShape = Object.freeze({ market, side, timeInForce: 'post_only', rules, table });
  shapes[side] = shape;
  return shape;
}
