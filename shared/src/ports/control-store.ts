import type { EpochMs } from '../domain/time/epoch';
import type { EmergencyLatch, LatchRelease } from '../domain/trading/emergency';
import type { StrategyName } from '../domain/trading/strategy-name';
import type { AuditEntry } from './audit-log';

/** Runtime control flags shared by the functions, the executor and the dashboard. */
export interface ControlState {
  readonly latch?: EmergencyLatch;
  /** Operator switch (start/stop) independent of the emergency latch. */
  readonly tradingEnabled: boolean;
  /** Strategies switched off at runtime; absent = enabled per config. */
  readonly strategyEnabled: Readonly<Partial<Record<StrategyName, boolean>>>;
  readonly updatedAt: EpochMs;
}

/** Result of setting the latch. */
export type LatchOutcome = 'set' | 'escalated' | 'unchanged';

/**
 * Result of a release. `changed` means the stored latch is no longer the one the caller read and
 * decided about (a newer latch, or the same one escalated): nothing was cleared, so a trigger that
 * fired after the caller looked can never be released unseen.
 */
export type ReleaseOutcome = 'released' | 'not-latched' | 'changed';

/**
 * Control flags and the emergency latch. The latch is set-if-absent (a second trigger never
 * overwrites the first one's reason, it may only escalate `reducing` → `halted`), and a release both
 * clears it and writes an audit entry atomically. Every change is audited.
 */
export interface ControlStore {
  getControl(): Promise<ControlState>;
  latchEmergency(latch: EmergencyLatch): Promise<{ outcome: LatchOutcome; latch: EmergencyLatch }>;
  /**
   * Clears the latch the caller read (`expected`, compared field by field, so an escalation counts
   * as a different latch) and audits the release in the same write; `changed` when another latch is
   * stored now, `not-latched` when there is none. `expected` is required: releasing "whatever is
   * there" could clear a latch set after the operator looked, which nobody has seen.
   */
  releaseEmergency(release: LatchRelease, expected: EmergencyLatch): Promise<ReleaseOutcome>;
  setTradingEnabled(enabled: boolean, actor: string, at: EpochMs): Promise<void>;
  setStrategyEnabled(strategy: StrategyName, enabled: boolean, actor: string, at: EpochMs): Promise<void>;
}

/** Whether two latches are the same one in the same state; what a conditional release compares. */
export function isSameLatch(a: EmergencyLatch, b: EmergencyLatch): boolean {
  return (
    a.at === b.at &&
    a.state === b.state &&
    a.trigger === b.trigger &&
    a.reason === b.reason &&
    a.actor === b.actor
  );
}

/**
 * The audit entries every ControlStore writes. One builder per change, shared by the adapters, so
 * the memory fake and DynamoDB record identical entries: the dashboard and the auto-release rule
 * (which reads triggers back from the log) must not depend on which store is behind the port.
 */
export const ControlAudit = {
  /** Setting (`emergency_latch`) or escalating (`emergency_escalate`) the latch. */
  latch: (
    action: 'emergency_latch' | 'emergency_escalate',
    request: EmergencyLatch,
    stored: EmergencyLatch,
  ): AuditEntry => ({
    at: request.at,
    actor: request.actor,
    action,
    details: { state: stored.state, trigger: request.trigger, reason: request.reason },
  }),
  /** A release: who released, why, and what the latch had been. */
  release: (release: LatchRelease, released: EmergencyLatch): AuditEntry => ({
    at: release.at,
    actor: release.actor,
    action: 'emergency_release',
    details: {
      reason: release.reason,
      releasedState: released.state,
      releasedTrigger: released.trigger,
      releasedReason: released.reason,
    },
  }),
  /** The operator's start/stop switch. */
  tradingEnabled: (enabled: boolean, actor: string, at: EpochMs): AuditEntry => ({
    at,
    actor,
    action: 'trading_enabled',
    details: { enabled },
  }),
  /** A runtime strategy on/off toggle. */
  strategyEnabled: (strategy: StrategyName, enabled: boolean, actor: string, at: EpochMs): AuditEntry => ({
    at,
    actor,
    action: 'strategy_enabled',
    details: { strategy, enabled },
  }),
} as const;
