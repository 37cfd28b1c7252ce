import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryNotifier } from '../../shared/src/adapters/memory/memory-notifier';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import type { OperatorAuthenticator } from '../../shared/src/application/emergency/operator-auth';
import { tokenAuthenticator } from '../../shared/src/application/emergency/operator-auth';
import type { LossCheckDeps } from '../../shared/src/application/risk/check-loss-limits';
import { TradingError } from '../../shared/src/domain/errors/trading-error';
import type { Market } from '../../shared/src/domain/market/market-id';
import { ZERO } from '../../shared/src/domain/money/decimal';
import { krw, volume } from '../../shared/src/domain/money/quantities';
import { orderIdentifier } from '../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../shared/src/domain/orders/local-order';
import type { ProposedOrder } from '../../shared/src/domain/risk/pre-trade-check';
import { Secret } from '../../shared/src/domain/security/secret';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type {
  Balance,
  OrderRef,
  PlaceOrderRequest,
  TradingVenue,
  VenueOrder,
} from '../../shared/src/ports/trading-venue';

/** Epoch of a KST wall-clock time, e.g. kst('2026-11-29T23:59:59'). */
export function kst(local: string): EpochMs {
  return Date.parse(`${local}+09:00`) as EpochMs;
}

/**
 * A tiny TradingVenue fake for the emergency use cases: open orders are plain records, every call is
 * logged, and failures can be injected per call. (The engine-backed MemoryTradingVenue is exercised
 * by its own contract tests; here we need to observe and break individual calls.)
 */
export class RecordingVenue implements TradingVenue {
  readonly open = new Map<string, VenueOrder>();
  readonly placed: PlaceOrderRequest[] = [];
  readonly cancelled: string[] = [];
  failCancel: (uuid: string) => Error | undefined = () => undefined;
  failPlace: (request: PlaceOrderRequest) => Error | undefined = () => undefined;
  private seq = 0;

  constructor(private readonly clock: { now(): EpochMs }) {}

  /** Adds an open order as if some strategy had placed it earlier. */
  addOpen(market: Market, side: 'bid' | 'ask'): string {
    this.seq += 1;
    const uuid = `open-${this.seq}`;
    this.open.set(uuid, this.venueOrder(uuid, market, side));
    return uuid;
  }

  async placeOrder(request: PlaceOrderRequest): Promise<VenueOrder> {
    const failure = this.failPlace(request);
    if (failure !== undefined) throw failure;
    this.placed.push(request);
    this.seq += 1;
    return {
      ...this.venueOrder(`placed-${this.seq}`, request.market, request.side),
      identifier: request.identifier,
    };
  }

  async cancelOrder(ref: OrderRef): Promise<VenueOrder> {
    const uuid = 'uuid' in ref ? ref.uuid : '';
    const failure = this.failCancel(uuid);
    if (failure !== undefined) throw failure;
    const order = this.open.get(uuid);
    if (order === undefined)
      throw new TradingError('rejected', 'order not found', { code: 'order_not_found', status: 404 });
    this.open.delete(uuid);
    this.cancelled.push(uuid);
    return { ...order, state: 'cancel' };
  }

  async getOrder(ref: OrderRef): Promise<VenueOrder | undefined> {
    return 'uuid' in ref ? this.open.get(ref.uuid) : undefined;
  }

  async listOpenOrders(market?: Market): Promise<VenueOrder[]> {
    return [...this.open.values()].filter((o) => market === undefined || o.market === market);
  }

  async getBalances(): Promise<Balance[]> {
    return [];
  }

  private venueOrder(uuid: string, market: Market, side: 'bid' | 'ask'): VenueOrder {
    return {
      uuid,
      market,
      side,
      ordType: 'limit',
      state: 'wait',
      executedVolume: volume(ZERO),
      reservedFee: krw(ZERO),
      remainingFee: krw(ZERO),
      paidFee: krw(ZERO),
      locked: ZERO,
      tradesCount: 0,
      createdAt: this.clock.now(),
    };
  }
}

/** The operator token tests use; anything else fails authentication. */
export const OPERATOR_TOKEN = 'op-token-7f3a';

/** A credential for the test operator `alice` (or a wrong one). */
export function credential(token = OPERATOR_TOKEN) {
  return { channel: 'api' as const, token: new Secret(token) };
}

/** Everything the emergency use cases need, on memory fakes sharing one store. */
export interface Harness {
  readonly store: MemoryStateStore;
  readonly clock: ManualClock;
  readonly notifier: MemoryNotifier;
  readonly venue: RecordingVenue;
  readonly deps: LossCheckDeps & { readonly authenticate: OperatorAuthenticator };
}

/** A fresh harness at `start`; pass an existing store to model a restart of every process. */
export function harness(start: EpochMs, store = new MemoryStateStore()): Harness {
  const clock = new ManualClock(start);
  const notifier = new MemoryNotifier('ko');
  const venue = new RecordingVenue(clock);
  const authenticate = tokenAuthenticator([{ actor: 'alice', token: new Secret(OPERATOR_TOKEN) }]);
  return { store, clock, notifier, venue, deps: { store, venue, notifier, clock, authenticate } };
}

/** The `pending` local order the executor would store for a proposed order (leg 0, attempt 0). */
export function pendingOrder(o: ProposedOrder, at: EpochMs): LocalOrder {
  const identifier = orderIdentifier(o.decisionId);
  return {
    identifier,
    decisionId: o.decisionId,
    strategy: o.strategy,
    draft: { ...o.draft, identifier },
    state: 'pending',
    executedVolume: volume(ZERO),
    executedFunds: krw(ZERO),
    paidFee: krw(ZERO),
    createdAt: at,
    updatedAt: at,
    version: 1,
    market: o.draft.market,
  };
}
