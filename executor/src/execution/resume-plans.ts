import { type DecisionId, parseOrderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import { describeError } from '../runtime/periodic';
import type { ExecutionEngine } from './execution-engine';
import type { PlanDeps } from './plan-support';

/**
 * After a restart: resumes (through `engine.accept`) the plans of stored active orders whose
 * decisions are still live and cancels those of expired or unknown decisions; operator orders
 * without a decision (adopted by reconciliation, emergency flattening) are left to the operator.
 * Never rejects on one decision's trouble: start-up must go on to trade.
 */
export async function resumePlans(
  engine: Pick<ExecutionEngine, 'accept'>,
  deps: Pick<PlanDeps, 'store' | 'clock' | 'logger' | 'manager'>,
  active: readonly LocalOrder[],
): Promise<void> {
  const byDecision = new Map<DecisionId, LocalOrder[]>();
  for (const o of active) byDecision.set(o.decisionId, [...(byDecision.get(o.decisionId) ?? []), o]);
  for (const [decisionId, orders] of byDecision) {
    const decision = await deps.store.getDecision(decisionId);
    const now = deps.clock.now();
    if (decision !== undefined && now < decision.expiresAt && decision.intent.kind !== 'hold') {
      // A first step that fails (a cancel's 503 while re-pricing) leaves the plan registered and
      // stepped again by the loop; it must not abort the start-up, which would never trade then.
      const outcome = await engine.accept(decision, now).catch((error: unknown) => {
        deps.logger.warn("a resumed plan's first step failed; it is stepped again", {
          decisionId,
          error: describeError(error),
        });
        return 'step-failed';
      });
      deps.logger.info('plan resumed after restart', { decisionId, outcome });
      continue;
    }
    for (const o of orders) {
      // Adopted orders and the emergency's flattening sells are the operator's: no plan owns them.
      if (decision === undefined && o.strategy === 'operator') continue;
      if (parseOrderIdentifier(o.identifier) === undefined) continue;
      try {
        await deps.manager.cancel(o.identifier, 'its decision expired while the executor was down');
      } catch (error) {
        deps.logger.warn("could not cancel an expired decision's order", {
          identifier: o.identifier,
          error: describeError(error),
        });
      }
    }
  }
}
