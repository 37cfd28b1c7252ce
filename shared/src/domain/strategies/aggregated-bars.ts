import type { BarAggregator } from '../indicators/bar-aggregator';
import type { Candle } from '../market/market-data';
import { type Timeframe, timeframeMs } from '../market/timeframe';
import type { StrategySignal } from './strategy';

/** Per-market strategy state that builds its own timeframe's bars from the feed. */
export interface AggregatingState {
  readonly bars: BarAggregator;
}

/**
 * The one way a per-market strategy consumes a feed bar: ignore markets it does not watch and bars
 * coarser than its timeframe (they cannot be split), let the aggregator close its own-timeframe bars,
 * and run `step` once per closed bar, in order. Shared so every aggregating strategy treats the feed
 * identically — a difference here would make backtest and live disagree for one strategy only.
 */
export function stepOnClosedBars<S extends AggregatingState>(
  state: S | undefined,
  bar: Candle,
  timeframe: Timeframe,
  step: (state: S, closed: Candle) => StrategySignal | undefined,
): readonly StrategySignal[] {
  if (state === undefined || timeframeMs(bar.timeframe) > timeframeMs(timeframe)) return [];
  const out: StrategySignal[] = [];
  for (const closed of state.bars.update(bar)) {
    const signal = step(state, closed);
    if (signal !== undefined) out.push(signal);
  }
  return out;
}
