import type { Market } from '../market/market-id';
import { KRW_MARKET_RULES, type MarketRules } from '../market/market-rules';
import { decimalLt } from '../money/decimal-compare';
import { floorOfProduct } from '../money/decimal-floors';
import type { Krw } from '../money/quantities';
import type { StrategySignal } from '../strategies/strategy';
import type { EpochMs } from '../time/epoch';
import type { Decision, DecisionIntent } from '../trading/decision';
import { STRATEGY_NAMES, StrategyName } from '../trading/strategy-name';
import { strategyDecisionId } from './decision-ids';
import type { EnsembleFate, EnsembleInput } from './ensemble';
import { assertEnsembleConfig, type EnsembleConfig } from './ensemble-config';
import { clampedScore, signedScore, voteContributions } from './weighted-vote';

// The ensemble's steps 1–5 (resolveMarket's doc in ensemble.ts): each strategy's view of the
// market, their netting, and the directional decisions of the winning side.

interface View {
  readonly strategy: StrategyName;
  /** Net signed strength in [−1, 1]. */
  readonly score: number;
  /** weight × score. */
  readonly push: number;
}

/** The views' resolution, and what market making's quotes decision then needs. */
export interface ResolvedViews {
  readonly decisions: Decision[];
  readonly fates: Map<StrategyName, EnsembleFate>;
  /** The market's own signals. */
  readonly signals: readonly StrategySignal[];
  readonly rules: MarketRules;
  readonly expiresAt: EpochMs;
}

/** resolveMarket's steps 1–5 for the input's market: its directional decisions and the fates. */
export function resolvedViews(input: EnsembleInput): ResolvedViews {
  const { market, now, config } = input;
  assertEnsembleConfig(config);
  const rules = input.rules ?? KRW_MARKET_RULES;
  const signals = ofMarket(input.signals, market);
  const fates = new Map<StrategyName, EnsembleFate>();
  const decisions: Decision[] = [];
  const expiresAt = (now + config.decisionTtlMs) as EpochMs;
  const sole = soleView(signals);
  // `sole !== SEVERAL` meets strings only, and every answer leaves through one return: no view
  // (market making's signals alone) is first met after the loss-limit latch, ~day 331 of a year of
  // `all`, and a compare with undefined or a return site never taken threw the compiled code away.
  if (sole === undefined || sole !== SEVERAL) {
    if (sole !== undefined) resolveSole(input, sole, signals, rules, decisions, fates);
  } else resolveSeveral(input, signals, rules, decisions, fates);
  return { decisions, fates, signals, rules, expiresAt };
}

/**
 * resolvedViews' steps 1–5 for signals of several directional strategies (their netting), a
 * function of its own: its rarest branches (two buyers, the second joining the first's order, first
 * met ~day 125 of a year of `all`) then throw away only this code, not resolvedViews' own.
 */
function resolveSeveral(
  input: EnsembleInput,
  signals: readonly StrategySignal[],
  rules: MarketRules,
  decisions: Decision[],
  fates: Map<StrategyName, EnsembleFate>,
): void {
  const config = input.config;
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
  const act = acting(input, rules, signals, f, decisions, fates);
  if (winners === buy && buy.length > 0) {
    const leader = buy.reduce((best, v) => (v.push > best.push ? v : best));
    actOn(act, leader);
    // actOn set the leader's fate. The others join its order: one fate for them all (fates are
    // read only), made and set on every won buy (the leader's set again to its own fate keeps its
    // place in the map), so a second buyer, first met ~day 125 of a year of `all`, runs code that
    // already has type feedback instead of discarding the compiled function.
    const carried = fates.get(leader.strategy) as EnsembleFate;
    const joined: EnsembleFate =
      carried.kind === 'decided'
        ? { kind: 'held', reason: 'joined_order', decisionId: carried.decisionId }
        : { kind: 'held', reason: 'joined_order' };
    for (const v of buy) fates.set(v.strategy, v === leader ? carried : joined);
  } else if (winners === sell)
    for (const v of sell) {
      const held = input.holdings?.(v.strategy);
      if (held !== undefined && !(held > 0))
        fates.set(v.strategy, { kind: 'held', reason: 'nothing_to_sell' });
      else actOn(act, v);
    }
}

/** {@link soleView}'s answer for signals of two or more directional strategies. */
const SEVERAL = 'several';

/**
 * The one directional strategy among the market's signals (market making is not a view), undefined
 * when there is none, {@link SEVERAL} when there are more: nearly every signalling minute of `all`
 * has one, beside market making's quotes (~43k minutes a year).
 */
