import type { Market } from '../market/market-id';
import type { MarketRules } from '../market/market-rules';
import type { DecisionId } from '../orders/identifiers';
import type { StrategySignal } from '../strategies/strategy';
import type { EpochMs } from '../time/epoch';
import type { Decision } from '../trading/decision';
import { StrategyName } from '../trading/strategy-name';
import type { EnsembleConfig } from './ensemble-config';
import { resolvedViews } from './ensemble-views';
import type { TopOfBook } from './quote-levels';
import { quotesDecision } from './quotes-decision';

/** Kept here too: callers have always imported it from the ensemble. */
export { convictionNotional } from './ensemble-views';

/** Everything one ensemble run for one market needs; nothing is read from a clock or store. */
export interface EnsembleInput {
  readonly market: Market;
  /** Decision time (the analysis minute); also selects the tick table and the decision ids. */
  readonly now: EpochMs;
  /** This minute's signals from all strategies (other markets' signals are ignored). */
  readonly signals: readonly StrategySignal[];
  readonly config: EnsembleConfig;
  readonly rules?: MarketRules;
  /**
   * Base volume each strategy holds in the market (spot-only: a strategy can only sell what it
   * holds). Absent = unknown: sells are decided and the risk engine clamps them to the holding.
   */
  readonly holdings?: (strategy: StrategyName) => number;
  /** Best bid/ask, when known, to drop quotes that would cross after rounding. */
  readonly book?: TopOfBook;
}

/** What the ensemble did with a strategy's signals on one market (before risk). */
export type EnsembleFate =
  | { readonly kind: 'decided'; readonly decisionId: DecisionId }
  | { readonly kind: 'netted' }
  | { readonly kind: 'held'; readonly reason: string; readonly decisionId?: DecisionId };

/** The ensemble's decisions for one market and minute, and every signalling strategy's fate. */
export interface EnsembleResolution {
  readonly decisions: readonly Decision[];
  readonly fates: ReadonlyMap<StrategyName, EnsembleFate>;
}

/**
 * Capital sleeves with conflict netting (docs/ensemble.md). Every enabled strategy acts for itself,
 * in its own sleeve (its positions and its per-strategy capital limit), on its own signal; the
 * ensemble only resolves conflicts on the same market in the same minute:
 * 1. each strategy's signals for the market sum to one view s ∈ [−1, 1]; its push is weight × s;
 * 2. opposite views net out: with B the buy pushes and S the sell pushes, the larger side keeps
 *    the fraction f = |B − S| / max(B, S) of its conviction, the other side is `netted` (all of it on
 *    a tie);
 * 3. the winning buy side places one buy (Upbit markets have one cooldown per market): the
 *    strategy with the largest push, sized by its own conviction f·s × perTradeCapKrw; agreeing
 *    buyers are recorded as `joined_order` and do not scale it (one strategy's capital never backs
 *    another's view, so per-strategy results stay clean);
 * 4. on the winning sell side every strategy that holds the market sells f·|s| × perTradeCapKrw of
 *    its own holding (sells reduce risk and have no cooldown); one holding nothing is
 *    `nothing_to_sell`;
 * 5. a conviction f·|s| below minScore is held (`netted` when the netting pushed it there), one at
 *    or above aggressiveScore takes liquidity, and a notional under the exchange minimum is held.
 * Market making is not a view: its quotes go their own way. Run alone, a strategy decides exactly
 * as before sleeves (its vote was its own score).
 */
export function resolveMarket(input: EnsembleInput): EnsembleResolution {
  const views = resolvedViews(input);
  const { signals, fates, decisions } = views;
  const quotes = quotesDecision(input, signals, views.rules, views.expiresAt);
  if (quotes !== undefined) {
    decisions.push(quotes);
    fates.set(StrategyName.marketMaking, { kind: 'decided', decisionId: quotes.id });
  } else if (signals.some((s) => s.strategy === StrategyName.marketMaking))
    fates.set(StrategyName.marketMaking, {
      kind: 'held',
      reason: input.config.enabled.market_making ? 'no_quotes' : 'strategy_off',
    });
  return { decisions, fates };
}

/**
 * {@link resolveMarket} without market making (steps 1–5 alone): the directional decisions and the
 * fate of every other strategy, in resolveMarket's order. Market making is not a view, so its
 * signals change nothing here; resolveMarket is this plus its quotes decision, decided and set last.
 * For the pipeline, which decides the quotes on its own path (ladder-path.ts) after the directional
 * decisions were placed, and would otherwise resolve the views twice on a mixed bar.
 */
export function resolveViews(input: EnsembleInput): ViewsResolution {
  const { decisions, fates } = resolvedViews(input);
  return { decisions, fates };
}

/** {@link resolveViews}' answer: a fresh map the caller may complete with market making's fate. */
export interface ViewsResolution {
  readonly decisions: readonly Decision[];
  readonly fates: Map<StrategyName, EnsembleFate>;
}

/** The decisions of {@link resolveMarket} (what the executor will be asked to do). */
export function decide(input: EnsembleInput): Decision[] {
  return [...resolveMarket(input).decisions];
}

/** Facts about one market that {@link decideAll} passes through to {@link decide}. */
export interface MarketFacts {
  readonly holdings?: (strategy: StrategyName) => number;
  readonly book?: TopOfBook;
}

/** One ensemble run over every market of the minute (in `markets` order) from one signal list. */
export function decideAll(
  markets: readonly Market[],
  now: EpochMs,
  signals: readonly StrategySignal[],
  config: EnsembleConfig,
  facts: ReadonlyMap<Market, MarketFacts> = new Map(),
  rules?: MarketRules,
): Decision[] {
  return markets.flatMap((market) => {
    const f = facts.get(market);
    return decide({
      market,
      now,
      signals,
      config,
      ...(rules === undefined ? {} : { rules }),
      ...(f?.holdings === undefined ? {} : { holdings: f.holdings }),
      ...(f?.book === undefined ? {} : { book: f.book }),
    });
  });
}
