import type { OrderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import type { OrderRepository } from '../../../shared/src/ports/order-repository';
import { describeError } from '../runtime/periodic';
import { isFinalState } from './order-lifecycle';
import type { OrderManager } from './order-manager';

/**
 * The executor's in-memory list of orders that are not final, kept from the order manager's stored
 * changes and refreshed from the store's active-order index; plans read their working orders here.
 * It also owns the REST backstop: every `pollMs` each active order is synced from the venue, so a
 * fill the WebSocket never delivered is still booked. Sync requests for one order coalesce.
 */
export class OrderTracker {
  readonly #active = new Map<OrderIdentifier, LocalOrder>();
  readonly #latest = new Map<OrderIdentifier, LocalOrder>();
  readonly #queued = new Set<OrderIdentifier>();
  #manager: OrderManager | undefined;

  constructor(
    private readonly deps: {
      readonly store: Pick<OrderRepository, 'listActiveOrders'>;
      readonly clock: Clock;
      readonly logger: Logger;
    },
  ) {}

  /** Wires the manager (they reference each other: the manager reports changes here). */
  attach(manager: OrderManager): void {
    this.#manager = manager;
  }

  /** Called with every stored order change. */
  update(order: LocalOrder): void {
    const prior = this.#latest.get(order.identifier);
    if (prior !== undefined && prior.version > order.version) return;
    if (isFinalState(order.state)) {
      this.#active.delete(order.identifier);
      this.#latest.set(order.identifier, order);
      // Final orders stay readable a while for the plan that owns them, then are forgotten.
      if (this.#latest.size > 5_000)
        for (const k of [...this.#latest.keys()].slice(0, 1_000))
          if (!this.#active.has(k)) this.#latest.delete(k);
    } else {
      this.#active.set(order.identifier, order);
      this.#latest.set(order.identifier, order);
    }
  }

  /** The latest known state of an order (active or recently final). */
  get(identifier: OrderIdentifier): LocalOrder | undefined {
    return this.#latest.get(identifier);
  }

  /** Orders not yet final, oldest first. */
  active(): LocalOrder[] {
    return [...this.#active.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Replaces the active set with the store's (after start and each reconciliation). */
  async refresh(): Promise<void> {
    const stored = await this.deps.store.listActiveOrders();
    const ids = new Set(stored.map((o) => o.identifier));
    for (const id of [...this.#active.keys()]) if (!ids.has(id)) this.#active.delete(id);
    for (const o of stored) this.update(o);
  }

  /** Asks for a sync of one order soon; requests for an order already queued are merged. */
  requestSync(identifier: OrderIdentifier): void {
    if (this.#queued.has(identifier)) return;
    this.#queued.add(identifier);
    queueMicrotask(() => {
      this.#queued.delete(identifier);
      void this.#manager?.sync(identifier).catch((error: unknown) => {
        this.deps.logger.warn('order sync failed; the backstop retries', {
          identifier,
          error: describeError(error),
        });
      });
    });
  }

  /** One backstop pass: syncs every active order from the venue. */
  async pollOnce(): Promise<void> {
    const manager = this.#manager;
    if (manager === undefined) return;
    for (const order of this.active()) {
      try {
        await manager.sync(order.identifier);
      } catch (error) {
        this.deps.logger.warn('order sync failed', {
          identifier: order.identifier,
          error: describeError(error),
        });
      }
    }
  }
}
