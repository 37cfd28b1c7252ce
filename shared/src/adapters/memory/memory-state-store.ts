import type { Market } from '../../domain/market/market-id';
import type { DecisionId, OrderIdentifier } from '../../domain/orders/identifiers';
import type { LocalOrder } from '../../domain/orders/local-order';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision } from '../../domain/trading/decision';
import type { EmergencyLatch, LatchRelease } from '../../domain/trading/emergency';
import type { Fill } from '../../domain/trading/fill';
import type { Position } from '../../domain/trading/position';
import type { RiskLedgerEntry } from '../../domain/trading/risk-ledger';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { AuditEntry } from '../../ports/audit-log';
import {
  ControlAudit,
  type ControlState,
  isSameLatch,
  type LatchOutcome,
  type ReleaseOutcome,
} from '../../ports/control-store';
import type { VersionedWrite } from '../../ports/fill-journal';
import type {
  IdempotencyClaim,
  IdempotencyClaimRequest,
  IdempotencyRecord,
  StoredAnswer,
} from '../../ports/idempotency-store';
import { VersionConflictError } from '../../ports/order-repository';
import type { StateStore } from '../../ports/state-store';
import { MemoryIdempotencyStore } from './memory-idempotency-store';

/** Order states that reconciliation still has to look at. */
const ACTIVE_STATES: ReadonlySet<string> = new Set(['pending', 'submitted', 'open']);

/** Options of {@link MemoryStateStore}. */
export interface MemoryStateStoreOptions {
  /** `tradingEnabled` before anyone has flipped the switch; the DynamoDB adapter uses the same default. */
  readonly defaultTradingEnabled?: boolean;
}

function positionKey(market: Market, strategy: StrategyName | 'operator'): string {
  return `${market}#${strategy}`;
}

/**
 * In-memory {@link StateStore} with the same semantics as the DynamoDB adapter (insert-if-absent,
 * version compare-and-set, all-or-nothing fills, set-if-absent latch with audit), so use cases and
 * the risk engine can be tested fast and deterministically. Every method checks all its conditions
 * before it mutates anything, and JavaScript runs it without interleaving, which makes each call
 * atomic exactly like a DynamoDB transaction.
 */
export class MemoryStateStore implements StateStore {
  private readonly orders = new Map<string, LocalOrder>();
  private readonly decisions = new Map<string, Decision>();
  private readonly fills: Fill[] = [];
  private readonly fillIds = new Set<string>();
  private readonly positions = new Map<string, Position>();
  private readonly ledger = new Map<string, RiskLedgerEntry>();
  private readonly audit: AuditEntry[] = [];
  private readonly idempotency = new MemoryIdempotencyStore();
  private control: ControlState;

  constructor(options: MemoryStateStoreOptions = {}) {
    this.control = {
      tradingEnabled: options.defaultTradingEnabled ?? true,
      strategyEnabled: {},
      updatedAt: 0 as EpochMs,
    };
  }

  async createOrder(order: LocalOrder): Promise<'created' | 'exists'> {
    if (this.orders.has(order.identifier)) return 'exists';
    this.orders.set(order.identifier, { ...order, version: 1 });
    return 'created';
  }

  async updateOrder(order: LocalOrder, expectedVersion: number): Promise<LocalOrder> {
    const stored = this.orders.get(order.identifier);
    if (stored === undefined || stored.version !== expectedVersion)
      throw new VersionConflictError(
        `order ${order.identifier}: expected version ${expectedVersion}, found ${stored?.version ?? 'none'}`,
      );
    const next: LocalOrder = { ...order, version: expectedVersion + 1 };
    this.orders.set(order.identifier, next);
    return next;
  }

  async getOrder(identifier: OrderIdentifier): Promise<LocalOrder | undefined> {
    return this.orders.get(identifier);
  }

  async getOrderByUuid(uuid: string): Promise<LocalOrder | undefined> {
    for (const order of this.orders.values()) if (order.uuid === uuid) return order;
    return undefined;
  }

  async listOrdersByDecision(decisionId: DecisionId): Promise<LocalOrder[]> {
    return [...this.orders.values()]
      .filter((o) => o.decisionId === decisionId)
      .sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
  }

  async listActiveOrders(): Promise<LocalOrder[]> {
    return [...this.orders.values()]
      .filter((o) => ACTIVE_STATES.has(o.state))
      .sort((a, b) => a.createdAt - b.createdAt || a.identifier.localeCompare(b.identifier));
  }

  async listOrdersRejectedSince(since: EpochMs): Promise<LocalOrder[]> {
    return [...this.orders.values()]
      .filter((o) => o.state === 'rejected' && o.updatedAt >= since)
      .sort((a, b) => a.updatedAt - b.updatedAt || a.identifier.localeCompare(b.identifier));
  }

  async recordDecision(decision: Decision): Promise<'created' | 'duplicate'> {
    if (this.decisions.has(decision.id)) return 'duplicate';
    this.decisions.set(decision.id, decision);
    return 'created';
  }

  async getDecision(id: DecisionId): Promise<Decision | undefined> {
    return this.decisions.get(id);
  }

