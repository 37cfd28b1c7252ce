import { type EngineState, restoreOrder, saveOrder } from './engine-state';
import { type ExchangeOrder, isOpen } from './exchange-order';
import type { MarketBook } from './market-book';

/** Refers to an order by uuid or identifier (uuid wins when both are given, as on Upbit). */
export interface OrderLookup {
  readonly uuid?: string;
  readonly identifier?: string;
}

/**
 * Every order of the account, found by uuid or by the client's identifier, and the identifiers ever
 * used: Upbit refuses an identifier a second time even after its order is gone, so they are kept apart
 * from the orders (admission adds to {@link burnt}; a saved state carries it).
 */
export class OrderRegistry {
  private readonly byUuid = new Map<string, ExchangeOrder>();
  private readonly byIdentifier = new Map<string, ExchangeOrder>();
  /** Identifiers that may not be used again. */
  readonly burnt = new Set<string>();

  /** Records an order under its uuid and, when it has one, its identifier. */
  add(o: ExchangeOrder): void {
    this.byUuid.set(o.uuid, o);
    if (o.identifier !== undefined) this.byIdentifier.set(o.identifier, o);
  }

  /** The order a lookup refers to, or undefined. */
  find(ref: OrderLookup): ExchangeOrder | undefined {
    if (ref.uuid !== undefined) return this.byUuid.get(ref.uuid);
    if (ref.identifier !== undefined) return this.byIdentifier.get(ref.identifier);
    return undefined;
  }

  /** All orders, oldest first. */
  values(): IterableIterator<ExchangeOrder> {
    return this.byUuid.values();
  }

  /** The orders and burnt identifiers as {@link EngineState} saves them. */
  save(): Pick<EngineState, 'orders' | 'burntIdentifiers'> {
    return { orders: [...this.byUuid.values()].map(saveOrder), burntIdentifiers: [...this.burnt] };
  }

  /**
   * Replaces every order and burnt identifier with a saved state's. The books' resting orders are
   * emptied and refilled with the open limit orders; orders of markets no longer listed are dropped.
   */
  restore(state: EngineState, books: ReadonlyMap<string, MarketBook>): void {
    this.byUuid.clear();
    this.byIdentifier.clear();
    this.burnt.clear();
    for (const b of books.values()) {
      b.restingBids.length = 0;
      b.restingAsks.length = 0;
    }
    for (const saved of state.orders) {
      const o = restoreOrder(saved);
      if (!books.has(o.market)) continue;
      this.add(o);
      if (isOpen(o) && o.limitPrice !== undefined) books.get(o.market)?.addResting(o);
    }
    for (const id of state.burntIdentifiers) this.burnt.add(id);
  }
}
