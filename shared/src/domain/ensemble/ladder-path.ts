import type { Market } from '../market/market-id';
import type { MarketRules } from '../market/market-rules';
import type { RiskContext } from '../risk/pre-trade-check';
import type { StrategySignal } from '../strategies/strategy';
import type { EpochMs } from '../time/epoch';
import type { Decision, QuoteLevel } from '../trading/decision';
import { StrategyName } from '../trading/strategy-name';
import type {
  PipelineAccount,
  PipelineInput,
  PipelineResult,
  QuoteLayerFacts,
  RoutedDecision,
} from './decision-pipeline';
import { type EnsembleFate, resolveViews } from './ensemble';
import { assertEnsembleConfig, type EnsembleConfig } from './ensemble-config';
import { keptLadderDecision, keptLevelsDecision } from './kept-layers';
import { checkLadder, LADDER_DOUBLES, type LayerRefusal } from './ladder-checks';
import { fateResult, idlessResult, refusedFate, refusedLadder, TRADED } from './ladder-results';
import { rememberLadderVerdicts } from './ladder-verdicts';
import { LazyQuoteOrders } from './lazy-quote-orders';
import { LazyQuotesIntent } from './lazy-quotes-intent';
import { planOrders } from './order-plan';
import type { QuoteColumns } from './quote-levels';
import { quotesDecisionOf } from './quotes-decision';
import { latchRefusalOf } from './route-decision';
import { finalFates, type StrategyFate } from './signal-fate';
import { topOfQuotes } from './top-of-book';
import { viewsInput } from './views-input';

const NONE: readonly never[] = Object.freeze([]);
const MM = StrategyName.marketMaking;

/**
 * The config `ladderResult` last checked with `assertEnsembleConfig`: configs are immutable (a
 * toggle makes a copy, withStrategyEnabled) and a run passes the same object on every bar, so it is
 * checked again only when another one comes (as no-order-path does).
 */
let checkedConfig: EnsembleConfig | undefined;

/**
 * Market making's decision for one market, from its signal to the orders, without the ensemble's
 * maps and views and without a pre-trade check object per layer: the quote levels are those of the
 * full pipeline (the ensemble's `quotesDecision`), and every layer's checks — exchange rules, the
 * per-trade limit, total / strategy / market exposure headroom, spot holdings for asks, the
 * fat-finger last-trade, band and depth guards — are decided against per-bar thresholds computed
 * once, each layer seeing the locks and offered volume of the layers accepted before it, as
 * `checkOrders` does. Only the approved decision and its orders are built, for the account to
 * place. On a latched account the ladder the latch refuses as a whole (bids alone while reducing,
 * any while halted) is answered with the risk engine's own refusal (latchRefusalOf).
 *
 * Undefined whenever anything is unusual or close: another strategy's signal that the ensemble
 * turns into a decision, a signal of another market, market making off or without quotes, no
 * level, an expired decision, a reducing account quoting asks, a loss-breached account, missing
 * market data, a position-count limit that could bite, an exchange-rule refusal, a volume or
 * holding off the 8-decimal grid, or any comparison within the checks' margin (`MARGIN` in
 * ladder-check-guards.ts) of its threshold. The caller then runs the full pipeline, which gives
 * the same result here (a property test compares the two). A pure domain function with decimals
 * at its ports: the backtest and the minute analysis take the same path.
 */
