import type { PlannedOrderSpec } from '../../domain/ensemble/order-plan';
import type { Market } from '../../domain/market/market-id';
import type { Krw, Volume } from '../../domain/money/quantities';
import type { DecisionId, OrderIdentifier } from '../../domain/orders/identifiers';
import type { OrderSide } from '../../domain/orders/order-types';
import type { Commitment } from '../../domain/risk/exposure';
import type { EpochMs } from '../../domain/time/epoch';
import type { StrategyName } from '../../domain/trading/strategy-name';

/**
 * What the simulated broker accepts, mirroring the three Upbit order shapes the engine uses:
 * a limit order (optionally post-only), a market buy by KRW amount (`ord_type=price`) and a market
 * sell by volume (`ord_type=market`). Kept as a discriminated union so an impossible combination
 * (a market buy with a volume) cannot be built.
 */
export type SimOrderSpec = PlannedOrderSpec;

/** An order request: the shape plus whom it is for and why (the why ends up on every fill). */
export interface SimOrderRequest {
  readonly identifier: OrderIdentifier;
  readonly market: Market;
  readonly strategy: StrategyName | 'operator';
  readonly spec: SimOrderSpec;
  readonly reason: string;
  /**
   * The decision the identifier was derived from (`orderIdentifier(decisionId, …)`), when the
   * caller has it: the risk engine's commitment names it without parsing the identifier.
   */
  readonly decisionId?: DecisionId | undefined;
}

/** An accepted order waiting for the next bar of its market (the simulated network latency). */
export interface SimOrder extends SimOrderRequest {
  readonly placedAt: EpochMs;
  /** KRW reserved for a bid (total × (1 + fee)), released when the order ends (see `lazyLock`). */
  lockedKrw: Krw;
  /**
   * A limit bid's lock as a double while its exact decimal is not built (`lockedKrw` is zero until
   * then; see LockBook).
   */
  lazyLock?: number | undefined;
  /** Volume still to fill (limit orders and market sells). */
  remaining: Volume;
  /**
   * The risk engine's view of this order (SimulatedBroker.commitments), kept until `lockedKrw` or
   * `remaining` change: the list is rebuilt after every placement, and every market's decision reads it.
   */
  commitment?: Commitment | undefined;
}

/** Side of an order spec. */
export function sideOf(spec: SimOrderSpec): OrderSide {
  if (spec.kind === 'limit') return spec.side;
  return spec.kind === 'market_buy' ? 'bid' : 'ask';
}
