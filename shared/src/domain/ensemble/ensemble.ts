import type { Market } from '../market/market-id';
import { KRW_MARKET_RULES, type MarketRules } from '../market/market-rules';
import { Decimal, Rounding } from '../money/decimal';
import type { Krw } from '../money/quantities';
import { makeDecisionId } from '../orders/identifiers';
import type { StrategySignal } from '../strategies/strategy';
import type { EpochMs } from '../time/epoch';
import type { Decision, DecisionIntent, SignalContribution } from '../trading/decision';
import { STRATEGY_NAMES, StrategyName } from '../trading/strategy-name';
import { assertEnsembleConfig, type EnsembleConfig } from './ensemble-config';
import { type TopOfBook, toQuoteLevels } from './quote-levels';
import { weightedVote } from './weighted-vote';

/** Everything one ensemble run for one market needs; nothing is read from a clock or store. */
export interface EnsembleInput {
  readonly market: Market;
  /** Decision time (the analysis minute); also selects the tick table and the decision id. */
  readonly now: EpochMs;
  /** This minute's signals from all strategies (other markets' signals are ignored). */
  readonly signals: readonly StrategySignal[];
  readonly config: EnsembleConfig;
  readonly rules?: MarketRules;
  /** Base volume held in the market; with 0 a sell vote becomes hold (spot-only: nothing to sell). */
  readonly heldVolume?: number;
  /** Best bid/ask, when known, to drop quotes that would cross after rounding. */
  readonly book?: TopOfBook;
}

/**
 * The ensemble's output for one market and minute: a directional (or hold) decision from the
 * weighted vote, plus — when market making is enabled and quoted — a `quotes` decision the executor
 * keeps resting. Both have deterministic ids (`ens-…` and `mmq-…` for the minute), so a re-run of
 * the same minute can never double-trade.
 */
export function decide(input: EnsembleInput): Decision[] {
  const { market, now, config } = input;
  assertEnsembleConfig(config);
  const rules = input.rules ?? KRW_MARKET_RULES;
  const vote = weightedVote(market, input.signals, config);
  const base = { market, createdAt: now, expiresAt: (now + config.decisionTtlMs) as EpochMs };
  const directional: Decision = {
    ...base,
    id: makeDecisionId('ens', market, now),
    source: 'ensemble',
    strategy: leadingStrategy(vote.contributions, vote.score, config),
    intent: directionalIntent(vote.score, vote.totalWeight, config, rules, input.heldVolume),
    signals: vote.contributions,
  };
  const out: Decision[] = [directional];
  if (config.enabled.market_making) {
    const mm = input.signals.filter((s) => s.market === market && s.strategy === StrategyName.marketMaking);
    const latest = mm[mm.length - 1];
    if (latest?.quotes !== undefined)
      out.push({
        ...base,
        id: makeDecisionId('mmq', market, now),
        source: StrategyName.marketMaking,
        strategy: StrategyName.marketMaking,
        intent: { kind: 'quotes', levels: toQuoteLevels(market, latest.quotes, now, rules, input.book) },
        signals: [{ strategy: StrategyName.marketMaking, score: 0, weight: 1, reason: latest.reason }],
      });
  }
  return out;
}

function directionalIntent(
  score: number,
  totalWeight: number,
  config: EnsembleConfig,
  rules: MarketRules,
  heldVolume: number | undefined,
): DecisionIntent {
  if (totalWeight <= 0 || Math.abs(score) < config.minScore) return { kind: 'hold' };
  const side = score > 0 ? 'bid' : 'ask';
  if (side === 'ask' && heldVolume !== undefined && !(heldVolume > 0)) return { kind: 'hold' };
  const notional = new Decimal(Math.abs(score))
    .times(config.perTradeCapKrw)
    .toDecimalPlaces(0, Rounding.floor) as Krw;
  if (notional.lt(rules.minTotal)) return { kind: 'hold' };
  return {
    kind: 'directional',
    side,
    notional,
    urgency: Math.abs(score) >= config.aggressiveScore ? 'aggressive' : 'passive',
  };
}

/**
 * PnL attribution: the contribution that pushed hardest in the vote's direction (largest
 * weight × score); for a hold, the largest |weight × score|; with no signals at all, the heaviest
 * enabled directional strategy (a hold attributes no PnL, but the field is required).
 */
function leadingStrategy(
  contributions: readonly SignalContribution[],
  score: number,
  config: EnsembleConfig,
): StrategyName {
  const direction = Math.sign(score);
  let best: SignalContribution | undefined;
  let bestPush = 0;
  for (const c of contributions) {
    const push = direction === 0 ? Math.abs(c.score * c.weight) : c.score * c.weight * direction;
    if (push > bestPush) {
      best = c;
      bestPush = push;
    }
  }
  if (best !== undefined) return best.strategy;
  const candidates = STRATEGY_NAMES.filter((n) => n !== StrategyName.marketMaking && config.enabled[n]);
  candidates.sort((a, b) => config.weights[b] - config.weights[a]);
  return candidates[0] ?? StrategyName.statArb;
}

/** Facts about one market that {@link decideAll} passes through to {@link decide}. */
export interface MarketFacts {
  readonly heldVolume?: number;
  readonly book?: TopOfBook;
}

/**
 * One ensemble run over every market of the minute: the decisions of {@link decide} for each
 * market in `markets` order (each market gets its directional-or-hold decision, plus quotes when
 * market making is on), from one shared list of signals.
 */
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
      ...(f?.heldVolume === undefined ? {} : { heldVolume: f.heldVolume }),
      ...(f?.book === undefined ? {} : { book: f.book }),
    });
  });
}
