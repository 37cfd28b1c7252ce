import type { Krw } from '../../domain/money/quantities';
import type { OrderIdentifier } from '../../domain/orders/identifiers';
import { type DecisionRiskResult, evaluateDecisionRisk } from '../../domain/risk/decision-risk';
import type { Commitment } from '../../domain/risk/exposure';
import type { TradeOutcomeStats } from '../../domain/risk/kelly-sizing';
import {
  checkOrder,
  commitmentOfDraft,
  type ProposedOrder,
  type RiskCheckResult,
} from '../../domain/risk/pre-trade-check';
import type { Decision } from '../../domain/trading/decision';
import type { Clock } from '../../ports/clock';
import {
  effectiveTradingState,
  loadRiskSnapshot,
  type RiskInputs,
  type RiskStateReader,
} from './load-risk-context';

/** Ports the risk use cases read through. */
export interface RiskDeps {
  readonly store: RiskStateReader;
  readonly clock: Pick<Clock, 'now'>;
}

/** A decision to evaluate, with the sizing facts only the caller knows. */
export interface EvaluateDecisionInput extends RiskInputs {
  readonly decision: Decision;
  /** Equity Kelly sizing and the loss limits use (cash + holdings at liquidation value). */
  readonly equity: Krw;
  /** The deciding strategy's recent closed-trade record. */
  readonly stats: TradeOutcomeStats;
}

/**
 * Applies the whole risk engine to one decision against the current stored state: trading state
 * (latch, operator switch, strategy switch), loss limits on the given equity, Kelly sizing clamped by
 * the hard limits, and the pre-trade check of the resulting order(s). The analysis function calls it
 * before queueing a decision and the executor calls it again when the decision arrives, so a stale or
 * forged decision is re-checked against the executor's own view.
 */
export async function evaluateDecision(
  deps: RiskDeps,
  input: EvaluateDecisionInput,
): Promise<DecisionRiskResult> {
  const { context } = await loadRiskSnapshot(deps.store, deps.clock.now(), input.decision.strategy, input, {
    decidedFrom: input.decision.createdAt,
  });
  return evaluateDecisionRisk(input.decision, context, { equity: input.equity, stats: input.stats });
}

/** An order about to be sent, with the identifier it is (or will be) stored under. */
export type OutgoingOrder = ProposedOrder & { readonly identifier?: OrderIdentifier };

/** Orders about to be sent, plus the facts the store does not hold. */
export interface OutgoingOrdersInput extends RiskInputs {
  readonly orders: readonly OutgoingOrder[];
}

/**
 * The executor's last gate, right before orders leave (defence in depth): every order is checked
 * against the hard limits on fresh state, whatever the decision said. The orders of one batch are
 * checked cumulatively (each accepted one counts against the next) and each under its own
 * strategy's trading state. Orders already stored as `pending` under the given identifiers are not
 * counted against themselves. Each order's cooldown is judged at its `decidedAt` (its decision's
 * time), so the executor's latency never changes the verdict. A refused order must not be sent.
 */
export async function checkOutgoingOrders(
  deps: RiskDeps,
  input: OutgoingOrdersInput,
): Promise<RiskCheckResult[]> {
  const first = input.orders[0];
  if (first === undefined) return [];
  const now = deps.clock.now();
  const exclude = new Set<OrderIdentifier>();
  let decidedFrom = now;
  for (const o of input.orders) {
    if (o.identifier !== undefined) exclude.add(o.identifier);
    if (o.decidedAt !== undefined && o.decidedAt < decidedFrom) decidedFrom = o.decidedAt;
  }
  const { context, control } = await loadRiskSnapshot(deps.store, now, first.strategy, input, {
    exclude,
    decidedFrom,
  });
  let commitments: readonly Commitment[] = context.commitments;
  const results: RiskCheckResult[] = [];
  for (const order of input.orders) {
    const state = effectiveTradingState(control, order.strategy);
    const result = checkOrder(order, { ...context, state, commitments });
    results.push(result);
    if (result.ok) commitments = [...commitments, commitmentOfDraft(order, input.rules)];
  }
  return results;
}