export function ladderResult(
  input: PipelineInput,
  account: PipelineAccount,
  /**
   * Market making's quotes decision for this very input when the caller has made it already (the
   * full pipeline's ensemble resolution, on a bar where another strategy decides too): the decision
   * `quotesDecision` would make here, from the same latest signal, instant, rules and book.
   */
  decided?: Decision,
  /**
   * The other strategies' fates when the caller has resolved their views already
   * (`resolveViews` of this input) and they decided nothing: not resolved a second time here.
   */
  views?: ReadonlyMap<StrategyName, EnsembleFate>,
): PipelineResult | undefined {
  const signals = input.signals;
  const market = input.market;
  let others = 0;
  // Market making's latest signal, the one its quotes decision reads (quotesDecision).
  let latest: StrategySignal | undefined;
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i] as StrategySignal;
    if (s.market !== market) return undefined;
    if (s.strategy !== MM) others += 1;
    else latest = s;
  }
  const config = input.config;
  if (config !== checkedConfig) {
    assertEnsembleConfig(config);
    checkedConfig = config;
  }
  if (!config.enabled.market_making) return undefined;
  const rules = input.rules;
  const now = input.now;
  // Other strategies' signals on the market: the ensemble's own resolution of them (market making
  // is not a view: it never changes theirs), and the ladder only when they decide nothing (held,
  // netted, off), so the quotes are the one decision, as in the full pipeline.
  let viewFates: ReadonlyMap<StrategyName, EnsembleFate> | undefined;
  if (others > 0 && views !== undefined) viewFates = views;
  else if (others > 0) {
    const resolved = resolveViews(viewsInput(input));
    if (resolved.decisions.length > 0) return undefined;
    viewFates = resolved.fates;
  }
  // An account placing layers itself (placeQuotes) takes whole-won levels as integers, and a
  // caller reading only fates reads no decision: its level decimals are made only if something
  // reads them (LazyQuotesIntent).
  const decision =
    decided ?? ownQuotesDecision(input, latest, account.placeQuotes !== undefined && input.fateOnly === true);
  if (decision === undefined || decision.intent.kind !== 'quotes') return undefined;
  const columns = LazyQuotesIntent.columnsOf(decision.intent);
  const levels = columns ?? decision.intent.levels;
  if ((columns !== undefined ? columns.count : decision.intent.levels.length) === 0) return undefined;
  const ctx = account.riskContext(MM);
  if (ctx.now >= decision.expiresAt || ctx.now !== now || ctx.rules !== rules) return undefined;
  const idless = viewFates === undefined && input.fateOnly === true;
  let result: PipelineResult;
  if (ctx.state !== 'running') {
    // A latched account: the risk engine refuses a ladder of bids alone (reducing) or any ladder
    // (halted) as a whole before any check (routeDecision's latchRefusalOf, shared): that very
    // refusal here, instead of declining to the full pipeline, which would make the same decision
    // again to refuse it (~14k bars after a year's loss-limit latch). Any other latched ladder
    // (asks while reducing) goes to the full pipeline.
    const latched = latchRefusalOf(decision, ctx);
    if (latched === undefined) return undefined;
    result = refusedLadder(latched, decision.id, idless);
  } else {
    const checked = checkLadder(levels, ctx, market, account.ladderBooks?.(ctx));
    if (checked === undefined) return undefined;
    result = routedResult(decision, levels, checked, ctx, input, account, idless);
  }
  if (viewFates === undefined) return result;
  // The other strategies' fates first, market making's last (the ensemble's order).
  const ensemble = new Map(viewFates);
  ensemble.set(MM, { kind: 'decided', decisionId: decision.id });
  const outcome = new Map([[decision.id, result.fates.get(MM) as StrategyFate]]);
  return { routed: result.routed, refusals: result.refusals, fates: finalFates(ensemble, outcome) };
}

/**
 * The ensemble's quotes decision for the input (`quotesDecision` as `resolveMarket` calls it), from
 * market making's latest signal of the input's (found by the caller's scan).
 */
function ownQuotesDecision(
  input: PipelineInput,
  latest: StrategySignal | undefined,
  lazyLevels: boolean,
): Decision | undefined {
  const quotes = latest?.quotes;
  if (quotes === undefined) return undefined;
  const now = input.now;
  return quotesDecisionOf(
    latest as StrategySignal,
    quotes,
    input.market,
    now,
    (now + input.config.decisionTtlMs) as EpochMs,
    input.rules,
    topOfQuotes(input.quotes),
    lazyLevels,
  );
}

