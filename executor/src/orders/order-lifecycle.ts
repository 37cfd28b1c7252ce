import type { MarketRules } from '../../../shared/src/domain/market/market-rules';
import { feeFor } from '../../../shared/src/domain/market/market-rules';
import { type Decimal, ZERO } from '../../../shared/src/domain/money/decimal';
import { krw, type Price, price } from '../../../shared/src/domain/money/quantities';
import type { DecisionId, OrderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import {
  type LocalOrder,
  type LocalOrderState,
  pendingLocalOrder,
} from '../../../shared/src/domain/orders/local-order';
import type { OrderRejection } from '../../../shared/src/domain/orders/order-rejection';
import type { OrderDraft } from '../../../shared/src/domain/orders/order-types';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Fill } from '../../../shared/src/domain/trading/fill';
import type { StrategyName } from '../../../shared/src/domain/trading/strategy-name';
import type { MyOrderEvent } from '../../../shared/src/ports/market-data-stream';
import type { VenueOrder, VenueTrade } from '../../../shared/src/ports/trading-venue';

/**
 * The life of one order as the executor reports it: `intent` (stored, not sent) → `submitted`
 * (stored before the request; outcome unknown until the venue answers or a lookup by identifier
 * settles it) → `open` → `partially_filled` → `filled` | `cancelled` | `rejected`. Stored as
 * {@link LocalOrderState} (`pending` is the intent; a partial fill is `open` with executed volume).
 */
export type OrderPhase =
  | 'intent'
  | 'submitted'
  | 'open'
  | 'partially_filled'
  | 'filled'
  | 'cancelled'
  | 'rejected';

/** The reported phase of a stored order. */
export function phaseOf(order: Pick<LocalOrder, 'state' | 'executedVolume'>): OrderPhase {
  switch (order.state) {
    case 'pending':
      return 'intent';
    case 'open':
      return order.executedVolume.gt(0) ? 'partially_filled' : 'open';
    default:
      return order.state;
  }
}

/** States after which the order never changes on the venue again. */
export function isFinalState(state: LocalOrderState): boolean {
  return state === 'filled' || state === 'cancelled' || state === 'rejected';
}

const NEXT: Readonly<Record<LocalOrderState, readonly LocalOrderState[]>> = {
  pending: ['submitted', 'rejected', 'cancelled'],
  submitted: ['open', 'filled', 'cancelled', 'rejected'],
  open: ['open', 'filled', 'cancelled'],
  filled: [],
  cancelled: [],
  // A request that timed out and was then not found is marked rejected; if the venue shows it later
  // (it arrived after the lookup), reality wins and the order is taken back.
  rejected: ['open', 'filled', 'cancelled'],
};

/** Whether the state machine allows `from` → `to` (staying `open` with more fills included). */
export function transitionAllowed(from: LocalOrderState, to: LocalOrderState): boolean {
  return from === to ? from === 'open' || from === 'submitted' : NEXT[from].includes(to);
}

/** What an order is about: everything needed to store the intent before anything is sent. */
export interface OrderIntent {
  readonly decisionId: DecisionId;
  /** The decision's `createdAt`: the risk check judges the cooldown in decision time, not send time. */
  readonly decidedAt: EpochMs;
  readonly identifier: OrderIdentifier;
  readonly strategy: StrategyName | 'operator';
  readonly draft: OrderDraft;
}

/** The stored intent (`pending`, version 1), nothing sent yet. */
export function intentOrder(intent: OrderIntent, at: EpochMs): LocalOrder {
  return pendingLocalOrder(intent, at);
}

function stateOfVenue(venue: VenueOrder): LocalOrderState {
  switch (venue.state) {
    case 'done':
      return 'filled';
    case 'cancel':
      return 'cancelled';
    default:
      return 'open';
  }
}

/**
 * The local order after the venue reported `venue`: state, uuid and executed totals are the venue's
 * (it is the truth about its own orders); a rejection note is dropped once the venue shows the order.
 */
