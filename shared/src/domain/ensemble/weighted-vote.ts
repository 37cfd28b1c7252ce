import type { StrategySignal } from '../strategies/strategy';
import type { SignalContribution } from '../trading/decision';
import { STRATEGY_NAMES, StrategyName } from '../trading/strategy-name';
import type { EnsembleConfig } from './ensemble-config';

/** Outcome of the vote for one market: the score in [−1, 1] and every counted signal. */
export interface VoteResult {
  readonly score: number;
  /** Sum of the enabled directional strategies' configured weights (the normaliser); 0 = nobody can vote. */
  readonly totalWeight: number;
  readonly contributions: readonly SignalContribution[];
}

/** +strength for buy, −strength for sell, 0 for flat; strength clamped to [0, 1]. */
export function signedScore(signal: StrategySignal): number {
  const s = Math.min(1, Math.max(0, Number.isFinite(signal.strength) ? signal.strength : 0));
  return signal.direction === 'buy' ? s : signal.direction === 'sell' ? -s : 0;
}

/**
 * Weighted vote: score = Σ wᵢ·sᵢ / Σ wᵢ over the enabled directional strategies, sᵢ being strategy
 * i's net signed strength for the market (several signals of one strategy — e.g. two stat-arb pairs
 * sharing a leg — are summed and clamped to [−1, 1]). A strategy that is enabled but silent this
 * minute votes 0, so one lone signal cannot trade at full size. Disabled strategies are left out of
 * both the sum and the normaliser (renormalisation). Market making is not part of the directional
 * vote: it has no direction, and its weight would only dilute the others; its quotes go their own way.
 */
export function weightedVote(
  market: string,
  signals: readonly StrategySignal[],
  config: EnsembleConfig,
): VoteResult {
  const { voters, totalWeight } = votersOf(config);
  const contributions = contributionsOf(market, signals, config, voters, totalWeight);
  if (totalWeight <= 0) return { score: 0, totalWeight: 0, contributions };
  // Each voter's signals summed in order (the contributions' scores are the signals' signed scores).
  const net = new Map<StrategyName, number>();
  for (const c of contributions) net.set(c.strategy, (net.get(c.strategy) ?? 0) + c.score);
  let sum = 0;
  for (const [name, s] of net) sum += config.weights[name] * clampedScore(s);
  return { score: sum / totalWeight, totalWeight, contributions };
}

/**
 * The {@link weightedVote}'s contributions alone: what a directional decision carries (the
 * ensemble makes one on ~20k minutes a year of `all`, and reads no score).
 */
export function voteContributions(
  market: string,
  signals: readonly StrategySignal[],
  config: EnsembleConfig,
): readonly SignalContribution[] {
  const { voters, totalWeight } = votersOf(config);
  return contributionsOf(market, signals, config, voters, totalWeight);
}

/** The vote's voters and normaliser for the last config asked (configs are immutable). */
let lastVoters:
  | {
      readonly config: EnsembleConfig;
      readonly voters: readonly StrategyName[];
      readonly totalWeight: number;
    }
  | undefined;

/** The enabled directional strategies (in STRATEGY_NAMES order) and the sum of their weights. */
function votersOf(config: EnsembleConfig): { voters: readonly StrategyName[]; totalWeight: number } {
  if (lastVoters?.config === config) return lastVoters;
  const voters = STRATEGY_NAMES.filter((n) => n !== StrategyName.marketMaking && config.enabled[n]);
  const totalWeight = voters.reduce((sum, n) => sum + config.weights[n], 0);
  lastVoters = { config, voters, totalWeight };
  return lastVoters;
}

function contributionsOf(
  market: string,
  signals: readonly StrategySignal[],
  config: EnsembleConfig,
  voters: readonly StrategyName[],
  totalWeight: number,
): SignalContribution[] {
  const contributions: SignalContribution[] = [];
  for (const signal of signals) {
    if (signal.market !== market || !voters.includes(signal.strategy)) continue;
    const weight = totalWeight > 0 ? config.weights[signal.strategy] / totalWeight : 0;
    contributions.push({
      strategy: signal.strategy,
      score: signedScore(signal),
      weight,
      reason: signal.reason,
    });
  }
  return contributions;
}

/** A strategy's net view of a market: the sum of its signed signal scores, clamped to [−1, 1]. */
export function clampedScore(sum: number): number {
  return Math.min(1, Math.max(-1, sum));
}
