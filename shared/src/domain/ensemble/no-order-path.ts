import type { Market } from '../market/market-id';
import type { MarketRules } from '../market/market-rules';
import type { Krw } from '../money/quantities';
import { buyCeiling } from '../risk/decision-risk';
import {
  belowMinimumAtAnyCeiling,
  type KellySize,
  kellyNoEdge,
  kellyNotional,
  type TradeOutcomeStats,
} from '../risk/kelly-sizing';
import type { RiskContext } from '../risk/pre-trade-check';
import type { KellyLimits } from '../risk/risk-limits';
import type { StrategySignal } from '../strategies/strategy';
import { StrategyName } from '../trading/strategy-name';
import { strategyDecisionId } from './decision-ids';
import type { PipelineAccount, PipelineInput, PipelineResult } from './decision-pipeline';
import { convictionNotional } from './ensemble';
import { assertEnsembleConfig, type EnsembleConfig } from './ensemble-config';
import { refusedFate } from './ladder-results';
import type { SignalFate, StrategyFate } from './signal-fate';
import { clampedScore, signedScore } from './weighted-vote';

const NONE: readonly never[] = Object.freeze([]);

/**
 * The last Kelly size and its inputs: the record (kept until the next closed trade), the equity
 * (the cash object itself while nothing is held), the ceiling (kept with the exposure book) and the
 * limits are immutable and usually the same objects from one refused buy to the next.
 */
let lastKelly:
  | {
      readonly stats: TradeOutcomeStats;
      readonly equity: Krw;
      readonly limits: KellyLimits;
      readonly ceiling: Krw;
      readonly minTotal: Krw;
      readonly size: KellySize;
    }
  | undefined;

function kellyOf(stats: TradeOutcomeStats, equity: Krw, limits: KellyLimits, ceiling: Krw, minTotal: Krw) {
  const k = lastKelly;
  if (
    k !== undefined &&
    k.stats === stats &&
    k.equity === equity &&
    k.limits === limits &&
    k.ceiling === ceiling &&
    k.minTotal === minTotal
  )
    return k.size;
  const size = kellyNotional(stats, equity, limits, ceiling, minTotal);
  lastKelly = { stats, equity, limits, ceiling, minTotal, size };
  return size;
}

/** The last no-edge answer and its inputs (the same immutable objects from one refused buy to the next). */
let lastNoEdge:
  | {
      readonly stats: TradeOutcomeStats;
      readonly equity: Krw;
      readonly limits: KellyLimits;
      readonly none: boolean;
    }
  | undefined;

/** `kellyNoEdge(stats, equity, limits) !== undefined`, through {@link lastNoEdge}. */
function hasNoEdge(stats: TradeOutcomeStats, equity: Krw, limits: KellyLimits): boolean {
  const n = lastNoEdge;
  if (n !== undefined && n.stats === stats && n.equity === equity && n.limits === limits) return n.none;
  const none = kellyNoEdge(stats, equity, limits) !== undefined;
  lastNoEdge = { stats, equity, limits, none };
  return none;
}

/**
 * The conviction bounds known for one per-trade cap and minimum order total. floor(c × cap) (as
 * `convictionNotional` computes it: c's shortest decimal times cap, rounded down) never decreases as
 * c grows when cap ≥ 0, so a conviction at or below one that gave less than the minimum gives less
 * too, and one at or above a conviction that reached it reaches it too: each refused buy of a single
 * strategy (thousands a year, each a decimal product otherwise) is mostly decided by two comparisons.
 * NaN is never recorded and so always computed.
 */
let notionalBounds:
  | { readonly cap: number; readonly minTotal: Krw; below: number; atLeast: number }
  | undefined;

/** `convictionNotional(conviction, config, rules) !== undefined`, through {@link notionalBounds}. */
function reachesMinimum(conviction: number, config: EnsembleConfig, rules: MarketRules): boolean {
  const cap = config.perTradeCapKrw;
  if (!(cap >= 0)) return convictionNotional(conviction, config, rules) !== undefined;
  let b = notionalBounds;
  if (b === undefined || b.cap !== cap || b.minTotal !== rules.minTotal) {
    b = { cap, minTotal: rules.minTotal, below: Number.NEGATIVE_INFINITY, atLeast: Number.POSITIVE_INFINITY };
    notionalBounds = b;
  }
  if (conviction <= b.below) return false;
  if (conviction >= b.atLeast) return true;
  const reaches = convictionNotional(conviction, config, rules) !== undefined;
  if (reaches) {
    if (conviction < b.atLeast) b.atLeast = conviction;
  } else if (conviction > b.below) b.below = conviction;
  return reaches;
}

