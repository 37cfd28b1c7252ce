import type { DecisionId } from '../orders/identifiers';
import { evaluateDecisionRisk } from '../risk/decision-risk';
import type { RiskRefusal } from '../risk/pre-trade-check';
import type { Decision } from '../trading/decision';
import type { PipelineAccount, PipelineInput, RoutedDecision } from './decision-pipeline';
import { planOrders } from './order-plan';
import type { StrategyFate } from './signal-fate';

/**
 * One decision through risk (sized and checked against the account as it is now) and, approved,
 * planned and placed: its routed entry, refusals and outcome appended to the caller's lists.
 */
export function routeDecision(
  decision: Decision,
  input: PipelineInput,
  account: PipelineAccount,
  routed: RoutedDecision[],
  refusals: string[],
  outcome: Map<DecisionId, StrategyFate>,
): void {
  const ctx = account.riskContext(decision.strategy);
  const approved = evaluateDecisionRisk(decision, ctx, {
    equity: input.equity,
    stats: account.stats(decision.strategy),
  });
  if (!approved.ok) {
    refusals.push(refusalKey(approved.refusal));
    outcome.set(decision.id, {
      fate: { kind: 'refused', reason: refusalKey(approved.refusal) },
      decisionId: decision.id,
    });
    return;
  }
  for (const d of approved.dropped) refusals.push(refusalKey(d.refusal));
  const orders = planOrders(approved.decision, ctx, input.quotes, input.rules);
  const rejected = account.place(approved.decision, orders, ctx);
  for (const r of rejected) if (r !== undefined) refusals.push(r);
  routed.push({ decision: approved.decision, orders, rejected });
  const failed = rejected.find((r) => r !== undefined);
  outcome.set(decision.id, {
    fate:
      failed === undefined || rejected.some((r) => r === undefined)
        ? { kind: 'traded' }
        : { kind: 'refused', reason: failed },
    decisionId: decision.id,
  });
}

/** `risk:<code>`, with Upbit's rejection name appended when an exchange rule failed. */
export function refusalKey(r: RiskRefusal): string {
  return r.exchangeRejection === undefined ? `risk:${r.code}` : `risk:${r.code}:${r.exchangeRejection.code}`;
}
