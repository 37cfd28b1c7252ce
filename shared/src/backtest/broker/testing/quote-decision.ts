import { makeDecisionId } from '../../../domain/orders/identifiers';
import { BTC } from '../../../domain/risk/testing/risk-builders';
import { type EpochMs, MS } from '../../../domain/time/epoch';
import type { Decision, QuoteLevel } from '../../../domain/trading/decision';

/**
 * Market making's quotes decision for KRW-BTC at `at` with the given levels, as the ensemble makes
 * one (its own source, one signal whose reason names the instant): the broker tests' layers.
 */
export function quoteDecisionOf(at: EpochMs, levels: readonly QuoteLevel[]): Decision {
  return {
    id: makeDecisionId('mmq', BTC, at),
    market: BTC,
    createdAt: at,
    expiresAt: (at + MS.minute) as EpochMs,
    source: 'market_making',
    strategy: 'market_making',
    intent: { kind: 'quotes', levels },
    signals: [{ strategy: 'market_making', score: 0, weight: 1, reason: `quotes at ${at}` }],
  };
}
