import type { Market } from '../market/market-id';
import { KRW_MARKET_RULES, type MarketRules } from '../market/market-rules';
import { decimalLt } from '../money/decimal-compare';
import { floorOfProduct } from '../money/decimal-floors';
import type { Krw } from '../money/quantities';
import type { DecisionId } from '../orders/identifiers';
import type { StrategySignal } from '../strategies/strategy';
import type { EpochMs } from '../time/epoch';
import type { Decision, DecisionIntent } from '../trading/decision';
import { STRATEGY_NAMES, StrategyName } from '../trading/strategy-name';
import { strategyDecisionId } from './decision-ids';
import { assertEnsembleConfig, type EnsembleConfig } from './ensemble-config';
import type { TopOfBook } from './quote-levels';
import { quotesDecision } from './quotes-decision';
import { clampedScore, signedScore, weightedVote } from './weighted-vote';

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

interface View {
  readonly strategy: StrategyName;
  /** Net signed strength in [−1, 1]. */
  readonly score: number;
  /** weight × score. */
  readonly push: number;
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

/** The views' resolution, and what market making's quotes decision then needs. */
interface ResolvedViews {
  readonly decisions: Decision[];
  readonly fates: Map<StrategyName, EnsembleFate>;
  /** The market's own signals. */
  readonly signals: readonly StrategySignal[];
  readonly rules: MarketRules;
  readonly expiresAt: EpochMs;
}

function resolvedViews(input: EnsembleInput): ResolvedViews {
  const { market, now, config } = input;
  assertEnsembleConfig(config);
  const rules = input.rules ?? KRW_MARKET_RULES;
  const signals = ofMarket(input.signals, market);
  const fates = new Map<StrategyName, EnsembleFate>();
  const net = new Map<StrategyName, number>();
  for (const s of signals) {
    if (s.strategy === StrategyName.marketMaking) continue;
    if (!config.enabled[s.strategy]) fates.set(s.strategy, { kind: 'held', reason: 'strategy_off' });
    else net.set(s.strategy, (net.get(s.strategy) ?? 0) + signedScore(s));
  }
  const views: View[] = [];
  for (const name of STRATEGY_NAMES) {
    const sum = net.get(name);
    if (sum === undefined) continue;
    const score = clampedScore(sum);
    const push = config.weights[name] * score;
    if (score === 0) fates.set(name, { kind: 'held', reason: 'flat' });
    else if (push === 0) fates.set(name, { kind: 'held', reason: 'zero_weight' });
    else views.push({ strategy: name, score, push });
  }
  const buy = views.filter((v) => v.push > 0);
  const sell = views.filter((v) => v.push < 0);
  const B = buy.reduce((a, v) => a + v.push, 0);
  const S = sell.reduce((a, v) => a - v.push, 0);
  const winners = B > S ? buy : S > B ? sell : [];
  for (const v of views) if (!winners.includes(v)) fates.set(v.strategy, { kind: 'netted' });
  const f = winners.length === 0 ? 0 : Math.abs(B - S) / Math.max(B, S);
  // The vote's contributions go into directional decisions only: made on the first one (most
  // signalling minutes end held, e.g. a sell with nothing to sell, and need none).
  const base = {
    market,
    createdAt: now,
    expiresAt: (now + config.decisionTtlMs) as EpochMs,
    source: 'ensemble' as const,
  };
  const decisions: Decision[] = [];
  const act: Acting = {
    market,
    now,
    config,
    rules,
    base,
    signals,
    f,
    decisions,
    fates,
    contributions: undefined,
  };
  if (winners === buy && buy.length > 0) {
    const leader = buy.reduce((best, v) => (v.push > best.push ? v : best));
    actOn(act, leader);
    const carried = fates.get(leader.strategy);
    for (const v of buy)
      if (v !== leader)
        fates.set(v.strategy, {
          kind: 'held',
          reason: 'joined_order',
          ...(carried?.kind === 'decided' ? { decisionId: carried.decisionId } : {}),
        });
  } else if (winners === sell)
    for (const v of sell) {
      const held = input.holdings?.(v.strategy);
      if (held !== undefined && !(held > 0))
        fates.set(v.strategy, { kind: 'held', reason: 'nothing_to_sell' });
      else actOn(act, v);
    }
  return { decisions, fates, signals, rules, expiresAt: base.expiresAt };
}

/** What deciding for one strategy's view needs (a plain record: no closure per market and minute). */
interface Acting {
  readonly market: Market;
  readonly now: EpochMs;
  readonly config: EnsembleConfig;
  readonly rules: MarketRules;
  readonly base: Omit<Decision, 'id' | 'strategy' | 'intent' | 'signals'>;
  /** The market's signals (for the vote's contributions). */
  readonly signals: readonly StrategySignal[];
  /** The vote's contributions, once a decision needed them. */
  contributions: Decision['signals'] | undefined;
  /** The winning side's kept fraction of conviction. */
  readonly f: number;
  readonly decisions: Decision[];
  readonly fates: Map<StrategyName, EnsembleFate>;
}

/** Turns one winning view into a decision (or the reason it is held). */
function actOn(a: Acting, v: View): void {
  const { config, fates } = a;
  const conviction = a.f * Math.abs(v.score);
  if (conviction < config.minScore) {
    const weak = Math.abs(v.score) < config.minScore;
    fates.set(v.strategy, weak ? { kind: 'held', reason: 'below_min_score' } : { kind: 'netted' });
    return;
  }
  const notional = convictionNotional(conviction, config, a.rules);
  if (notional === undefined) {
    fates.set(v.strategy, { kind: 'held', reason: 'below_minimum' });
    return;
  }
  const intent: DecisionIntent = {
    kind: 'directional',
    side: v.push > 0 ? 'bid' : 'ask',
    notional,
    urgency: conviction >= config.aggressiveScore ? 'aggressive' : 'passive',
  };
  const id = strategyDecisionId(v.strategy, a.market, a.now);
  a.contributions ??= weightedVote(a.market, a.signals, config).contributions;
  // The base's keys written out in its order (market, createdAt, expiresAt, source): the same
  // object as a spread of the base, without cloning the base's map and growing it four times.
  const base = a.base;
  a.decisions.push({
    market: base.market,
    createdAt: base.createdAt,
    expiresAt: base.expiresAt,
    source: base.source,
    signals: a.contributions,
    id,
    strategy: v.strategy,
    intent,
  });
  fates.set(v.strategy, { kind: 'decided', decisionId: id });
}

/**
 * The KRW a directional decision of this conviction carries: floor(conviction × perTradeCapKrw), as
 * `new Decimal(conviction).times(cap).toDecimalPlaces(0, floor)`; undefined when that is below the
 * market's minimum order (the view is then held).
 */
export function convictionNotional(
  conviction: number,
  config: EnsembleConfig,
  rules: MarketRules,
): Krw | undefined {
  const notional = floorOfProduct(conviction, config.perTradeCapKrw) as Krw;
  return decimalLt(notional, rules.minTotal) ? undefined : notional;
}

/** The signals of `market` (the list itself when all are, as a market's own list always is). */
function ofMarket(signals: readonly StrategySignal[], market: Market): readonly StrategySignal[] {
  for (const s of signals) if (s.market !== market) return signals.filter((x) => x.market === market);
  return signals;
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
