import type { Market } from '../../../shared/src/domain/market/market-id';
import { type Decimal, ZERO } from '../../../shared/src/domain/money/decimal';
import { type Krw, krw, volume } from '../../../shared/src/domain/money/quantities';
import {
  type OrderIdentifier,
  orderIdentifier,
  parseDecisionId,
  parseOrderIdentifier,
} from '../../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import { type EpochMs, MS } from '../../../shared/src/domain/time/epoch';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import type { Notifier } from '../../../shared/src/ports/notifier';
import type { StateStore } from '../../../shared/src/ports/state-store';
import type { TradingVenue, VenueOrder } from '../../../shared/src/ports/trading-venue';
import type { MarketState } from '../feed/market-state';
import type { ExecutorMetrics } from '../health/metrics';
import { isFinalState } from '../orders/order-lifecycle';
import type { OrderManager } from '../orders/order-manager';
import type { OrderTracker } from '../orders/order-tracker';
import { describeError } from '../runtime/periodic';
import { reconcileBalances } from './balance-reconciliation';
import { type Discrepancy, type ReconcileReport, reportReconciliation } from './reconcile-report';

export type { Discrepancy, ReconcileReport } from './reconcile-report';

/** Ports and policy of {@link Reconciler}. */
export interface ReconcilerDeps {
  readonly store: StateStore;
  readonly venue: TradingVenue;
  readonly manager: OrderManager;
  readonly tracker: OrderTracker;
  readonly market: MarketState;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly notifier: Notifier;
  readonly metrics: ExecutorMetrics;
  readonly markets: readonly Market[];
  /** Account equity now (opens a loss period a correction falls into). */
  readonly equity: () => Promise<Krw>;
  /** executor.unknownOrderPolicy. */
  readonly unknownOrderPolicy: 'adopt' | 'cancel';
  /** Live: a deficit the operator's holding cannot cover is unexplained; paper/sim correct it. */
  readonly live: boolean;
  /** Report only: never cancel on the venue (--dry-run). */
  readonly dryRun: boolean;
  /** Recent closed orders (Upbit's GET /orders/closed), where the venue offers them. */
  readonly closedOrders?: (since: EpochMs) => Promise<VenueOrder[]>;
  /** Differences worth less than this are rounding, not discrepancies. */
  readonly toleranceKrw?: Decimal;
  /**
   * Gives a late request taken back here to its decision (the execution engine's `adoptRevived`):
   * resolves to what was done, which goes into the alert.
   */
  readonly onRevived?: (order: LocalOrder) => Promise<string>;
}

const ADOPT_SCOPE = 'adopt';

/** Our identifier for an adopted order: the decision id is `adopt-<uuid without dashes>` (fits 48 chars). */
export function adoptedIdentifier(uuid: string): OrderIdentifier {
  const compact = uuid
    .replaceAll('-', '')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 40);
  return orderIdentifier(parseDecisionId(`${ADOPT_SCOPE}-${compact}`), 0, 0);
}

/**
 * Compares local state with the exchange, at start (nothing trades before it succeeds) and every few
 * minutes: every active local order is settled from the venue (fills booked, final states stored,
 * orders sent but never seen marked so); every open venue order we have no record of is adopted
 * (booked as the operator's) or cancelled, per `unknownOrderPolicy`; an order of ours we had given up
 * on is taken back; and each market's coin balance is compared with the positions, a surplus adopted
 * as the operator's holding and a deficit taken from it (booked at the best bid, no fee). Every
 * difference is logged and alerted. In live mode a deficit the operator's holding cannot cover
 * leaves the account unexplained, and the executor does not trade until someone looks.
 */
export class Reconciler {
  constructor(private readonly d: ReconcilerDeps) {}