/**
 * The config `noOrderResult` last checked with `assertEnsembleConfig` (configs are immutable, and a
 * backtest passes the same object for every signal): checked again only when another one comes.
 */
let checkedConfig: EnsembleConfig | undefined;

/**
 * The pipeline's result for a market whose signals all come from one directional strategy and
 * cannot become an order, without building what the full pipeline builds first (the ensemble's
 * maps and views, the decision and its vote, the bar's market view): most signals of a single
 * strategy end here (a year of momentum_scalping: 9k sells with nothing to sell, 9k buys Kelly
 * sizes below the minimum, 64 trades). Two cases, each the full pipeline's own steps in its order:
 * - a sell view with nothing held: the ensemble holds it (`nothing_to_sell`);
 * - a buy view the ensemble decides and the risk engine refuses at Kelly sizing (`no_edge` or
 *   `below_minimum`), before it prices the order.
 * Undefined for everything else (several strategies, market making, other outcomes, an expired or
 * bookless decision): the caller runs the full pipeline, which gives the same result here (a
 * property test compares the two).
 */
export function noOrderResult(input: PipelineInput, account: PipelineAccount): PipelineResult | undefined {
  const first = input.signals[0];
  if (first === undefined) return undefined;
  const strategy = first.strategy;
  if (strategy === StrategyName.marketMaking) return undefined;
  const verdict = noOrderVerdict(input, account, strategy, false);
  if (verdict === undefined) return undefined;
  return verdict === NOTHING_TO_SELL_VERDICT
    ? heldResult(strategy, 'nothing_to_sell')
    : refusedResult(strategy, verdict, input);
}

/** {@link noOrderVerdict}'s answer for a sell view with nothing held (the ensemble's held reason). */
export const NOTHING_TO_SELL_VERDICT = 'nothing_to_sell';

/** What became of a view that cannot become an order: held with nothing to sell, or refused at Kelly. */
export type NoOrderVerdict = typeof NOTHING_TO_SELL_VERDICT | RefusalKey;

/**
 * {@link noOrderResult}'s verdict on the signals of `strategy` (a directional strategy), without the
 * result: `nothing_to_sell`, the Kelly refusal key, or undefined when the view may become an order
 * or ends any other way (the full pipeline then decides). Every signal must be of the input's
 * market and of `strategy`, or, with `besideQuotes`, of market making: market making is no view
 * (resolvedViews skips its signals), so beside its quotes the strategy's view, its decision and the
 * risk engine's answer are the same as alone, and nothing is placed for it (a bar of `all` where
 * market making and one directional strategy signal: see mixed-path.ts). Asks the account what the
 * full pipeline asks before that answer, in the same order (`holdings`, or `riskContext` then
 * `stats`), and nothing else.
 */
export function noOrderVerdict(
  input: PipelineInput,
  account: PipelineAccount,
  strategy: StrategyName,
  besideQuotes: boolean,
): NoOrderVerdict | undefined {
  const signals = input.signals;
  const market = input.market;
  // The ensemble's net view of the strategy: its signed strengths summed in order, clamped.
  let sum = 0;
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i] as StrategySignal;
    if (s.market !== market) return undefined;
    if (s.strategy === strategy) sum = sum + signedScore(s);
    else if (!besideQuotes || s.strategy !== StrategyName.marketMaking) return undefined;
  }
  const config = input.config;
  if (config !== checkedConfig) {
    assertEnsembleConfig(config);
    checkedConfig = config;
  }
  if (!config.enabled[strategy]) return undefined;
  const score = clampedScore(sum);
  const push = config.weights[strategy] * score;
  if (score === 0 || push === 0) return undefined;
  if (push < 0) {
    const held = input.holdings(strategy);
    return held !== undefined && !(held > 0) ? NOTHING_TO_SELL_VERDICT : undefined;
  }
  // A lone buy view wins with its whole conviction: the ensemble's kept fraction |B − 0| / max(B, 0)
  // is B / B, exactly 1 for any finite B > 0, so f·|s| is |s| itself.
  const conviction = Math.abs(score);
  if (conviction < config.minScore) return undefined;
  if (!reachesMinimum(conviction, config, input.rules)) return undefined;
  // The decision the ensemble makes, as far as risk reads it before Kelly.
  const ctx = account.riskContext(strategy);
  if (ctx.now >= input.now + config.decisionTtlMs) return undefined;
  if (input.twoSidedBook !== true) {
    const book = ctx.market.book;
    if (book?.bids[0] === undefined || book.asks[0] === undefined) return undefined;
  }
  return kellyRefusalKey(ctx, account.stats(strategy), input.equity, market, strategy);
}

