import type { DecisionId, OrderIdentifier } from '../domain/orders/identifiers';
import type { LocalOrder } from '../domain/orders/local-order';
import type { EpochMs } from '../domain/time/epoch';

/** Thrown when a compare-and-set lost: someone else wrote a newer version first. Reload and decide again. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
}

/**
 * Local order records. Creation is insert-if-absent on the identifier and every update is a
 * compare-and-set on `version`, so two executors (or a restart racing a late reply) can never
 * both move the same order.
 */
export interface OrderRepository {
  /** Stores a new order (version 1); `exists` when the identifier is already stored (nothing written). */
  createOrder(order: LocalOrder): Promise<'created' | 'exists'>;
  /** Replaces the order if its stored version is `expectedVersion`; the stored copy gets `expectedVersion + 1`. */
  updateOrder(order: LocalOrder, expectedVersion: number): Promise<LocalOrder>;
  getOrder(identifier: OrderIdentifier): Promise<LocalOrder | undefined>;
  getOrderByUuid(uuid: string): Promise<LocalOrder | undefined>;
  /**
   * Every order derived from one decision (all legs and attempts), in identifier order: what a
   * redelivered decision checks before acting, and what a report links to a decision.
   */
  listOrdersByDecision(decisionId: DecisionId): Promise<LocalOrder[]>;
  /** Orders not yet in a final state (`pending`, `submitted`, `open`): what reconciliation must check. */
  listActiveOrders(): Promise<LocalOrder[]>;
  /**
   * Orders that became `rejected` at or after `since` (by `updatedAt`), oldest first: where the
   * executor finds, after a restart, the requests it gave up on after an unknown outcome that may
   * still reach the exchange late, and keeps looking them up.
   */
  listOrdersRejectedSince(since: EpochMs): Promise<LocalOrder[]>;
}
