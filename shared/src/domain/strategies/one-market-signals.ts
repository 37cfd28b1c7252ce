import type { Market } from '../market/market-id';
import type { StrategySignal } from './strategy';

/**
 * A step's signals when they are all for one market (every signalling step of a single-market run:
 * market making signals on every bar), read as the map `new Map([[market, list]])` would be: the
 * same size, lookups and iteration order, without a hash table per step. collectSignals turns it
 * into a real map as soon as a second market signals. Readers only read (ReadonlyMap).
 */
export class OneMarketSignals implements ReadonlyMap<Market, StrategySignal[]> {
  readonly size = 1;

  constructor(
    readonly market: Market,
    readonly list: StrategySignal[],
  ) {}

  get(market: Market): StrategySignal[] | undefined {
    return market === this.market ? this.list : undefined;
  }

  has(market: Market): boolean {
    return market === this.market;
  }

  forEach(
    callback: (list: StrategySignal[], market: Market, map: ReadonlyMap<Market, StrategySignal[]>) => void,
    thisArg?: unknown,
  ): void {
    callback.call(thisArg, this.list, this.market, this);
  }

  // Iteration goes through a real one-entry map, made on first use: a Map's very iterators, and
  // only for readers that iterate (several markets, an observer), not the single-market path.
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

  #map: Map<Market, StrategySignal[]> | undefined = undefined;

  private asMap(): Map<Market, StrategySignal[]> {
    this.#map ??= new Map([[this.market, this.list]]);
    return this.#map;
  }
}