/**
 * The refusal key (`risk:no_edge` or `risk:below_minimum`) evaluateDecisionRisk gives a buy of
 * `strategy` in `market` at Kelly sizing, or undefined when Kelly sizes it at or above the minimum
 * (the rest of the check then decides). The caller has made sure the check gets that far: the
 * decision is a directional buy, not expired at `ctx.now`, and `ctx`'s book has a bid and an ask.
 * The same steps in the same order, through the memos above and without the ceiling when the
 * unclamped Kelly notional is already below the minimum (kellyNotional refuses it whatever the
 * ceiling): most of `all`'s refused buys, whose exposure book is new on every bar.
 */
export function kellyRefusalKey(
  ctx: RiskContext,
  stats: TradeOutcomeStats,
  equity: Krw,
  market: Market,
  strategy: StrategyName | 'operator',
): RefusalKey | undefined {
  const limits = ctx.limits.kelly;
  // No edge on the record refuses before the ceiling, as kellyNotional (and evaluateDecisionRisk) do.
  if (hasNoEdge(stats, equity, limits)) return 'risk:no_edge';
  const minTotal = ctx.rules.minTotal;
  if (belowMinimumAtAnyCeiling(stats, equity, limits, minTotal)) return 'risk:below_minimum';
  const ceiling = buyCeiling(ctx, market, strategy);
  const kelly = kellyOf(stats, equity, limits, ceiling, minTotal);
  if (kelly.ok) return undefined;
  return kelly.reason === 'no_edge' ? 'risk:no_edge' : 'risk:below_minimum';
}

/** The refusal keys decided without the full check: a buy Kelly refuses, a quotes decision the latch refuses. */
export type RefusalKey = 'risk:no_edge' | 'risk:below_minimum' | 'risk:halted' | 'risk:reducing_only';

/**
 * Each strategy's `nothing_to_sell` result (half of a single strategy's signals a year): it carries
 * no decision and nothing of the instant, so one frozen result per strategy is shared, as
 * NO_SIGNALS is (callers read results, never change them).
 */
const NOTHING_TO_SELL = new Map<StrategyName, PipelineResult>();

function heldResult(strategy: StrategyName, reason: 'nothing_to_sell'): PipelineResult {
  let result = NOTHING_TO_SELL.get(strategy);
  if (result === undefined) {
    const fates = new Map<StrategyName, StrategyFate>([
      [strategy, Object.freeze({ fate: Object.freeze({ kind: 'held', reason }) })],
    ]);
    result = Object.freeze({ routed: NONE, refusals: NONE, fates });
    NOTHING_TO_SELL.set(strategy, result);
  }
  return result;
}

/** A refusal key's fate, refusal list and (made on first use per strategy) id-less results, shared (frozen: only read). */
interface SharedRefusal {
  readonly fate: SignalFate;
  readonly refusals: readonly string[];
  readonly idless: Map<StrategyName, PipelineResult>;
}

const REFUSED = new Map<string, SharedRefusal>();

/**
 * A refused buy's result. With `fateOnly` (the caller reads only the fate) one frozen result per
 * strategy and key, as {@link heldResult}: no decision id, fate or map per refused buy (a single
 * strategy refuses 4–11k buys a year). Otherwise its decision id is made at once as the full
 * pipeline makes it (a plain own property: a lazy getter in the literal cost more than the id, as
 * V8 builds a literal with an accessor on its slow path).
 */
function refusedResult(strategy: StrategyName, key: string, input: PipelineInput): PipelineResult {
  const shared = sharedRefusal(key);
  if (input.fateOnly === true) {
    let result = shared.idless.get(strategy);
    if (result === undefined) {
      const fates = new Map<StrategyName, StrategyFate>([[strategy, Object.freeze({ fate: shared.fate })]]);
      result = Object.freeze({ routed: NONE, refusals: shared.refusals, fates });
      shared.idless.set(strategy, result);
    }
    return result;
  }
  const fate: StrategyFate = {
    fate: shared.fate,
    decisionId: strategyDecisionId(strategy, input.market, input.now),
  };
  // The one-entry map filled by `set`: no entry list to allocate and walk through an iterator.
  const fates = new Map<StrategyName, StrategyFate>();
  fates.set(strategy, fate);
  return { routed: NONE, refusals: shared.refusals, fates };
}

function sharedRefusal(key: string): SharedRefusal {
  let shared = REFUSED.get(key);
  if (shared === undefined) {
    shared = {
      fate: refusedFate(key),
      refusals: Object.freeze([key]),
      idless: new Map(),
    };
    REFUSED.set(key, shared);
  }
  return shared;
}
