import type { Market } from '../market/market-id';
import type { StrategySignal } from './strategy';

/** One market's signals of the current step, kept with its list from step to step. */
interface MarketSignals {
  readonly market: Market;
  /** The market's list, refilled in place: exactly `n` signals once the step is sealed. */
  readonly list: StrategySignal[];
  n: number;
  /** The step the list was last filled in (see StepSignals.step). */
  step: number;
  /** The market's position among the step's markets (valid while `step` is current). */
  index: number;
}

/**
 * A time step's signals by market, read as the map collectSignals used to build per step (the same
 * size, lookups and insertion order: markets in order of their first signal, each list in emission
 * order), refilled step after step. The backtest engine keeps one for the whole run, so a step makes
 * no map, no list per market and no entry objects; its lists and the markets' order live on.
 *
 * So a step's map and lists are valid until the next step collected into the same object (the rule
 * of the signals themselves, see QuoteHints): the engine reads them while deciding the step, and a
 * reader that keeps them copies. The minute analysis collects each step into a new one, whose result
 * it keeps past its awaits. Readers only read (ReadonlyMap); only collectSignals fills it.
 */
export class StepSignals implements ReadonlyMap<Market, StrategySignal[]> {
  private readonly byMarket = new Map<Market, MarketSignals>();
  /** The step's markets in order of their first signal; entries past `count` are stale. */
  private readonly order: MarketSignals[] = [];
  private count = 0;
  private step = 0;
  /** The market added to last (every signal of a single-market run) without a map lookup. */
  private recent: MarketSignals | undefined = undefined;
  /** The step's entries as a real map, made for iteration on first use in the step. */
  private asMapOf: Map<Market, StrategySignal[]> | undefined = undefined;

  /** Starts a new step: the previous step's signals are gone (its lists are refilled from here). */
  begin(): void {
    this.step += 1;
    this.count = 0;
    this.asMapOf = undefined;
  }

  /** Appends a signal to its market's list (collectSignals only, in emission order). */
  add(signal: StrategySignal): void {
    const m = this.marketOf(signal.market);
    if (m.step !== this.step) {
      m.step = this.step;
      m.n = 0;
      m.index = this.count;
      if (this.count < this.order.length) this.order[this.count] = m;
      else this.order.push(m);
      this.count += 1;
    }
    const list = m.list;
    const n = m.n;
    if (n < list.length) list[n] = signal;
    else list.push(signal);
    m.n = n + 1;
  }

  /** Ends the step's filling: each list is cut to this step's signals. */
  seal(): void {
    for (let i = 0; i < this.count; i++) {
      const m = this.order[i] as MarketSignals;
      // Only when it changed: a length set is a runtime call even to the same value.
      if (m.list.length !== m.n) m.list.length = m.n;
    }
  }

  get size(): number {
    return this.count;
  }

  /** The i-th market of the step (0 ≤ i < size), in order of first signal: iteration without a map. */
  marketAt(i: number): Market {
    return (this.order[i] as MarketSignals).market;
  }

  /** The i-th market's list (see {@link marketAt}). */
  listAt(i: number): StrategySignal[] {
    return (this.order[i] as MarketSignals).list;
  }

  /** The market's position among the step's markets, −1 when it has no signal in the step. */
  indexOf(market: Market): number {
    const m = this.current(market);
    return m === undefined ? -1 : m.index;
  }

  get(market: Market): StrategySignal[] | undefined {
    return this.current(market)?.list;
  }

  has(market: Market): boolean {
    return this.current(market) !== undefined;
  }

  forEach(
    callback: (list: StrategySignal[], market: Market, map: ReadonlyMap<Market, StrategySignal[]>) => void,
    thisArg?: unknown,
  ): void {
    for (let i = 0; i < this.count; i++) {
      const m = this.order[i] as MarketSignals;
      callback.call(thisArg, m.list, m.market, this);
    }
  }

  // Iteration goes through a real map of the step, made on first use: a Map's very iterators, for
  // readers that iterate (the minute analysis' records, an observer), not the engine's step.
  entries(): MapIterator<[Market, StrategySignal[]]> {
    return this.asMap().entries();
  }

  keys(): MapIterator<Market> {
    return this.asMap().keys();
  }

  values(): MapIterator<StrategySignal[]> {
    return this.asMap().values();
  }

  [Symbol.iterator](): MapIterator<[Market, StrategySignal[]]> {
    return this.asMap().entries();
  }

  private asMap(): Map<Market, StrategySignal[]> {
    if (this.asMapOf === undefined) {
      const map = new Map<Market, StrategySignal[]>();
      for (let i = 0; i < this.count; i++) {
        const m = this.order[i] as MarketSignals;
        map.set(m.market, m.list);
      }
      this.asMapOf = map;
    }
    return this.asMapOf;
  }

  /** The market's entry when it has signals in the current step. */
  private current(market: Market): MarketSignals | undefined {
    const recent = this.recent;
    const m = recent !== undefined && recent.market === market ? recent : this.byMarket.get(market);
    return m !== undefined && m.step === this.step ? m : undefined;
  }

  private marketOf(market: Market): MarketSignals {
    const recent = this.recent;
    if (recent !== undefined && recent.market === market) return recent;
    let m = this.byMarket.get(market);
    if (m === undefined) {
      m = { market, list: [], n: 0, step: -1, index: -1 };
      this.byMarket.set(market, m);
    }
    this.recent = m;
    return m;
  }
}
