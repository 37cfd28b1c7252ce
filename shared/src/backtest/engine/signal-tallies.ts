import type { PipelineResult } from '../../domain/ensemble/decision-pipeline';
import type { SignalFate } from '../../domain/ensemble/signal-fate';
import type { StrategyEdges } from '../../domain/ensemble/strategy-edges';
import type { StrategySignal } from '../../domain/strategies/strategy';
import { soleStrategy } from '../../domain/strategies/strategy-step';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { SignalOutcomes, SignalOutcomeTally, UngatedSignalResult } from '../result/signal-outcomes';

/**
 * Counts one market's signals of a step under the fate the pipeline gave each strategy (held for
 * `no_bar` when the market had no bar to decide on), for the result's `signalOutcomes`.
 */
export function tallySignals(
  outcomes: SignalOutcomeTally,
  signals: readonly StrategySignal[],
  result: PipelineResult | undefined,
): void {
  const only = soleStrategy(signals);
  if (only !== undefined) {
    // One strategy's signals (every single-strategy run): no count map per signalling bar.
    outcomes.record(only, fateOf(result, only), signals.length);
    return;
  }
  // Each strategy once, in order of its first signal (as a count map would iterate), counted in
  // place: a market's list holds a handful of signals, and this runs on every signalling bar.
  for (let i = 0; i < signals.length; i++) {
    const strategy = (signals[i] as StrategySignal).strategy;
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = (signals[j] as StrategySignal).strategy === strategy;
    if (seen) continue;
    let count = 1;
    for (let j = i + 1; j < signals.length; j++)
      if ((signals[j] as StrategySignal).strategy === strategy) count++;
    outcomes.record(strategy, fateOf(result, strategy), count);
  }
}

/**
 * The fate the pipeline gave `strategy` (held for `no_bar` without a result). One function for
 * both of tallySignals' branches so that they share its type feedback: a fate's hidden class met by
 * one branch is known to the other (the sole-strategy branch first met market making's unfrozen
 * fate after the loss-limit latch, ~day 331 of a year of `all`, and threw tallySignals away).
 */
function fateOf(result: PipelineResult | undefined, strategy: StrategyName): SignalFate {
  return result?.fates.get(strategy)?.fate ?? { kind: 'held', reason: 'no_bar' };
}

/**
 * What became of every strategy's signals so far, the ungated (paper) result of each directional
 * strategy and the Kelly gate's closures, for the result's `signalOutcomes`.
 */
export function signalOutcomesOf(
  edges: StrategyEdges,
  outcomes: SignalOutcomeTally,
  capital: number,
): SignalOutcomes {
  const ungated = new Map<StrategyName, UngatedSignalResult>();
  for (const [name, r] of edges.shadowResults())
    ungated.set(name, {
      trades: r.trades,
      winRatePct: r.trades === 0 ? null : Math.round((r.wins / r.trades) * 1e6) / 1e4,
      netPnlKrw: Math.round(r.netPnlKrw * 100) / 100,
      returnPct: capital > 0 ? Math.round((r.netPnlKrw / capital) * 1e8) / 1e6 : 0,
      openAtEnd: r.openAtEnd,
    });
  return outcomes.build(ungated, edges.gatePeriods());
}
