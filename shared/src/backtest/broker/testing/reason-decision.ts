import type { Market } from '../../../domain/market/market-id';
import type { DecisionId } from '../../../domain/orders/identifiers';
import type { EpochMs } from '../../../domain/time/epoch';
import type { Decision, SignalContribution } from '../../../domain/trading/decision';

/**
 * A quotes decision on KRW-BTC with the given contributions, source and owner and nothing else
 * set: the tests of an order's reason text (soleReason, SimFill's deferred text) vary only those.
 */
export function reasonDecision(
  signals: readonly SignalContribution[],
  source: Decision['source'],
  owner: Decision['strategy'],
): Decision {
  return {
    market: 'KRW-BTC' as Market,
    createdAt: 0 as EpochMs,
    expiresAt: 60_000 as EpochMs,
    source,
    signals,
    id: 'mm.KRW-BTC.0' as DecisionId,
    strategy: owner,
    intent: { kind: 'quotes', levels: [] },
  };
}
