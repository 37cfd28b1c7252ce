import type { EpochMs } from '../domain/time/epoch';
import type { EmergencyLatch, LatchRelease } from '../domain/trading/emergency';
import type { StrategyName } from '../domain/trading/strategy-name';

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
 * Control flags and the emergency latch. The latch is set-if-absent (a second trigger never
 * overwrites the first one's reason, it may only escalate `reducing` → `halted`), and a release both
 * clears it and writes an audit entry atomically. Every change is audited.
 */
export interface ControlStore {
  getControl(): Promise<ControlState>;
  latchEmergency(latch: EmergencyLatch): Promise<{ outcome: LatchOutcome; latch: EmergencyLatch }>;
  /** Clears the latch; `not-latched` when there was nothing to release. */
  releaseEmergency(release: LatchRelease): Promise<'released' | 'not-latched'>;
  setTradingEnabled(enabled: boolean, actor: string, at: EpochMs): Promise<void>;
  setStrategyEnabled(strategy: StrategyName, enabled: boolean, actor: string, at: EpochMs): Promise<void>;
}
