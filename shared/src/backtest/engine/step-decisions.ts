import type { PipelineResult } from '../../domain/ensemble/decision-pipeline';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { Krw } from '../../domain/money/quantities';
import type { StepSignals } from '../../domain/strategies/step-signals';
import type { StrategySignal } from '../../domain/strategies/strategy';
import type { EpochMs } from '../../domain/time/epoch';
import type { SignalOutcomeTally } from '../result/signal-outcomes';
import type { DecisionObserver, DecisionStepEvent } from './decision-step-event';
import type { MarkBook } from './mark-book';
import type { OrderRouter } from './order-router';
import { tallySignals } from './signal-tallies';
import type { StepMarkets } from './step-markets';

/** A decided market without signals (a bar of a multi-market step): one frozen list for all. */
const NO_SIGNALS: readonly StrategySignal[] = Object.freeze([]);

/** The engine's parts a step's decisions go through, fixed for a run (see decideStep). */
export interface StepDeciders {
  readonly router: OrderRouter;
  readonly outcomes: SignalOutcomeTally;
  readonly marks: MarkBook;
  readonly stepMarkets: StepMarkets;
  /** One list for the run: each signalling market's result at its index among the step's signals. */
  readonly results: (PipelineResult | undefined)[];
}

/**
 * The general decision part of a step (several markets, or an observer), after the edges have
 * seen the step's signals and the observer's facts were read: every decided market's signals
 * through the router in the markets' order, the signal tallies in the signals' order (as a map's
 * iteration was), and the observer's event. Split from the engine's step, whose one-market fast
 * path decides a single-market run without it.
 */
export function decideStep(
  d: StepDeciders,
  bars: readonly Candle[],
  signals: StepSignals,
  now: EpochMs,
  equity: Krw,
  observer: DecisionObserver | undefined,
  facts: Omit<DecisionStepEvent, 'bars' | 'signals' | 'results'> | undefined,
): void {
  // The observer also gets the results as a map.
  const results = observer === undefined ? undefined : new Map<Market, PipelineResult>();
  const resultAt = d.results;
  for (let i = 0; i < signals.size; i++) resultAt[i] = undefined;
  const markets = d.stepMarkets.of(bars, signals);
  for (let i = 0; i < markets.length; i++) {
    const market = markets[i] as Market;
    const bar = d.marks.bar(market);
    if (bar === undefined) continue;
    const result = d.router.decideAndRoute(
      bar,
      now,
      signals.get(market) ?? NO_SIGNALS,
      equity,
      observer === undefined,
    );
    results?.set(market, result);
    const k = signals.indexOf(market);
    if (k >= 0) resultAt[k] = result;
  }
  // In the signals' order, as the map's iteration was; a market without a bar counts as held.
  for (let i = 0; i < signals.size; i++) {
    tallySignals(d.outcomes, signals.listAt(i), resultAt[i]);
    resultAt[i] = undefined;
  }
  if (observer !== undefined && facts !== undefined && results !== undefined)
    observer({ ...facts, bars, signals, results });
}
