import type { BarAggregator } from '../indicators/bar-aggregator';
import type { Candle } from '../market/market-data';
import { type Timeframe, timeframeMs } from '../market/timeframe';
import type { StrategyContext, StrategySignal } from './strategy';

/** Per-market strategy state that builds its own timeframe's bars from the feed. */
export interface AggregatingState {
  readonly bars: BarAggregator;
}

/** A strategy's step on one closed bar of its own timeframe. */
export type ClosedBarStep<S> = (state: S, closed: Candle, ctx: StrategyContext) => StrategySignal | undefined;

/** The one empty signal list: a quiet bar returns it instead of a new array (frozen: callers only read). */
export const NO_SIGNALS: readonly StrategySignal[] = Object.freeze([]);

/**
 * The one way a per-market strategy consumes a feed bar: ignore markets it does not watch and bars
 * coarser than its timeframe (they cannot be split), let the aggregator close its own-timeframe bars,
 * and run `step` once per closed bar, in order. Shared so every aggregating strategy treats the feed
 * identically — a difference here would make backtest and live disagree for one strategy only.
 * `step` receives `ctx` rather than closing over it, so a strategy passes one function made once,
 * not a new closure per bar; a bar with no signal returns one shared, frozen empty list.
 */
export function stepOnClosedBars<S extends AggregatingState>(
  state: S | undefined,
  bar: Candle,
  timeframe: Timeframe,
  step: ClosedBarStep<S>,
  ctx: StrategyContext,
): readonly StrategySignal[] {
  if (state === undefined) return NO_SIGNALS;
  if (state.bars.passThrough(bar)) {
    // The feed is on the strategy's timeframe (every 1m strategy): the one closed bar is the bar.
    const signal = step(state, bar, ctx);
    return signal === undefined ? NO_SIGNALS : [signal];
  }
  if (timeframeMs(bar.timeframe) > timeframeMs(timeframe)) return NO_SIGNALS;
  let out: StrategySignal[] | undefined;
  for (const closed of state.bars.update(bar)) {
    const signal = step(state, closed, ctx);
    if (signal === undefined) continue;
    out ??= [];
    out.push(signal);
  }
  return out ?? NO_SIGNALS;
}
