import type { DecisionId } from '../orders/identifiers';
import { evaluateDecisionRisk } from '../risk/decision-risk';
import { stateAllows } from '../risk/emergency-state';
import type { TradeOutcomeStats } from '../risk/kelly-sizing';
import type { RiskContext, RiskRefusal } from '../risk/pre-trade-check';
import type { Decision } from '../trading/decision';
import type { PipelineAccount, PipelineInput, RoutedDecision } from './decision-pipeline';
import { refusedFate } from './ladder-results';
import { LazyQuotesIntent } from './lazy-quotes-intent';
import { kellyRefusalKey, type RefusalKey } from './no-order-path';
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
  const stats = account.stats(decision.strategy);
  const quickRefusal = kellyRefusalOf(decision, ctx, stats, input) ?? latchRefusalOf(decision, ctx);
  if (quickRefusal !== undefined) {
    refusals.push(quickRefusal);
    outcome.set(decision.id, { fate: refusedFate(quickRefusal), decisionId: decision.id });
    return;
  }
  const approved = evaluateDecisionRisk(decision, ctx, { equity: input.equity, stats });
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

/**
 * evaluateDecisionRisk's refusal key for a directional buy it refuses at Kelly sizing (its own
 * checks before Kelly passed: not expired, a two-sided book), undefined for every other decision and
 * outcome. Only the key is read here, not the refusal's message (which prints the Kelly size and the
 * ceiling), so the ceiling is not worked out when the key does not need it: ~20k refused buys a year
 * of `all` (mean reversion's below the minimum, the others' without an edge, all beside market
 * making's quotes, which make a new exposure book every bar).
 */
function kellyRefusalOf(
  decision: Decision,
  ctx: RiskContext,
  stats: TradeOutcomeStats,
  input: PipelineInput,
): RefusalKey | undefined {
  const intent = decision.intent;
  if (intent.kind !== 'directional' || intent.side !== 'bid' || ctx.now >= decision.expiresAt)
    return undefined;
  // A two-sided book promised by the caller is not read (the backtest's is made on first read).
  if (input.twoSidedBook !== true) {
    const book = ctx.market.book;
    if (book?.bids[0] === undefined || book.asks[0] === undefined) return undefined;
  }
  return kellyRefusalKey(ctx, stats, input.equity, decision.market, decision.strategy);
}

/**
 * evaluateDecisionRisk's refusal key for a quotes decision the emergency latch refuses layer by
 * layer, undefined for every other decision: `halted` refuses every order first, and `reducing`
 * every bid (checkOrder's first two checks), so a ladder of bids alone is refused as a whole, with
 * its first layer's refusal, before any exchange rule or limit is looked at. Read from the levels'
 * integer columns when the intent is lazy (no level decimals): the bars of `all` after a loss
 * limit latched `reducing` (~13k a year), when market making quotes bids only. The ladder path
 * (ladderResult) gives the same refusal on a latched account from this very function.
 */
export function latchRefusalOf(decision: Decision, ctx: RiskContext): RefusalKey | undefined {
  const intent = decision.intent;
  if (intent.kind !== 'quotes' || ctx.state === 'running' || ctx.now >= decision.expiresAt) return undefined;
  const columns = LazyQuotesIntent.columnsOf(intent);
  const count = columns === undefined ? intent.levels.length : columns.count;
  if (count === 0) return undefined;
  if (ctx.state === 'halted') return 'risk:halted';
  if (stateAllows(ctx.state, false)) return undefined;
  const bidsOnly =
    columns === undefined ? intent.levels.every((l) => l.side === 'bid') : columns.bids === count;
  return bidsOnly ? 'risk:reducing_only' : undefined;
}

/** `risk:<code>`, with Upbit's rejection name appended when an exchange rule failed. */
export function refusalKey(r: RiskRefusal): string {
  return r.exchangeRejection === undefined ? `risk:${r.code}` : `risk:${r.code}:${r.exchangeRejection.code}`;
}
