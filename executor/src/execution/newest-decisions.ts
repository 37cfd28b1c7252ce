import type { DecisionId } from '../../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import type { ExecutionPlan } from './plan-support';

/** Kinds whose plans replace each other: the same kind, and a flatten with any kind. */
function conflicting(kind: ExecutionPlan['kind']): readonly ExecutionPlan['kind'][] {
  return kind === 'flatten' ? ['directional', 'quotes', 'flatten'] : [kind, 'flatten'];
}

/** The plan kind a decision starts. */
function kindOf(decision: Decision): ExecutionPlan['kind'] {
  return decision.intent.kind === 'quotes'
    ? 'quotes'
    : decision.intent.kind === 'flatten'
      ? 'flatten'
      : 'directional';
}

function keyOf(decision: Decision, kind: ExecutionPlan['kind']): string {
  return `${decision.market}|${decision.strategy}|${kind}`;
}

/**
 * The newest accepted decision per market, strategy and plan kind, so an older one (a delayed or
 * redelivered copy) never undoes what a newer one started: the execution engine drops a decision
 * when a newer one of a conflicting kind was accepted first.
 */
export class NewestDecisions {
  readonly #newest = new Map<string, { readonly id: DecisionId; readonly createdAt: EpochMs }>();

  /** The id of an accepted decision newer than `decision` that its plan would have to replace. */
  newerThan(decision: Decision): DecisionId | undefined {
    for (const kind of conflicting(kindOf(decision))) {
      const seen = this.#newest.get(keyOf(decision, kind));
      if (seen !== undefined && seen.id !== decision.id && seen.createdAt > decision.createdAt)
        return seen.id;
    }
    return undefined;
  }

  /** Records an accepted decision, unless a newer one of its kind was recorded already. */
  remember(decision: Decision): void {
    const key = keyOf(decision, kindOf(decision));
    const seen = this.#newest.get(key);
    if (seen === undefined || seen.createdAt <= decision.createdAt)
      this.#newest.set(key, { id: decision.id, createdAt: decision.createdAt });
  }
}
