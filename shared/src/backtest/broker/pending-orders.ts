import type { Market } from '../../domain/market/market-id';
import type { SimOrder } from './sim-order';

/** A market's place in {@link PendingOrders}: its open orders, or undefined while it has none. */
interface MarketSlot {
  list: SimOrder[] | undefined;
}

/**
 * The broker's open orders by market, waiting for their market's next bar: what a
 * `Map<Market, SimOrder[]>` holding only markets with open orders gave, in the same iteration
 * order (a market's list comes after every list started before it), without deleting and
 * re-adding a map entry every bar. A market making run starts a list after one bar and ends it at
 * the next: V8 shrinks a `Map` (a runtime call and a new table) on a delete that leaves it at most
 * half full, which in a one-market run is every delete. Here a market keeps its slot for the run,
 * the open lists sit in an array in the order they started (the map's iteration order), and ended
 * lists are kept for the next one to start.
 */
export class PendingOrders {
  private readonly slots = new Map<Market, MarketSlot>();
  /** The open lists in the order they started: what `Map.values()` iterated. */
  private readonly open: SimOrder[][] = [];
  private readonly spare: SimOrder[][] = [];
  /**
   * The slot of the market asked last: a ladder adds its layers one by one to one market, and a
   * bar takes and reads that same market, so most lookups skip the map. The market starts as the
   * empty text, never a market's, rather than `undefined`: the compare then only ever meets two
   * texts, which optimised code compares as texts instead of calling the generic `===` (once per
   * quote layer placed).
   */
  private lastMarket = '' as Market;
  private lastSlot: MarketSlot | undefined = undefined;

  private slotOf(market: Market): MarketSlot | undefined {
    if (market === this.lastMarket) return this.lastSlot;
    const slot = this.slots.get(market);
    if (slot !== undefined) {
      this.lastMarket = market;
      this.lastSlot = slot;
    }
    return slot;
  }

  /** The market's open orders, undefined while it has none. */
  get(market: Market): SimOrder[] | undefined {
    return this.slotOf(market)?.list;
  }

  /** True when orders wait for the market's next bar. */
  has(market: Market): boolean {
    return this.slotOf(market)?.list !== undefined;
  }

  /** Every market's open orders, in the order the lists started; valid until the next change. */
  lists(): readonly SimOrder[][] {
    return this.open;
  }

  /** Adds an accepted order to its market's list, starting one (a spare, if any). */
  add(market: Market, order: SimOrder): void {
    let slot = this.slotOf(market);
    if (slot === undefined) {
      slot = { list: undefined };
      this.slots.set(market, slot);
      this.lastMarket = market;
      this.lastSlot = slot;
    }
    const list = slot.list;
    if (list !== undefined) {
      list.push(order);
      return;
    }
    const started = this.spare.pop() ?? [];
    started.push(order);
    slot.list = started;
    this.open.push(started);
  }

  /**
   * Takes the market's open orders off the book (undefined when it has none): the caller ends
   * them and hands the list back through {@link recycle}.
   */
  take(market: Market): SimOrder[] | undefined {
    const slot = this.slotOf(market);
    const list = slot?.list;
    if (slot === undefined || list === undefined) return undefined;
    slot.list = undefined;
    const open = this.open;
    const i = open.indexOf(list);
    // One market (or the oldest list) is the common case; pop and shift allocate nothing, unlike
    // splice's array of removed items. The last list is popped first, a lone list included: a pop
    // costs less than a shift (a one-element array popped and pushed 2e7 times: 1.17 s against
    // 1.37 s shifted).
    if (i === open.length - 1) open.pop();
    else if (i === 0) open.shift();
    else open.splice(i, 1);
    return list;
  }

  /**
   * Keeps an ended list, emptied here, for the next list to start. Emptied by `pop`, not by
   * `length = 0`: setting the length is a runtime call that also gives up the list's backing store
   * (V8 drops it when the new length is 0), so every bar's first pushes allocated it again; popping
   * the few orders a list holds keeps the store for the next bar's layers.
   */
  recycle(list: SimOrder[]): void {
    while (list.length > 0) list.pop();
    this.spare.push(list);
  }
}
