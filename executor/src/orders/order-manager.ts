import { checkOutgoingOrders } from '../../../shared/src/application/risk/evaluate-decision';
import type { RiskInputs } from '../../../shared/src/application/risk/load-risk-context';
import { isTradingError } from '../../../shared/src/domain/errors/trading-error';
import type { Market } from '../../../shared/src/domain/market/market-id';
import type { OrderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import type { MarketView } from '../../../shared/src/domain/risk/fat-finger';
import type { MyOrderEvent } from '../../../shared/src/ports/market-data-stream';
import { SEND_BLOCKED, type VenueOrder } from '../../../shared/src/ports/trading-venue';
import { type Failpoints, NO_FAILPOINTS } from '../runtime/failpoints';
import { KeyedSerial } from '../runtime/keyed-serial';
import { pause } from '../runtime/periodic';
import type { TradingGate } from '../runtime/trading-gate';
import { fillFromEvent, givenUpOrder, intentOrder, isFinalState, type OrderIntent } from './order-lifecycle';
import { OrderRecords, type OrderRecordsDeps } from './order-records';
import { type PlaceOutcome, PlaceOutcomes } from './place-outcome';

/** After this long a `submitted` order the venue has never heard of was not placed. */
export const UNKNOWN_OUTCOME_GRACE_MS = 30_000;
/** How long a cancel waits for the venue to confirm (Upbit cancels asynchronously). */
export const CANCEL_CONFIRM_MS = 3_000;

/** Ports and facts the order manager works with. */
export interface OrderManagerDeps extends OrderRecordsDeps {
  readonly gate: TradingGate;
  /** The feed's latest book and last trade of a market, for the fat-finger checks. */
  readonly marketView: (market: Market) => MarketView;
  /** A fatal venue error (auth, ban): the caller counts it towards the emergency stop. */
  readonly onFatal?: (error: unknown) => void;
  readonly failpoints?: Failpoints;
  /**
   * An order given up after an unknown outcome (rejected after the grace) that the private stream
   * shows on the exchange after all, taken back: its decision must own it (the execution engine's
   * `adoptRevived`). Called outside the order's serial section.
   */
  readonly onRevived?: (order: LocalOrder) => void;
}

/**
 * The order state machine with durable steps: every order is stored as an intent, then marked
 * `submitted`, BEFORE the request leaves, so a process killed at any instant finds every order it
 * may have sent and looks it up by its identifier (which the venue refuses to reuse). Fills are
 * booked with `recordFill` (position, realised PnL, fees and the loss ledger in one transaction,
 * once per fill id) before the order record moves, so a crash in between only repeats idempotent
 * work. All work on one identifier runs serially in this process; between processes the
 * repository's compare-and-set decides.
 */
export class OrderManager {
  readonly #d: OrderManagerDeps;
  readonly #serial = new KeyedSerial();
  readonly #fp: Failpoints;
  readonly #records: OrderRecords;
  readonly #outcomes: PlaceOutcomes;

  constructor(deps: OrderManagerDeps) {
    this.#d = deps;
    this.#fp = deps.failpoints ?? NO_FAILPOINTS;
    this.#records = new OrderRecords(deps, this.#fp);
    this.#outcomes = new PlaceOutcomes(this.#records, deps);
  }

  /** Stores the intent, re-checks gate and risk on fresh state, marks it submitted, sends it. */
  place(intent: OrderIntent): Promise<PlaceOutcome> {
    return this.#serial.run(intent.identifier, () => this.#place(intent));
  }

  /**
   * Reads the order from the venue and books what changed (fills first, then the order). Final
   * orders are left alone unless `revive` (reconciliation found the venue showing one we had marked
   * rejected after an unknown outcome: the late request did arrive, and the venue is the truth).
   */
  sync(
    identifier: OrderIdentifier,
    options: { readonly revive?: boolean } = {},
  ): Promise<LocalOrder | undefined> {
    return this.#serial.run(identifier, async () => {
      const order = await this.#d.store.getOrder(identifier);
      return order === undefined ? undefined : this.#sync(order, options.revive ?? false);
    });
  }

  /**
   * Asks the venue to cancel and waits (bounded) until it confirms, booking fills that happened
   * before. Returns the order as stored; still `open` when the venue did not confirm in time (the
   * tracker keeps syncing it).
   */
  cancel(identifier: OrderIdentifier, reason: string): Promise<LocalOrder | undefined> {
    return this.#serial.run(identifier, () => this.#cancel(identifier, reason));
  }

  /**
   * A private-stream event: books a fill at once, then settles the order from the venue. An event of
   * an order we had given up on (rejected after the grace) proves the late request reached the
   * exchange: the order is taken back from the venue at once and handed to its decision, without
   * waiting for the next reconciliation.
   */
  async onOrderEvent(event: MyOrderEvent): Promise<void> {
    const order = await this.#orderOfEvent(event);
    if (order === undefined) return;
    let revived: LocalOrder | undefined;
    await this.#serial.run(order.identifier, async () => {
      const fresh = (await this.#d.store.getOrder(order.identifier)) ?? order;
      const fill = fillFromEvent(fresh, event, this.#d.rules);
      if (fill !== undefined) await this.#records.book(fresh, [fill]);
      if (fresh.state === 'rejected') {
        const after = await this.#sync(fresh, true);
        if (after.state !== 'rejected') revived = after;
      } else if (event.state !== 'wait' && event.state !== 'watch') await this.#sync(fresh);
    });
    if (revived === undefined) return;
    this.#d.logger.warn(
      'an order given up after an unknown outcome is on the exchange (a late request); taken back',
      {
        identifier: revived.identifier,
        decisionId: revived.decisionId,
        state: revived.state,
        executedVolume: revived.executedVolume.toFixed(),
      },
    );
    this.#d.onRevived?.(revived);
  }

  async #orderOfEvent(event: MyOrderEvent): Promise<LocalOrder | undefined> {
    if (event.identifier !== undefined) {
      const byId = await this.#d.store.getOrder(event.identifier as OrderIdentifier);
      if (byId !== undefined) return byId;
    }
    return this.#d.store.getOrderByUuid(event.uuid);
  }

  async #place(intent: OrderIntent): Promise<PlaceOutcome> {
    const { store, clock, gate } = this.#d;
    const log = this.#d.logger.child({ identifier: intent.identifier, decisionId: intent.decisionId });
    const intentRecord = intentOrder(intent, clock.now());
    if ((await store.createOrder(intentRecord)) === 'exists') {
      const existing = await store.getOrder(intent.identifier);
      if (existing === undefined) throw new Error(`order ${intent.identifier} exists but cannot be read`);
      return { result: 'exists', order: existing };
    }
    this.#fp.hit('order.after-pending');
    const blocked = gate.blockReason(intent.strategy, intent.draft.side);
    if (blocked !== undefined) return this.#outcomes.refused(intentRecord, 'gate', blocked, log);
    const [check] = await checkOutgoingOrders(
      { store, clock },
      {
        ...(await this.#riskInputs(intent.draft.market)),
        orders: [{ ...intent, draft: intentRecord.draft }],
      },
    );
    if (check !== undefined && !check.ok)
      return this.#outcomes.refused(
        intentRecord,
        check.refusal.code,
        check.refusal.message,
        log,
        check.refusal.exchangeRejection?.code,
      );
    // The latch may have moved during the risk reads.
    const late = gate.blockReason(intent.strategy, intent.draft.side);
    if (late !== undefined) return this.#outcomes.refused(intentRecord, 'gate', late, log);
    const submitted = await store.updateOrder(
      { ...intentRecord, state: 'submitted', updatedAt: clock.now() },
      1,
    );
    this.#records.emit(submitted);
    this.#fp.hit('order.after-submitted');
    let answer: VenueOrder;
    try {
      // The gate is asked again before every send: a placement can wait out a rate-limit back-off
      // of seconds, and a latch raised meanwhile must stop it (an IOC would fill).
      answer = await this.#d.venue.placeOrder({ ...intentRecord.draft, identifier: intent.identifier }, () =>
        gate.blockReason(intent.strategy, intent.draft.side),
      );
    } catch (error) {
      if (isTradingError(error, 'rejected') && error.code === SEND_BLOCKED)
        return this.#outcomes.refused(submitted, 'gate', error.message, log);
      return this.#outcomes.failed(submitted, error, log);
    }
    this.#fp.hit('order.after-place');
    this.#d.metrics.ordersPlaced.inc({ market: intent.draft.market, side: intent.draft.side });
    log.info('order placed', {
      uuid: answer.uuid,
      state: answer.state,
      side: intent.draft.side,
      ordType: intent.draft.ordType,
      price: intent.draft.price?.toFixed(),
      volume: intent.draft.volume?.toFixed(),
    });
    return { result: 'placed', order: await this.#records.apply(submitted, answer) };
  }

  /**
   * {@link sync} with `revive`, but only while the stored record is still in the state `expected`
   * the caller read it in: otherwise another path (the private stream, the late-request watch, a
   * concurrent reconciliation) took the order back meanwhile and reported it, and the record as it
   * now is comes back with `handledElsewhere`, so one late request raises one alert.
   */
  reviveIfStill(
    identifier: OrderIdentifier,
    expected: LocalOrder['state'],
  ): Promise<{ readonly order: LocalOrder | undefined; readonly handledElsewhere: boolean }> {
    return this.#serial.run(identifier, async () => {
      const order = await this.#d.store.getOrder(identifier);
      if (order === undefined) return { order, handledElsewhere: false };
      if (order.state !== expected) return { order, handledElsewhere: true };
      return { order: await this.#sync(order, true), handledElsewhere: false };
    });
  }

  async #sync(order: LocalOrder, revive = false): Promise<LocalOrder> {
    if (isFinalState(order.state) && !(revive && order.state === 'rejected')) return order;
    if (order.state === 'pending') {
      // Only ever sent after being marked submitted: a pending order found here was never sent.
      return this.#records.store(order, { ...order, state: 'cancelled', updatedAt: this.#d.clock.now() });
    }
    const ref = order.uuid === undefined ? { identifier: order.identifier } : { uuid: order.uuid };
    const venue = await this.#d.venue.getOrder(ref);
    if (venue !== undefined) return this.#records.apply(order, venue);
    if (order.state === 'submitted' && this.#d.clock.now() - order.updatedAt >= UNKNOWN_OUTCOME_GRACE_MS)
      return this.#records.store(order, givenUpOrder(order, this.#d.clock.now()));
    return order;
  }

  async #cancel(identifier: OrderIdentifier, reason: string): Promise<LocalOrder | undefined> {
    const { store, venue, clock } = this.#d;
    let order = await store.getOrder(identifier);
    if (order === undefined || isFinalState(order.state)) return order;
    if (order.uuid === undefined) {
      order = await this.#sync(order);
      if (order.uuid === undefined || isFinalState(order.state)) return order;
    }
    try {
      await venue.cancelOrder({ uuid: order.uuid });
      this.#d.metrics.ordersCancelled.inc({ market: order.market });
      this.#d.logger.info('cancel requested', { identifier, uuid: order.uuid, reason });
    } catch (error) {
      if (!(isTradingError(error, 'rejected') && error.code === 'order_not_found')) {
        if (isTradingError(error, 'fatal')) this.#d.onFatal?.(error);
        throw error;
      }
    }
    this.#fp.hit('cancel.after-request');
    const deadline = clock.now() + CANCEL_CONFIRM_MS;
    for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
      order = await this.#sync(order);
      if (isFinalState(order.state) || clock.now() >= deadline) return order;
      await pause(clock, wait);
    }
  }

  async #riskInputs(market: Market): Promise<RiskInputs> {
    const equity = await this.#d.equity();
    return {
      limits: this.#d.limits,
      rules: this.#d.rules,
      market: this.#d.marketView(market),
      ...(equity === undefined ? {} : { equity }),
    };
  }
}
