import type { Market } from '../../domain/market/market-id';
import type { DecisionId, OrderIdentifier } from '../../domain/orders/identifiers';
import type { LocalOrder } from '../../domain/orders/local-order';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { Decision } from '../../domain/trading/decision';
import type { EmergencyLatch, LatchRelease } from '../../domain/trading/emergency';
import type { Fill } from '../../domain/trading/fill';
import type { Position } from '../../domain/trading/position';
import type { RiskLedgerEntry } from '../../domain/trading/risk-ledger';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { AuditEntry } from '../../ports/audit-log';
import type { ControlState, LatchOutcome, ReleaseOutcome } from '../../ports/control-store';
import type { VersionedWrite } from '../../ports/fill-journal';
import type {
  IdempotencyClaim,
  IdempotencyClaimRequest,
  IdempotencyRecord,
  StoredAnswer,
} from '../../ports/idempotency-store';
import type { StateStore } from '../../ports/state-store';
import { DynamoDbControlStore } from './dynamodb-control-store';
import { DynamoDbDecisionLog } from './dynamodb-decision-log';
import { DynamoDbFillJournal } from './dynamodb-fill-journal';
import { DynamoDbIdempotencyStore } from './dynamodb-idempotency-store';
import { DynamoDbOrderRepository } from './dynamodb-order-repository';
import type { TableConfig } from './table-context';

/** Configuration of {@link DynamoDbStateStore}. */
export interface DynamoDbStateStoreConfig extends TableConfig {
  /** How long decisions are kept before TTL deletes them; a year and a bit covers yearly pattern analysis. */
  readonly decisionRetentionMs?: number;
  /** `tradingEnabled` before the switch was ever flipped; same default as the memory store. */
  readonly defaultTradingEnabled?: boolean;
}

/** Default decision retention: 400 days. */
export const DEFAULT_DECISION_RETENTION_MS = 400 * MS.day;

/**
 * The {@link StateStore} on one DynamoDB table (single-table design, see infra/README.md). Each role
 * lives in its own section class; this class only wires them together behind the one port.
 */
export class DynamoDbStateStore implements StateStore {
  private readonly orders: DynamoDbOrderRepository;
  private readonly fills: DynamoDbFillJournal;
  private readonly control: DynamoDbControlStore;
  private readonly decisions: DynamoDbDecisionLog;
  private readonly idempotency: DynamoDbIdempotencyStore;

  constructor(config: DynamoDbStateStoreConfig) {
    const ctx = { db: config.client, tableName: config.tableName };
    this.orders = new DynamoDbOrderRepository(ctx);
    this.fills = new DynamoDbFillJournal(ctx);
    this.control = new DynamoDbControlStore(ctx, config.defaultTradingEnabled ?? true);
    this.decisions = new DynamoDbDecisionLog(
      ctx,
      config.decisionRetentionMs ?? DEFAULT_DECISION_RETENTION_MS,
    );
    this.idempotency = new DynamoDbIdempotencyStore(ctx);
  }

  createOrder(order: LocalOrder): Promise<'created' | 'exists'> {
    return this.orders.createOrder(order);
  }
  updateOrder(order: LocalOrder, expectedVersion: number): Promise<LocalOrder> {
    return this.orders.updateOrder(order, expectedVersion);
  }
  listOrdersByDecision(decisionId: DecisionId): Promise<LocalOrder[]> {
    return this.orders.listOrdersByDecision(decisionId);
  }

  getOrder(identifier: OrderIdentifier): Promise<LocalOrder | undefined> {
    return this.orders.getOrder(identifier);
  }
  getOrderByUuid(uuid: string): Promise<LocalOrder | undefined> {
    return this.orders.getOrderByUuid(uuid);
  }
  listActiveOrders(): Promise<LocalOrder[]> {
    return this.orders.listActiveOrders();
  }
  listOrdersRejectedSince(since: EpochMs): Promise<LocalOrder[]> {
    return this.orders.listOrdersRejectedSince(since);
  }

  applyFill(
    fill: Fill,
    position: VersionedWrite<Position>,
    ledger: readonly VersionedWrite<RiskLedgerEntry>[],
  ): Promise<'applied' | 'duplicate'> {
    return this.fills.applyFill(fill, position, ledger);
  }
  hasFill(fillId: string): Promise<boolean> {
    return this.fills.hasFill(fillId);
  }
  listFills(range: { readonly from: EpochMs; readonly to: EpochMs }): Promise<Fill[]> {
    return this.fills.listFills(range);
  }
  getPosition(market: Market, strategy: StrategyName | 'operator'): Promise<Position | undefined> {
    return this.fills.getPosition(market, strategy);
  }
  listPositions(): Promise<Position[]> {
    return this.fills.listPositions();
  }
  getLedgerEntry(periodKey: string): Promise<RiskLedgerEntry | undefined> {
    return this.fills.getLedgerEntry(periodKey);
  }
  putLedgerEntry(write: VersionedWrite<RiskLedgerEntry>): Promise<void> {
    return this.fills.putLedgerEntry(write);
  }

  getControl(): Promise<ControlState> {
    return this.control.getControl();
  }
  latchEmergency(latch: EmergencyLatch): Promise<{ outcome: LatchOutcome; latch: EmergencyLatch }> {
    return this.control.latchEmergency(latch);
  }
  releaseEmergency(release: LatchRelease, expected: EmergencyLatch): Promise<ReleaseOutcome> {
    return this.control.releaseEmergency(release, expected);
  }
  setTradingEnabled(enabled: boolean, actor: string, at: EpochMs): Promise<void> {
    return this.control.setTradingEnabled(enabled, actor, at);
  }
  setStrategyEnabled(strategy: StrategyName, enabled: boolean, actor: string, at: EpochMs): Promise<void> {
    return this.control.setStrategyEnabled(strategy, enabled, actor, at);
  }
  appendAudit(entry: AuditEntry): Promise<void> {
    return this.control.appendAudit(entry);
  }
  listAudit(options: { readonly limit: number }): Promise<AuditEntry[]> {
    return this.control.listAudit(options);
  }

  recordDecision(decision: Decision): Promise<'created' | 'duplicate'> {
    return this.decisions.recordDecision(decision);
  }
  getDecision(id: DecisionId): Promise<Decision | undefined> {
    return this.decisions.getDecision(id);
  }

  claimIdempotencyKey(request: IdempotencyClaimRequest): Promise<IdempotencyClaim> {
    return this.idempotency.claimIdempotencyKey(request);
  }
  completeIdempotencyKey(key: string, claimId: string, answer: StoredAnswer): Promise<boolean> {
    return this.idempotency.completeIdempotencyKey(key, claimId, answer);
  }
  releaseIdempotencyKey(key: string, claimId: string): Promise<boolean> {
    return this.idempotency.releaseIdempotencyKey(key, claimId);
  }
  getIdempotencyKey(key: string, now: EpochMs): Promise<IdempotencyRecord | undefined> {
    return this.idempotency.getIdempotencyKey(key, now);
  }
}
