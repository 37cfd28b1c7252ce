import type { DecisionId } from '../domain/orders/identifiers';
import type { Decision } from '../domain/trading/decision';

/**
 * Decisions as produced, stored once (`attribute_not_exists` on the id): the second write of the
 * same decision id reports `duplicate` and changes nothing, which makes the analysis idempotent.
 */
export interface DecisionLog {
  recordDecision(decision: Decision): Promise<'created' | 'duplicate'>;
  getDecision(id: DecisionId): Promise<Decision | undefined>;
}