export function applyVenueOrder(
  order: LocalOrder,
  venue: VenueOrder,
  at: EpochMs,
  trades: readonly VenueTrade[] | undefined = venue.trades,
): LocalOrder {
  // Upbit's GET /order carries no executed_funds; its trades do (funds = price × volume each).
  const executedFunds =
    venue.executedFunds ??
    (trades !== undefined && trades.length > 0
      ? trades.reduce((sum, t) => sum.plus(t.funds), krw(ZERO) as Decimal)
      : venue.executedVolume.isZero()
        ? krw(ZERO)
        : order.executedFunds);
  const { rejection: _dropped, avgPrice: _old, ...rest } = order;
  const avg = venue.executedVolume.gt(0) ? price(executedFunds.div(venue.executedVolume)) : undefined;
  return {
    ...rest,
    uuid: venue.uuid,
    state: stateOfVenue(venue),
    executedVolume: venue.executedVolume,
    executedFunds: krw(executedFunds),
    paidFee: venue.paidFee,
    ...(avg === undefined ? {} : { avgPrice: avg as Price }),
    updatedAt: at,
  };
}

/** True when storing `next` over `prev` changes anything a reader cares about. */
export function orderChanged(prev: LocalOrder, next: LocalOrder): boolean {
  return (
    prev.state !== next.state ||
    prev.uuid !== next.uuid ||
    !prev.executedVolume.eq(next.executedVolume) ||
    !prev.executedFunds.eq(next.executedFunds) ||
    !prev.paidFee.eq(next.paidFee) ||
    (prev.rejection === undefined) !== (next.rejection === undefined)
  );
}

/** A refused order (by the venue, the risk check, or not found after an unknown outcome). */
export function rejectedOrder(order: LocalOrder, rejection: OrderRejection, at: EpochMs): LocalOrder {
  return { ...order, state: 'rejected', rejection, updatedAt: at };
}

/** The rejection message of an order given up after an unknown outcome (see {@link givenUpOrder}). */
export const GIVEN_UP_MESSAGE = 'sent but never seen by the venue (not found by identifier)';

/**
 * A `submitted` order the venue still did not know by its identifier after the grace: given up, so
 * its decision may re-send under the next attempt. The request may still reach the exchange late,
 * which is why such an order is told apart ({@link wasGivenUp}) and kept being looked up.
 */
export function givenUpOrder(order: LocalOrder, at: EpochMs): LocalOrder {
  return rejectedOrder(order, { code: 'validation_error', message: GIVEN_UP_MESSAGE }, at);
}

/** True for an order {@link givenUpOrder} made (not a refusal the venue or the risk check gave). */
export function wasGivenUp(order: LocalOrder): boolean {
  return order.state === 'rejected' && order.rejection?.message === GIVEN_UP_MESSAGE;
}

/**
 * Fill id of a venue trade for one side: Upbit gives a trade one uuid, and if two of our own orders
 * ever traded with each other both would carry it, so the side keeps the two fills apart.
 */
export function fillIdOf(tradeUuid: string, side: VenueTrade['side']): string {
  return `${tradeUuid}.${side}`;
}

/**
 * Fee of a trade whose record carries none (Upbit's GET /order trades): price × volume × rate, the
 * maker rate only for post-only orders (they can only make); otherwise the taker rate, which is never
 * lower, so an unknown role is booked at the worse fee.
 */
function feeOf(order: LocalOrder, funds: VenueTrade['funds'], rules: MarketRules) {
  return feeFor(funds, rules, order.draft.timeInForce === 'post_only');
}

/** Fills of the venue's trade records of an order. */
export function fillsFromTrades(
  order: LocalOrder,
  trades: readonly VenueTrade[],
  rules: MarketRules,
): Fill[] {
  return trades.map((t) => ({
    fillId: fillIdOf(t.uuid, order.draft.side),
    identifier: order.identifier,
    market: order.market,
    strategy: order.strategy,
    side: order.draft.side,
    price: t.price,
    volume: t.volume,
    fee: feeOf(order, t.funds, rules),
    isMaker: order.draft.timeInForce === 'post_only',
    at: t.createdAt,
  }));
}

/** The fill a `trade` event of the private stream reports, or undefined for other events. */
export function fillFromEvent(order: LocalOrder, event: MyOrderEvent, rules: MarketRules): Fill | undefined {
  if (event.state !== 'trade' || event.tradeUuid === undefined) return undefined;
  if (event.price === undefined || event.volume === undefined) return undefined;
  const funds = krw(event.price.times(event.volume));
  const isMaker = event.isMaker ?? order.draft.timeInForce === 'post_only';
  return {
    fillId: fillIdOf(event.tradeUuid, order.draft.side),
    identifier: order.identifier,
    market: order.market,
    strategy: order.strategy,
    side: order.draft.side,
    price: event.price,
    volume: event.volume,
    fee: event.tradeFee ?? feeFor(funds, rules, isMaker),
    isMaker,
    at: event.tradeTimestamp ?? event.timestamp,
  };
}