  async applyFill(
    fill: Fill,
    position: VersionedWrite<Position>,
    ledger: readonly VersionedWrite<RiskLedgerEntry>[],
  ): Promise<'applied' | 'duplicate'> {
    if (this.fillIds.has(fill.fillId)) return 'duplicate';
    const posKey = positionKey(position.item.market, position.item.strategy);
    const storedPosition = this.positions.get(posKey);
    if ((storedPosition?.version ?? 0) !== position.expectedVersion)
      throw new VersionConflictError(
        `position ${posKey}: expected version ${position.expectedVersion}, found ${storedPosition?.version ?? 0}`,
      );
    for (const write of ledger) this.checkLedgerVersion(write);
    this.fillIds.add(fill.fillId);
    this.fills.push(fill);
    this.positions.set(posKey, { ...position.item, version: position.expectedVersion + 1 });
    for (const write of ledger)
      this.ledger.set(write.item.periodKey, { ...write.item, version: write.expectedVersion + 1 });
    return 'applied';
  }

  async hasFill(fillId: string): Promise<boolean> {
    return this.fillIds.has(fillId);
  }

  async listFills(range: { readonly from: EpochMs; readonly to: EpochMs }): Promise<Fill[]> {
    return this.fills
      .filter((f) => f.at >= range.from && f.at < range.to)
      .sort((a, b) => a.at - b.at || a.fillId.localeCompare(b.fillId));
  }

  async getPosition(market: Market, strategy: StrategyName | 'operator'): Promise<Position | undefined> {
    return this.positions.get(positionKey(market, strategy));
  }

  async listPositions(): Promise<Position[]> {
    return [...this.positions.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, position]) => position);
  }

  async getLedgerEntry(periodKey: string): Promise<RiskLedgerEntry | undefined> {
    return this.ledger.get(periodKey);
  }

  async putLedgerEntry(write: VersionedWrite<RiskLedgerEntry>): Promise<void> {
    this.checkLedgerVersion(write);
    this.ledger.set(write.item.periodKey, { ...write.item, version: write.expectedVersion + 1 });
  }

  async getControl(): Promise<ControlState> {
    return this.control;
  }

  async latchEmergency(latch: EmergencyLatch): Promise<{ outcome: LatchOutcome; latch: EmergencyLatch }> {
    const current = this.control.latch;
    if (current === undefined) {
      this.changeControl({ latch, updatedAt: latch.at }, ControlAudit.latch('emergency_latch', latch, latch));
      return { outcome: 'set', latch };
    }
    if (current.state === 'reducing' && latch.state === 'halted') {
      const escalated: EmergencyLatch = { ...current, state: 'halted' };
      this.changeControl(
        { latch: escalated, updatedAt: latch.at },
        ControlAudit.latch('emergency_escalate', latch, escalated),
      );
      return { outcome: 'escalated', latch: escalated };
    }
    return { outcome: 'unchanged', latch: current };
  }

  async releaseEmergency(release: LatchRelease, expected: EmergencyLatch): Promise<ReleaseOutcome> {
    const current = this.control.latch;
    if (current === undefined) return 'not-latched';
    if (!isSameLatch(current, expected)) return 'changed';
    const { latch: _released, ...rest } = this.control;
    this.control = rest;
    this.changeControl({ updatedAt: release.at }, ControlAudit.release(release, current));
    return 'released';
  }

  async setTradingEnabled(enabled: boolean, actor: string, at: EpochMs): Promise<void> {
    this.changeControl(
      { tradingEnabled: enabled, updatedAt: at },
      ControlAudit.tradingEnabled(enabled, actor, at),
    );
  }

  async setStrategyEnabled(
    strategy: StrategyName,
    enabled: boolean,
    actor: string,
    at: EpochMs,
  ): Promise<void> {
    const strategyEnabled = { ...this.control.strategyEnabled, [strategy]: enabled };
    this.changeControl(
      { strategyEnabled, updatedAt: at },
      ControlAudit.strategyEnabled(strategy, enabled, actor, at),
    );
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.audit.push(entry);
  }

  async listAudit(options: { readonly limit: number }): Promise<AuditEntry[]> {
    // Stable sort on a copy: equal instants keep insertion order, then the whole list is reversed.
    const ordered = this.audit
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => a.entry.at - b.entry.at || a.index - b.index)
      .reverse();
    return ordered.slice(0, Math.max(0, options.limit)).map((x) => x.entry);
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

  /** A control change and its audit entry, applied together (one synchronous step, so atomic). */
  private changeControl(change: Partial<ControlState>, audit: AuditEntry): void {
    this.control = { ...this.control, ...change };
    this.audit.push(audit);
  }

  private checkLedgerVersion(write: VersionedWrite<RiskLedgerEntry>): void {
    const stored = this.ledger.get(write.item.periodKey);
    if ((stored?.version ?? 0) !== write.expectedVersion)
      throw new VersionConflictError(
        `ledger ${write.item.periodKey}: expected version ${write.expectedVersion}, found ${stored?.version ?? 0}`,
      );
  }
}
