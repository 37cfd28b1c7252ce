import type { Market } from '../market/market-id';
import type { MarketRules } from '../market/market-rules';
import type { Krw } from '../money/quantities';
import type { DecisionId } from '../orders/identifiers';
import type { StrategySignal } from '../strategies/strategy';
import type { EpochMs } from '../time/epoch';
import { StrategyName } from '../trading/strategy-name';
import { strategyDecisionId } from './decision-ids';
import type { PipelineAccount, PipelineInput, PipelineResult, RoutedDecision } from './decision-pipeline';
import type { ViewsResolution } from './ensemble';
import type { EnsembleConfig } from './ensemble-config';
import { ladderResult } from './ladder-path';
import { quotesDecision } from './quotes-decision';
import { routeDecision } from './route-decision';
import { finalFates, type StrategyFate } from './signal-fate';
import type { SyntheticQuotes } from './synthetic-book';
import { topOfQuotes } from './top-of-book';
import { viewsInput } from './views-input';

/**
 * The full pipeline for an input whose market-making signal asks for quotes, from the other
 * strategies' views as the ensemble resolved them (`resolveViews`): the directional decisions in
 * order, then market making's quotes decision, last as in `resolveMarket`. The quotes are first
 * offered to the ladder path on market making's own signals, at their turn (after the decisions
 * before them were placed, as the ladder asks the account for its context then): the same levels,
 * checks and orders as the risk engine's per-layer check (the ladder answers only when it decides
 * exactly as that check does, see ladder-path.ts), with its levels made lazily and without a
 * decimal check object per layer. The ladder declining (or there being no quotes), the ensemble's
 * quotes decision is made as `resolveMarket` makes it and the check runs.
 */
export function ladderPipeline(
  input: PipelineInput,
  account: PipelineAccount,
  views: ViewsResolution,
  /**
   * True when every signal of the input is market making's and the ladder path has just declined
   * the input itself (runDecisionPipeline): with no directional decision nothing is placed before
   * the quotes, so the ladder would decline them again (the same signals, account and instant), and
   * is not asked.
   */
  ladderDeclined = false,
): PipelineResult {
  const routed: RoutedDecision[] = [];
  const refusals: string[] = [];
  const outcome = new Map<DecisionId, StrategyFate>();
  const ensembleFates = views.fates;
  for (const decision of views.decisions) {
    if (decision.intent.kind === 'hold' || decision.intent.kind === 'flatten') continue;
    routeDecision(decision, input, account, routed, refusals, outcome);
  }
  const quick = ladderDeclined ? undefined : ladderResult(new QuotesOnly(input), account);
  const fate = quick?.fates.get(StrategyName.marketMaking);
  if (quick !== undefined && fate !== undefined) {
    for (const r of quick.routed) routed.push(r);
    for (const r of quick.refusals) refusals.push(r);
    // The ladder's decision is `quotesDecision`'s: the same id (market making, market, instant).
    const id = strategyDecisionId(StrategyName.marketMaking, input.market, input.now);
    outcome.set(id, fate);
    ensembleFates.set(StrategyName.marketMaking, { kind: 'decided', decisionId: id });
    return { routed, refusals, fates: finalFates(ensembleFates, outcome) };
  }
  // Its levels made on first read when the ladder path would make them so (an account placing
  // layers itself, a caller reading only fates): a quotes decision the latch refuses as a whole
  // (see routeDecision) then needs no level decimals.
  const quotes = quotesDecision(
    { ...viewsInput(input), book: topOfQuotes(input.quotes) },
    marketSignals(input),
    input.rules,
    (input.now + input.config.decisionTtlMs) as EpochMs,
    account.placeQuotes !== undefined && input.fateOnly === true,
  );
  if (quotes === undefined)
    // quotesAsked: market making is enabled, so `resolveMarket`'s reason is this one.
    ensembleFates.set(StrategyName.marketMaking, { kind: 'held', reason: 'no_quotes' });
  else {
    ensembleFates.set(StrategyName.marketMaking, { kind: 'decided', decisionId: quotes.id });
    routeDecision(quotes, input, account, routed, refusals, outcome);
  }
  return { routed, refusals, fates: finalFates(ensembleFates, outcome) };
}

/** Whether a strategy other than market making signals in the input. */
export function othersSignal(input: PipelineInput): boolean {
  for (const s of input.signals) if (s.strategy !== StrategyName.marketMaking) return true;
  return false;
}

/** The input's signals of its own market (the list itself when all are, as `resolveMarket` reads them). */
function marketSignals(input: PipelineInput): readonly StrategySignal[] {
  const market = input.market;
  for (const s of input.signals)
    if (s.market !== market) return input.signals.filter((x) => x.market === market);
  return input.signals;
}

/**
 * The input with market making's signals alone (its quotes decision's only source). The quotes are
 * read through the original input when asked (a caller may make them lazily, as a getter); a class,
 * not a literal with a getter, which V8 builds on its slow path. It copies every field of
 * {@link PipelineInput}: a field added there must be added here too (`QuotesOnlyCoversInput` below
 * stops compiling until it is).
 */
export class QuotesOnly implements PipelineInput {
  readonly market: Market;
  readonly now: EpochMs;
  readonly signals: readonly StrategySignal[];
  readonly config: EnsembleConfig;
  readonly rules: MarketRules;
  readonly holdings: (strategy: StrategyName) => number;
  readonly equity: Krw;
  /** Absent and false mean the same (no-order-path reads `=== true`). */
  readonly twoSidedBook: boolean;
  /** Absent and false mean the same (no-order-path reads `=== true`). */
  readonly fateOnly: boolean;

  constructor(private readonly input: PipelineInput) {
    this.market = input.market;
    this.now = input.now;
    this.signals = input.signals.filter((s) => s.strategy === StrategyName.marketMaking);
    this.config = input.config;
    this.rules = input.rules;
    this.holdings = input.holdings;
    this.equity = input.equity;
    this.twoSidedBook = input.twoSidedBook === true;
    this.fateOnly = input.fateOnly === true;
  }

  get quotes(): SyntheticQuotes {
    return this.input.quotes;
  }
}

/** Compiles only while {@link QuotesOnly} has every key of {@link PipelineInput} (optional ones too). */
type EveryKey<Missing extends never> = Missing;
export type QuotesOnlyCoversInput = EveryKey<Exclude<keyof PipelineInput, keyof QuotesOnly>>;
