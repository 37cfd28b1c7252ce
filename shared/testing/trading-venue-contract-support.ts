import type { Market } from '../src/domain/market/market-id';
import { price, volume } from '../src/domain/money/quantities';
import { orderIdentifier, parseDecisionId } from '../src/domain/orders/identifiers';
import type { OrderDraft, OrderSide } from '../src/domain/orders/order-types';
import type { TradingVenue, VenueOrder } from '../src/ports/trading-venue';
import type { VenueHarness } from './trading-venue-contract';

export const BTC = 'KRW-BTC' as Market;
export const ETH = 'KRW-ETH' as Market;
export const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
// Identifiers are unique forever on Upbit, so every run and every order gets a new one.
const RUN = `ct${Date.now().toString(36)}`;
let counter = 0;

/** A fresh order identifier: the suite never reuses one unless a case means to. */
export function nextId() {
  counter += 1;
  return orderIdentifier(parseDecisionId(`${RUN}-${counter}`));
}

/** A limit order draft from decimal strings. */
export function limit(side: OrderSide, p: string, v: string, extra: Partial<OrderDraft> = {}): OrderDraft {
  return { market: BTC, side, ordType: 'limit', price: price(p), volume: volume(v), ...extra };
}

/**
 * What the contract's cases read: the current test's harness and venue (set by the suite's
 * beforeEach, so cases read them inside their bodies) and the suite's small helpers.
 */
export interface VenueSuite {
  readonly h: VenueHarness;
  readonly venue: TradingVenue;
  /** Places a draft with a fresh (or the given) identifier. */
  place(draft: OrderDraft, identifier?: ReturnType<typeof nextId>): Promise<VenueOrder>;
  /** Reads an order back by uuid; answers of place/cancel may be the order as accepted. */
  read(order: VenueOrder): Promise<VenueOrder>;
  /** A currency's balance and locked amount as decimal strings ('0' when absent). */
  account(currency: string): Promise<{ balance: string; locked: string }>;
  /** The kind and code of a refusal; throws when the attempt succeeds. */
  refusal(attempt: Promise<unknown>): Promise<{ kind: string; code: string }>;
}