/** The full pipeline's result for the checked ladder: the approved decision placed, or its refusal. */
function routedResult(
  decision: Decision,
  /** The decision's levels, or their integer columns (its intent is then a LazyQuotesIntent). */
  checkedLevels: readonly QuoteLevel[] | QuoteColumns,
  checked: readonly (LayerRefusal | undefined)[],
  ctx: RiskContext,
  input: PipelineInput,
  account: PipelineAccount,
  /** Market making's fate is the whole of the caller's reading (see idlessResult). */
  idless: boolean,
): PipelineResult {
  // The refusal list is made at the first refusal (most bars keep every layer); the kept layers
  // only after the count (partlyKeptDecision).
  let keptCount = 0;
  let refusals: string[] | undefined;
  let columns = Array.isArray(checkedLevels) ? undefined : (checkedLevels as QuoteColumns);
  for (let i = 0; i < checked.length; i++) {
    const r = checked[i];
    if (r === undefined) keptCount += 1;
    else {
      refusals ??= [];
      refusals.push(`risk:${r}`);
    }
  }
  if (keptCount === 0) return refusedLadder((refusals as string[])[0] as string, decision.id, idless);
  // Every layer kept: the decision itself is the approved one (the copy would hold the same keys in
  // the same order and an equal intent). Some refused: partlyKeptDecision's (on columns, the kept
  // layers' columns, their levels made only if read, as the whole ladder's are).
  let approved = decision;
  // Kept levels of an eager ladder (decimal levels) refused in part: their verdicts are remembered.
  const keptLevels = refusals !== undefined && columns === undefined;
  if (refusals !== undefined) {
    approved = partlyKeptDecision(decision, checkedLevels, checked, input.market, ctx);
    if (columns !== undefined) columns = LazyQuotesIntent.columnsOf(approved.intent);
  }
  let entry: RoutedDecision | undefined;
  let rejected: readonly (string | undefined)[];
  // Placing through the validation (the plan's orders, or layers without the checks' facts): it
  // finds the checks' verdicts instead of validating again.
  if (account.placeQuotes === undefined && !keptLevels)
    rememberLadderVerdicts(levelsOf(approved, checkedLevels), input.market, ctx.rules, ctx.now);
  if (account.placeQuotes === undefined) {
    const orders = planOrders(approved, ctx, input.quotes, input.rules);
    rejected = account.place(approved, orders, ctx);
    entry = { decision: approved, orders, rejected };
  } else {
    // Levels kept whole or as columns: the checks' doubles are by the approved decision's level
    // indices (keptLayers moved them).
    let facts: QuoteLayerFacts | undefined;
    if (!keptLevels) {
      // One facts record for every ladder (valid during the call only, see QuoteLayerFacts).
      LADDER_FACTS.rules = ctx.rules;
      LADDER_FACTS.at = ctx.now;
      LADDER_FACTS.columns = columns;
      facts = LADDER_FACTS;
    }
    rejected = account.placeQuotes(approved, ctx, facts);
    if (facts !== undefined) LADDER_FACTS.columns = undefined;
    // A caller reading fates only never reads the routed entry (see PipelineInput.fateOnly).
    entry = idless ? undefined : new LazyQuoteOrders(approved, rejected);
  }
  let failed: string | undefined;
  let anyAccepted = false;
  // An indexed loop: an account may hand back a shared list (the backtest's all-accepted one, not
  // frozen: V8 reads a frozen array's elements several times slower), and a frozen one's for-of
  // V8 runs through an iterator result object per layer.
  for (let i = 0; i < rejected.length; i++) {
    const r = rejected[i];
    if (r === undefined) anyAccepted = true;
    else {
      refusals ??= [];
      refusals.push(r);
      failed ??= r;
    }
  }
  const fate = failed === undefined || anyAccepted ? TRADED : refusedFate(failed);
  if (idless) return idlessResult(fate, refusals, undefined);
  return fateResult([entry as RoutedDecision], refusals ?? NONE, fate, decision.id);
}

/**
 * The approved decision of a ladder the checks refused in part (some layer kept): on columns
 * keptLadderDecision's; on decimal levels keptLevelsDecision's of the kept levels, whose verdicts it
 * remembers for the validation that places them. Out of routedResult, at one call site for both
 * (a partly refused ladder is ~2 % of bars, too rare to be inlined): the decimal-level branch is
 * first run ~day 30 of a market-making year, and its calls, without feedback inside
 * routedResult's compiled code, threw that code away there ('Insufficient type feedback for call').
 */
function partlyKeptDecision(
  decision: Decision,
  checkedLevels: readonly QuoteLevel[] | QuoteColumns,
  checked: readonly (LayerRefusal | undefined)[],
  market: Market,
  ctx: RiskContext,
): Decision {
  if (!Array.isArray(checkedLevels))
    return keptLadderDecision(decision, checkedLevels as QuoteColumns, checked);
  const levels = checkedLevels as readonly QuoteLevel[];
  // Copied from the first refusal on: the layers before it, then each kept one.
  let kept: QuoteLevel[] | undefined;
  for (let i = 0; i < checked.length; i++) {
    if (checked[i] === undefined) kept?.push(levels[i] as QuoteLevel);
    else kept ??= levels.slice(0, i);
  }
  const approved = keptLevelsDecision(decision, kept as QuoteLevel[]);
  rememberLadderVerdicts(kept as QuoteLevel[], market, ctx.rules, ctx.now);
  return approved;
}

/**
 * The layers' facts handed to `placeQuotes` (see QuoteLayerFacts: valid during the call only), one
 * record rewritten per ladder; `prices` and `volumes` are the checks' own scratch (LADDER_DOUBLES).
 */
const LADDER_FACTS: {
  rules: MarketRules;
  at: EpochMs;
  readonly prices: readonly number[];
  readonly volumes: readonly number[];
  columns: QuoteColumns | undefined;
} = {
  rules: undefined as unknown as MarketRules,
  at: 0 as EpochMs,
  prices: LADDER_DOUBLES.prices,
  volumes: LADDER_DOUBLES.volumes,
  columns: undefined,
};

/**
 * The decision's levels: the checked ones, or, for columns, its intent's (a LazyQuotesIntent makes
 * them on this read: a layer was refused, or the layers go through the validation).
 */
function levelsOf(decision: Decision, checked: readonly QuoteLevel[] | QuoteColumns): readonly QuoteLevel[] {
  if (Array.isArray(checked)) return checked as readonly QuoteLevel[];
  return (decision.intent as { readonly levels: readonly QuoteLevel[] }).levels;
}
