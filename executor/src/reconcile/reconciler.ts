import { recordFill } from '../../../shared/src/application/risk/record-fill';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { baseCurrency } from '../../../shared/src/domain/market/market-id';
import { Decimal, ZERO } from '../../../shared/src/domain/money/decimal';
import { type Krw, krw, type Price, price, volume } from '../../../shared/src/domain/money/quantities';
import {
  makeDecisionId,
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
import type { OrderManager } from '../orders/order-manager';
import type { OrderTracker } from '../orders/order-tracker';
import { describeError } from '../runtime/periodic';
import { type BalanceDiff, balanceDiffs, corrections } from './balance-diff';

/** One difference between local state and the exchange, and what was done about it. */
export interface Discrepancy {
  readonly kind:
    | 'order_state'
    | 'revived_order'
    | 'unknown_order'
    | 'unknown_closed_order'
    | 'balance_surplus'
    | 'balance_deficit'
    | 'unpriced_balance';
  readonly market?: Market;
  readonly detail: string;
  readonly action: string;
  /** False when the executor cannot explain it (live mode then refuses to trade). */
  readonly explained: boolean;
}

/** The outcome of one reconciliation. */
export interface ReconcileReport {
  readonly at: EpochMs;
  /** Every check ran (the exchange and the store answered, every market had a price to value with). */
  readonly complete: boolean;
  /** Nothing is left that the executor cannot explain. */
  readonly explained: boolean;
  readonly discrepancies: readonly Discrepancy[];
  readonly openOrders: number;
}

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
    const balance = await this.#balances();
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
    this.#report(report);
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
        await d.manager.sync(known.identifier, { revive: true });
        return {
          kind: 'revived_order',
          market: v.market,
          detail: `${known.identifier} was ${known.state} locally but is open on the exchange (a late request arrived)`,
          action: 'taken back as open',
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
      else if (local.state !== 'filled' && local.state !== 'cancelled')
        await d.manager.sync(local.identifier, { revive: true });
    }
    return out;
  }

  async #balances(): Promise<{ complete: boolean; found: Discrepancy[] }> {
    const d = this.d;
    const balances = await d.venue.getBalances();
    const positions = await d.store.listPositions();
    const bids = d.market.bestBids();
    const diffs = balanceDiffs(d.markets, balances, positions, bids, d.toleranceKrw ?? new Decimal(1));
    const found: Discrepancy[] = [];
    let complete = true;
    for (const diff of diffs) {
      const bid = bids.get(diff.market);
      if (bid === undefined) {
        complete = false;
        found.push({
          kind: 'unpriced_balance',
          market: diff.market,
          detail: `${diff.currency}: exchange ${diff.venue.toFixed()}, positions ${diff.local.toFixed()}, no price yet`,
          action: 'retried once the feed has a book',
          explained: true,
        });
        continue;
      }
      found.push(await this.#correct(diff, positions, bid));
    }
    return { complete, found };
  }

  async #correct(
    diff: BalanceDiff,
    positions: Parameters<typeof corrections>[1],
    bid: Price,
  ): Promise<Discrepancy> {
    const d = this.d;
    const { bookings, unexplained } = corrections(diff, positions, !d.live);
    const what = `${diff.currency}: exchange holds ${diff.venue.toFixed()}, positions say ${diff.local.toFixed()}`;
    if (d.live && unexplained.gt(0))
      return {
        kind: 'balance_deficit',
        market: diff.market,
        detail: what,
        action: `nothing booked: ${unexplained.toFixed()} ${diff.currency} the strategies hold is missing and cannot be explained`,
        explained: false,
      };
    if (!d.dryRun) {
      const minute = Math.floor(d.clock.now() / MS.minute) * MS.minute;
      const decisionId = makeDecisionId('recon', diff.market, minute as EpochMs);
      const equity = await d.equity();
      for (const [i, b] of bookings.entries())
        await recordFill(
          d.store,
          {
            fillId: `recon.${baseCurrency(diff.market)}.${d.clock.now()}.${i}`,
            identifier: orderIdentifier(decisionId, 0, 0),
            market: b.market,
            strategy: b.strategy,
            side: b.side,
            price: price(bid),
            volume: volume(b.volume),
            fee: krw(ZERO),
            isMaker: false,
            at: d.clock.now(),
          },
          equity,
        );
    }
    const booked = bookings
      .map((b) => `${b.side === 'bid' ? '+' : '-'}${b.volume.toFixed()} ${b.strategy}`)
      .join(', ');
    const verb = d.dryRun ? 'would book' : 'booked';
    if (diff.diff.gt(0))
      return {
        kind: 'balance_surplus',
        market: diff.market,
        detail: what,
        action: `${verb} ${booked} at ${bid.toFixed()}`,
        explained: true,
      };
    return {
      kind: 'balance_deficit',
      market: diff.market,
      detail: what,
      action: `${verb} ${booked} at ${bid.toFixed()}`,
      explained: true,
    };
  }

  #report(report: ReconcileReport): void {
    const d = this.d;
    d.metrics.reconciliations.inc({
      result: report.explained ? (report.complete ? 'ok' : 'incomplete') : 'unexplained',
    });
    for (const x of report.discrepancies) {
      d.metrics.discrepancies.inc({ kind: x.kind });
      d.logger.warn('reconciliation discrepancy', {
        kind: x.kind,
        market: x.market,
        detail: x.detail,
        action: x.action,
        explained: x.explained,
      });
      void d.notifier
        .notify({
          severity: x.explained ? 'warning' : 'critical',
          key: `reconcile:${x.kind}:${x.market ?? ''}`,
          at: report.at,
          text: {
            ko: `[대사] ${KIND_KO[x.kind]}${x.market === undefined ? '' : ` (${x.market})`}: ${x.detail} → ${x.action}`,
            en: `[reconcile] ${x.kind}${x.market === undefined ? '' : ` (${x.market})`}: ${x.detail} → ${x.action}`,
          },
        })
        .catch(() => undefined);
    }
    d.logger.info('reconciliation done', {
      complete: report.complete,
      explained: report.explained,
      discrepancies: report.discrepancies.length,
      openOrders: report.openOrders,
    });
  }
}

const KIND_KO: Readonly<Record<Discrepancy['kind'], string>> = {
  order_state: '주문 상태 불일치',
  revived_order: '포기한 주문이 거래소에 존재',
  unknown_order: '시스템이 내지 않은 주문',
  unknown_closed_order: '기록 없는 체결 주문',
  balance_surplus: '잔고 초과',
  balance_deficit: '잔고 부족',
  unpriced_balance: '시세 없는 잔고 차이',
};
