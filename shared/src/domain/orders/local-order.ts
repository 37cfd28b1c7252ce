import type { Market } from '../market/market-id';
import { ZERO } from '../money/decimal';
import { type Krw, krw, type Price, type Volume, volume } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import type { StrategyName } from '../trading/strategy-name';
import type { DecisionId, OrderIdentifier } from './identifiers';
import type { OrderRejection } from './order-rejection';
import type { OrderDraft } from './order-types';

/**
 * Our own view of an order's life, kept in the state store:
 * `pending` (stored, not yet sent) → `submitted` (request sent, outcome unknown until the venue
 * answers or reconciliation looks it up by identifier) → `open` → `filled` | `cancelled`;
 * or `rejected` (definite refusal, never retried with the same identifier).
 */
export const LocalOrderState = {
  pending: 'pending',
  submitted: 'submitted',
  open: 'open',
  filled: 'filled',
  cancelled: 'cancelled',
  rejected: 'rejected',
} as const;
/** One of {@link LocalOrderState}. */
export type LocalOrderState = (typeof LocalOrderState)[keyof typeof LocalOrderState];

/** An order as stored locally; `version` increments on every write (compare-and-set). */
export interface LocalOrder {
  readonly identifier: OrderIdentifier;
  readonly decisionId: DecisionId;
  readonly strategy: StrategyName | 'operator';
  readonly draft: OrderDraft;
  readonly state: LocalOrderState;
  readonly uuid?: string;
  readonly executedVolume: Volume;
  readonly executedFunds: Krw;
  readonly paidFee: Krw;
  readonly avgPrice?: Price;
  readonly rejection?: OrderRejection;
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
  readonly version: number;
  readonly market: Market;
}

/** What a new local order is made from: the decision it belongs to and the exchange order it asks for. */
export interface NewLocalOrder {
  readonly identifier: OrderIdentifier;
  readonly decisionId: DecisionId;
  readonly strategy: StrategyName | 'operator';
  readonly draft: OrderDraft;
}

/**
 * The first stored record of an order (`pending`, version 1, nothing executed), written before any
 * request is sent so a crash right after sending still leaves the identifier to look up.
 */
export function pendingLocalOrder(order: NewLocalOrder, at: EpochMs): LocalOrder {
  return {
    identifier: order.identifier,
    decisionId: order.decisionId,
    strategy: order.strategy,
    draft: { ...order.draft, identifier: order.identifier },
    state: 'pending',
    executedVolume: volume(ZERO),
    executedFunds: krw(ZERO),
    paidFee: krw(ZERO),
    createdAt: at,
    updatedAt: at,
    version: 1,
    market: order.draft.market,
  };
}
