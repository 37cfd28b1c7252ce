import type { Market } from '../../../shared/src/domain/market/market-id';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Logger } from '../../../shared/src/ports/logger';
import type { Notifier } from '../../../shared/src/ports/notifier';
import type { ExecutorMetrics } from '../health/metrics';

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

/** Where a reconciliation's findings go. */
export interface ReportDeps {
  readonly logger: Logger;
  readonly notifier: Notifier;
  readonly metrics: ExecutorMetrics;
}

/** Counts, logs and alerts (Korean and English) every discrepancy of a reconciliation. */
export function reportReconciliation(d: ReportDeps, report: ReconcileReport): void {
  d.metrics.reconciliations.inc({
    result: report.explained ? (report.complete ? 'ok' : 'incomplete') : 'unexplained',
  });
  for (const x of report.discrepancies) reportDiscrepancy(d, x, report.at);
  d.logger.info('reconciliation done', {
    complete: report.complete,
    explained: report.explained,
    discrepancies: report.discrepancies.length,
    openOrders: report.openOrders,
  });
}
/**
 * Counts, logs and alerts one discrepancy: every one a reconciliation finds, and a late request the
 * private stream showed between reconciliations (`revived_order`, the same alert either way).
 */
export function reportDiscrepancy(d: ReportDeps, x: Discrepancy, at: EpochMs): void {
  d.metrics.discrepancies.inc({ kind: x.kind });
  d.logger.warn('reconciliation discrepancy', {
    kind: x.kind,
    market: x.market,
    detail: x.detail,
    action: x.action,
    explained: x.explained,
  });
  const where = x.market === undefined ? '' : ` (${x.market})`;
  void d.notifier
    .notify({
      severity: x.explained ? 'warning' : 'critical',
      key: `reconcile:${x.kind}:${x.market ?? ''}`,
      at,
      text: {
        ko: `[대사] ${KIND_KO[x.kind]}${where}: ${x.detail} → ${x.action}`,
        en: `[reconcile] ${x.kind}${where}: ${x.detail} → ${x.action}`,
      },
    })
    .catch(() => undefined);
}

/** The discrepancy of a late request the private stream showed before any reconciliation did. */
export function lateRequestSeen(order: LocalOrder, action: string): Discrepancy {
  return {
    kind: 'revived_order',
    market: order.market,
    detail: `${order.identifier} was rejected locally but the exchange reports it ${order.state} (a late request arrived)`,
    action: `taken back as ${order.state}; ${action}`,
    explained: true,
  };
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
