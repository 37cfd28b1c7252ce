import type { AuditLog } from './audit-log';
import type { ControlStore } from './control-store';
import type { DecisionLog } from './decision-log';
import type { FillJournal } from './fill-journal';
import type { IdempotencyStore } from './idempotency-store';
import type { OrderRepository } from './order-repository';

/**
 * All durable trading state behind one port (one DynamoDB table in the cloud, memory in tests).
 * Split into role interfaces so a use case can ask for only what it needs.
 */
export interface StateStore
  extends OrderRepository,
    FillJournal,
    ControlStore,
    AuditLog,
    DecisionLog,
    IdempotencyStore {}
