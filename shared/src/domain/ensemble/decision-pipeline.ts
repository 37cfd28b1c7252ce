import type { Market } from '../market/market-id';
import type { MarketRules } from '../market/market-rules';
import type { Krw } from '../money/quantities';
import type { DecisionId } from '../orders/identifiers';
import type { TradeOutcomeStats } from '../risk/kelly-sizing';
import type { RiskContext } from '../risk/pre-trade-check';
import type { StrategySignal } from '../strategies/strategy';
import type { EpochMs } from '../time/epoch';
import type { Decision } from '../trading/decision';
import { StrategyName } from '../trading/strategy-name';
import { resolveMarket, resolveViews } from './ensemble';
import { assertEnsembleConfig, type EnsembleConfig } from './ensemble-config';
import type { LadderBooks } from './ladder-checks';
import { ladderResult } from './ladder-path';
import { ladderPipeline, othersSignal } from './ladder-pipeline';
import { mixedResult } from './mixed-path';
import { noOrderResult } from './no-order-path';
import type { PlannedOrder } from './order-plan';
import type { QuoteColumns } from './quote-levels';
import { routeDecision } from './route-decision';
import { finalFates, type StrategyFate } from './signal-fate';
import type { SyntheticQuotes } from './synthetic-book';
import { topOfQuotes } from './top-of-book';
import { viewsInput } from './views-input';

/** Kept here too: callers have always imported it from the pipeline. */
export { refusalKey } from './route-decision';

/** One market at one decision instant: its signals and the facts the ensemble and sizing need. */
export interface PipelineInput {
  readonly market: Market;
  /** Decision time: the close of the bar the signals were taken on. */
  readonly now: EpochMs;
  /** This minute's signals for the market, in emission order. */
  readonly signals: readonly StrategySignal[];
  readonly config: EnsembleConfig;
  readonly rules: MarketRules;
  /**
   * Top of book the decision is taken against (the synthetic book of the closed bar). Read only when
   * a decision needs it (quote levels, an approved order's plan), so a getter may compute it lazily.
   */
  readonly quotes: SyntheticQuotes;
  /** Base volume each strategy holds in the market (spot-only: a strategy sells only what it holds). */
  readonly holdings: (strategy: StrategyName) => number;
  /** Account equity Kelly sizing applies to. */
  readonly equity: Krw;
  /**
   * True when every risk view the account gives has a bid and an ask in its book (the backtest's
   * synthetic one-level book always has): a signal that cannot become an order is then decided
   * without building the view (see no-order-path.ts).
   */
  readonly twoSidedBook?: boolean;
  /**
   * True when the caller reads only each strategy's `fate` of the result, never its decision id
   * (the backtest's signal tallies): a refused buy on the no-order path then shares one frozen
   * result per refusal key instead of making its decision id and a fates map (see no-order-path.ts),
   * and the ladder path shares market making's fates map and leaves its routed entry out (its
   * result's `routed` is empty; see ladder-path.ts). Such a caller reads `fates` and `refusals`.
   */
  readonly fateOnly?: boolean;
}

/**
 * The caller's account, read and changed through three calls so the backtest (a simulated broker)
 * and the minute analysis (the state store, plus what this pass already decided) run the same
 * pipeline. `riskContext` is asked again before every decision, after the previous decision's
 * orders were placed, so one market's decisions see each other.
 */
export interface PipelineAccount {
  /** The risk view for a decision of `strategy` (live: its trading state includes the strategy's toggle). */
  riskContext(strategy: StrategyName | 'operator'): RiskContext;
  /** The strategy's closed-trade record for Kelly sizing. */
  stats(strategy: StrategyName | 'operator'): TradeOutcomeStats;
  /**
   * Places (backtest) or reserves (analysis) an approved decision's orders; returns, per order, the
   * refusal key when it could not be placed (`exchange:<code>`) or undefined when it was accepted.
   */
  place(
    decision: Decision,
    orders: readonly PlannedOrder[],
    ctx: RiskContext,
  ): readonly (string | undefined)[];
  /**
   * Optional: places an approved quotes decision exactly as `place` would place
   * `planOrders(decision, …)` (leg i = level i, post-only limits, the plan's identifiers and
   * reasons), without the planned orders. An account that makes order texts on demand (the
   * backtest's broker: most quote layers live one bar unfilled) offers it; the ladder path then
   * makes the result's `orders` only when read. Live accounts leave it out and get `place`.
   */
  placeQuotes?(
    decision: Decision,
    ctx: RiskContext,
    facts?: QuoteLayerFacts,
  ): readonly (string | undefined)[];
  /**
   * Optional: the books of `ctx` (a context this account just gave) as the ladder path reads them,
   * without the commitment list (see LadderBooks); undefined or absent, the ladder reads `ctx`.
   */
  ladderBooks?(ctx: RiskContext): LadderBooks | undefined;
}