  async reconcile(): Promise<ReconcileReport> {
    const d = this.d;
    const at = d.clock.now();
    const found: Discrepancy[] = [];
    let complete = true;
    const localActive = await d.store.listActiveOrders();
    for (const o of localActive) {
      try {
        const after = await d.manager.sync(o.identifier);
        if (after !== undefined && after.state !== o.state && after.state !== 'open')
          found.push({
            kind: 'order_state',
            market: o.market,
            detail: `${o.identifier} was ${o.state} locally, ${after.state} on the exchange`,
            action: 'stored the exchange state and booked its fills',
            explained: true,
          });
      } catch (error) {
        complete = false;
        d.logger.warn('could not settle an order during reconciliation', {
          identifier: o.identifier,
          error: describeError(error),
        });
      }
    }
    const open = await d.venue.listOpenOrders();
    for (const v of open) {
      const discrepancy = await this.#venueOrder(v);
      if (discrepancy !== undefined) found.push(discrepancy);
    }
    if (d.closedOrders !== undefined) found.push(...(await this.#closed(d.closedOrders)));
    const balance = await reconcileBalances({
      ...d,
      settle: async (markets) => {
        for (const o of await d.store.listActiveOrders())
          if (markets.includes(o.market))
            await d.manager.sync(o.identifier).catch((error: unknown) =>
              d.logger.warn('could not settle an order before the balance check', {
                identifier: o.identifier,
                error: describeError(error),
              }),
            );
      },
    });
    complete &&= balance.complete;
    found.push(...balance.found);
    await d.tracker.refresh();
    const explained = found.every((x) => x.explained);
    const report: ReconcileReport = {
      at,
      complete,
      explained,
      discrepancies: found,
      openOrders: open.length,
    };
    reportReconciliation(d, report);
    return report;
  }

  async #venueOrder(v: VenueOrder): Promise<Discrepancy | undefined> {
    const d = this.d;
    const byUuid = await d.store.getOrderByUuid(v.uuid);
    const ours = v.identifier === undefined ? undefined : parseOrderIdentifier(v.identifier);
    const byId = ours === undefined ? undefined : await d.store.getOrder(v.identifier as OrderIdentifier);
    const known = byId ?? byUuid;
    if (known !== undefined) {
      if (known.state === 'rejected' || known.state === 'cancelled') {
        const { order: after, handledElsewhere } = await d.manager.reviveIfStill(
          known.identifier,
          known.state,
        );
        if (handledElsewhere) return undefined;
        return {
          kind: 'revived_order',
          market: v.market,
          detail: `${known.identifier} was ${known.state} locally but is open on the exchange (a late request arrived)`,
          action: await this.#ownRevived(after, v),
          explained: true,
        };
      }
      return undefined;
    }
    const name = v.identifier ?? v.uuid;
    if (d.unknownOrderPolicy === 'cancel') {
      if (!d.dryRun) await d.venue.cancelOrder({ uuid: v.uuid });
      return {
        kind: 'unknown_order',
        market: v.market,
        detail: `open ${v.side} ${v.ordType} ${name} (${v.volume?.toFixed() ?? '?'} @ ${v.price?.toFixed() ?? '?'}) was not placed by this system`,
        action: d.dryRun ? 'would cancel it (dry run)' : 'cancelled it (unknownOrderPolicy: cancel)',
        explained: true,
      };
    }
    if (!d.dryRun) await this.#adopt(v);
    return {
      kind: 'unknown_order',
      market: v.market,
      detail: `open ${v.side} ${v.ordType} ${name} was not placed by this system`,
      action: d.dryRun
        ? 'would adopt it (dry run)'
        : 'adopted it as an operator order (unknownOrderPolicy: adopt)',
      explained: true,
    };
  }

  /**
   * A late request must not rest on the book unowned: taken back as open, it goes to its decision
   * (whose plan counts and cancels it, or which cancels it when no plan runs); a local record that
   * cannot be taken back (final for good) is cancelled on the exchange directly.
   */
  async #ownRevived(after: LocalOrder | undefined, v: VenueOrder): Promise<string> {
    const d = this.d;
    if (after !== undefined && !isFinalState(after.state)) {
      if (d.dryRun) return 'taken back as open; would hand it to its decision (dry run)';
      if (d.onRevived === undefined) return 'taken back as open';
      return `taken back as open; ${await d.onRevived(after)}`;
    }
    if (d.dryRun) return 'its local record is final: would cancel it on the exchange (dry run)';
    try {
      await d.venue.cancelOrder({ uuid: v.uuid });
      return 'its local record is final: cancelled it on the exchange';
    } catch (error) {
      return `its local record is final: could not cancel it on the exchange (${describeError(error)}); tried again at the next reconciliation`;
    }
  }

  async #adopt(v: VenueOrder): Promise<void> {
    const d = this.d;
    const identifier = adoptedIdentifier(v.uuid);
    const parsed = parseOrderIdentifier(identifier);
    if (parsed === undefined) return;
    const now = d.clock.now();
    const order: LocalOrder = {
      identifier,
      decisionId: parsed.decisionId,
      strategy: 'operator',
      draft: {
        market: v.market,
        side: v.side,
        ordType: v.ordType,
        ...(v.price === undefined ? {} : { price: v.price }),
        ...(v.volume === undefined ? {} : { volume: v.volume }),
        ...(v.timeInForce === undefined ? {} : { timeInForce: v.timeInForce }),
      },
      state: 'open',
      uuid: v.uuid,
      executedVolume: volume(ZERO),
      executedFunds: krw(ZERO),
      paidFee: krw(ZERO),
      createdAt: v.createdAt,
      updatedAt: now,
      version: 1,
      market: v.market,
    };
    await d.store.createOrder(order);
    await d.manager.sync(identifier);
  }

  async #closed(source: (since: EpochMs) => Promise<VenueOrder[]>): Promise<Discrepancy[]> {
    const d = this.d;
    const out: Discrepancy[] = [];
    for (const v of await source((d.clock.now() - MS.hour) as EpochMs)) {
      if (v.identifier === undefined || parseOrderIdentifier(v.identifier) === undefined) continue;
      const local = await d.store.getOrder(v.identifier as OrderIdentifier);
      if (local === undefined)
        out.push({
          kind: 'unknown_closed_order',
          market: v.market,
          detail: `${v.identifier} (${v.state}) carries this system's identifier but has no local record`,
          action: 'alerted; its effect shows in the balance check',
          explained: true,
        });
      else if (local.state !== 'filled' && local.state !== 'cancelled') {
        const after = await d.manager.sync(local.identifier, { revive: true });
        // Given up on, yet it traded (or was cancelled) on the exchange: its fills count against its
        // decision, whose running plan pulls any other attempt that would now over-spend.
        if (local.state === 'rejected' && after !== undefined && after.state !== 'rejected')
          out.push({
            kind: 'revived_order',
            market: v.market,
            detail: `${local.identifier} was rejected locally but is ${after.state} on the exchange (a late request arrived)`,
            action: `taken back as ${after.state}${d.onRevived === undefined || d.dryRun ? '' : `; ${await d.onRevived(after)}`}`,
            explained: true,
          });
      }
    }
    return out;
  }
}