function soleView(signals: readonly StrategySignal[]): StrategyName | undefined | typeof SEVERAL {
  let sole: StrategyName | undefined;
  for (let i = 0; i < signals.length; i++) {
    const strategy = (signals[i] as StrategySignal).strategy;
    if (strategy === StrategyName.marketMaking || strategy === sole) continue;
    if (sole !== undefined) return SEVERAL;
    sole = strategy;
  }
  return sole;
}

/**
 * resolvedViews' steps 1–5 for one directional strategy alone, without the maps, lists and
 * closures they need for several (the same fates, decisions and arithmetic): its signals summed in
 * order from 0 and clamped; its push alone on its side, so the winning side's sum is 0 + push (a
 * buy) or 0 − push (a sell) against 0, it wins unless the push is NaN (then both sums are 0 and it
 * is netted, as the filters leave it on no side), and it leads a buy with nobody to join.
 */
function resolveSole(
  input: EnsembleInput,
  strategy: StrategyName,
  signals: readonly StrategySignal[],
  rules: MarketRules,
  decisions: Decision[],
  fates: Map<StrategyName, EnsembleFate>,
): void {
  const config = input.config;
  if (!config.enabled[strategy]) {
    fates.set(strategy, { kind: 'held', reason: 'strategy_off' });
    return;
  }
  let sum = 0;
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i] as StrategySignal;
    if (s.strategy === strategy) sum = sum + signedScore(s);
  }
  const score = clampedScore(sum);
  const push = config.weights[strategy] * score;
  if (score === 0) fates.set(strategy, { kind: 'held', reason: 'flat' });
  else if (push === 0) fates.set(strategy, { kind: 'held', reason: 'zero_weight' });
  else {
    const B = push > 0 ? 0 + push : 0;
    const S = push < 0 ? 0 - push : 0;
    if (!(B > S) && !(S > B)) {
      fates.set(strategy, { kind: 'netted' });
      return;
    }
    const view: View = { strategy, score, push };
    const act = acting(input, rules, signals, Math.abs(B - S) / Math.max(B, S), decisions, fates);
    if (B > S) actOn(act, view);
    else {
      const held = input.holdings?.(strategy);
      if (held !== undefined && !(held > 0)) fates.set(strategy, { kind: 'held', reason: 'nothing_to_sell' });
      else actOn(act, view);
    }
  }
}

/** The record {@link actOn} decides from (see Acting). */
function acting(
  input: EnsembleInput,
  rules: MarketRules,
  signals: readonly StrategySignal[],
  f: number,
  decisions: Decision[],
  fates: Map<StrategyName, EnsembleFate>,
): Acting {
  const { market, now, config } = input;
  const base = {
    market,
    createdAt: now,
    expiresAt: (now + config.decisionTtlMs) as EpochMs,
    source: 'ensemble' as const,
  };
  return { market, now, config, rules, base, signals, f, decisions, fates, contributions: undefined };
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
  a.contributions ??= voteContributions(a.market, a.signals, config);
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
  const cap = config.perTradeCapKrw;
  const minTotal = rules.minTotal;
  if (cap !== notionalsCap || minTotal !== notionalsMin) {
    NOTIONALS.clear();
    notionalsCap = cap;
    notionalsMin = minTotal;
  }
  // Positive finite convictions only: −0 would share 0's entry, and NaN is never decided on.
  const kept = conviction > 0 && conviction < Number.POSITIVE_INFINITY;
  const known = kept ? NOTIONALS.get(conviction) : undefined;
  if (known !== undefined) return known === null ? undefined : known;
  const notional = floorOfProduct(conviction, cap) as Krw;
  const answer = decimalLt(notional, minTotal) ? undefined : notional;
  if (kept) {
    if (NOTIONALS.size >= MAX_NOTIONALS) NOTIONALS.clear();
    NOTIONALS.set(conviction, answer ?? null);
  }
  return answer;
}

/**
 * {@link convictionNotional}'s answers (null: below the minimum) by conviction, for one cap and
 * minimum total: a conviction is a strategy's clamped strength times the kept fraction (1 for a
 * lone view), and mean reversion's strengths are sums of a few fixed votes, so the same handful
 * of convictions come back all year, each a decimal floor (its shortest text read when the product
 * is near a whole won, as 0.5 × 10^6 is) otherwise. Decimals are immutable: sharing one changes
 * nothing.
 */
const NOTIONALS = new Map<number, Krw | null>();
const MAX_NOTIONALS = 256;
let notionalsCap = Number.NaN;
let notionalsMin: Krw | undefined;

/** The signals of `market` (the list itself when all are, as a market's own list always is). */
function ofMarket(signals: readonly StrategySignal[], market: Market): readonly StrategySignal[] {
  for (const s of signals) if (s.market !== market) return signals.filter((x) => x.market === market);
  return signals;
}