/**
 * What the ladder path knows of every level of a quotes decision it hands to `placeQuotes`, so the
 * account need not work it out again: each level passed the exchange validation as a post-only
 * limit order of the decision's market under `rules` at `at` (by construction, see checkLadder),
 * and `prices[i]` / `volumes[i]` are `numberOf` of level i's price and volume. The arrays are
 * scratch space of the ladder path: valid during the `placeQuotes` call only.
 */
export interface QuoteLayerFacts {
  readonly rules: MarketRules;
  readonly at: EpochMs;
  readonly prices: readonly number[];
  readonly volumes: readonly number[];
  /**
   * The levels as integers (whole won, 1e-8 units; the decision's levels are made from them on
   * first read, LazyQuotesIntent): the account places level i from these numbers when present.
   */
  readonly columns?: QuoteColumns | undefined;
}

/** An approved decision and the orders it became, with the refusal key of each order that failed. */
export interface RoutedDecision {
  readonly decision: Decision;
  readonly orders: readonly PlannedOrder[];
  readonly rejected: readonly (string | undefined)[];
}

/** What the pipeline did for one market. */
export interface PipelineResult {
  /** Decisions that passed risk (resized as risk decided), with their orders. */
  readonly routed: readonly RoutedDecision[];
  /** Every refusal, as `risk:<code>[:<exchange code>]` or `exchange:<code>`, in order. */
  readonly refusals: readonly string[];
  /** What became of each signalling strategy's signals on this market. */
  readonly fates: ReadonlyMap<StrategyName, StrategyFate>;
}

/**
 * What the pipeline returns for a market without signals: nothing decided, refused or held (most
 * markets on most bars). One shared, frozen result: callers read it, never change it.
 */
export const NO_SIGNALS: PipelineResult = Object.freeze({
  routed: Object.freeze([]) as readonly RoutedDecision[],
  refusals: Object.freeze([]) as readonly string[],
  fates: new Map<StrategyName, StrategyFate>() as ReadonlyMap<StrategyName, StrategyFate>,
});

/**
 * The per-market decision pipeline shared by the backtest and the minute analysis: the ensemble's
 * decisions for the market, each sized and checked by the risk engine (Kelly sizing, every hard
 * limit, the exchange's rules) against the account as it is after the previous decision, then
 * turned into orders. Pure given the account callbacks: no clock, no I/O.
 */
export function runDecisionPipeline(input: PipelineInput, account: PipelineAccount): PipelineResult {
  if (input.signals.length === 0) {
    assertEnsembleConfig(input.config);
    return NO_SIGNALS;
  }
  if (!quotesAsked(input)) return noOrderResult(input, account) ?? fullPipeline(input, account);
  const others = othersSignal(input);
  // One directional view beside the quotes that cannot become an order (a caller reading fates only).
  const mixed = others ? mixedResult(input, account) : undefined;
  if (mixed !== undefined) return mixed;
  // Another strategy signalling on market making's bar: its view resolved once, for the ladder (it
  // decides nothing) or for the quotes after the directional decisions (it decides).
  const views = others ? resolveViews(viewsInput(input)) : undefined;
  if (views === undefined || views.decisions.length === 0) {
    const quick = ladderResult(input, account, undefined, views?.fates);
    if (quick !== undefined) return quick;
  }
  // Market making alone, declined by the ladder just now: ladderPipeline's own offer of the same
  // signals to the ladder, with nothing placed in between, would be declined again.
  return ladderPipeline(input, account, views ?? resolveViews(viewsInput(input)), views === undefined);
}

/**
 * {@link runDecisionPipeline} without its no-order and ladder paths: every step, for every input
 * with signals (exported for the property tests that hold the paths to the same result).
 */
export function runFullPipeline(input: PipelineInput, account: PipelineAccount): PipelineResult {
  return fullPipeline(input, account);
}

/**
 * The full pipeline, every step for every decision of `resolveMarket` (the no-order path's and the
 * property tests' fallback).
 */
function fullPipeline(input: PipelineInput, account: PipelineAccount): PipelineResult {
  // Only market making's quote levels read the book: a directional signal (most signalling bars)
  // neither builds it nor asks for the bar's quotes at all (a caller may compute them lazily).
  const { decisions, fates: ensembleFates } = resolveMarket(
    quotesAsked(input) ? { ...viewsInput(input), book: topOfQuotes(input.quotes) } : viewsInput(input),
  );
  const routed: RoutedDecision[] = [];
  const refusals: string[] = [];
  const outcome = new Map<DecisionId, StrategyFate>();
  for (const decision of decisions) {
    if (decision.intent.kind === 'hold' || decision.intent.kind === 'flatten') continue;
    routeDecision(decision, input, account, routed, refusals, outcome);
  }
  return { routed, refusals, fates: finalFates(ensembleFates, outcome) };
}

/** Whether the ensemble will turn a market-making signal into quote levels (the one use of the book). */
function quotesAsked(input: PipelineInput): boolean {
  if (!input.config.enabled.market_making) return false;
  for (const s of input.signals) if (s.strategy === StrategyName.marketMaking) return true;
  return false;
}
