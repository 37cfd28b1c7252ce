import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { StepSignals } from '../../domain/strategies/step-signals';
import { decidedMarkets } from '../../domain/strategies/strategy-step';

/**
 * strategy-step's `decidedMarkets` (the markets a step decides on: those with a bar and those a
 * signal named, sorted) without a set, two arrays and a sort per multi-market step. The runners'
 * steps come sorted by market code (both bar-step sources sort the markets) and signals name
 * markets of the step, so the answer is then the bars' markets in their order: one list refilled
 * per step. A step whose bars are not strictly increasing by code (the default sort's order, which
 * `<` on strings follows), or with a signal for a market without a bar, takes `decidedMarkets`.
 */
export class StepMarkets {
  /** One slot from the start, in an object array (see SyncBarSteps' step list). */
  private readonly list: Market[] = Array.of(undefined) as unknown as Market[];

  /**
   * The markets to decide on, in `decidedMarkets`' order; the list is valid until the next call (the
   * engine iterates it once per step).
   */
  of(bars: readonly Candle[], signals: StepSignals): readonly Market[] {
    const list = this.list;
    let n = 0;
    for (let i = 0; i < bars.length; i++) {
      const m = (bars[i] as Candle).market;
      if (n > 0 && !((list[n - 1] as Market) < m)) return decidedMarkets(bars, signals);
      list[n++] = m;
    }
    // Indexed over the step's signalling markets: iterating the map's keys would build a map.
    for (let i = 0; i < signals.size; i++)
      if (!hasBar(bars, signals.marketAt(i))) return decidedMarkets(bars, signals);
    if (list.length !== n) list.length = n;
    return list;
  }
}

function hasBar(bars: readonly Candle[], market: Market): boolean {
  for (let i = 0; i < bars.length; i++) if ((bars[i] as Candle).market === market) return true;
  return false;
}
