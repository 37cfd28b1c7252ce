import type { EpochMs } from '../time/epoch';

/**
 * Trading states: `running` normally, `reducing` allows only risk-reducing orders, `halted` allows
 * none. The latch only moves towards `halted` until an explicit, authenticated release.
 */
export const TradingState = { running: 'running', reducing: 'reducing', halted: 'halted' } as const;
/** One of {@link TradingState}. */
export type TradingState = (typeof TradingState)[keyof typeof TradingState];

/** What tripped the emergency stop. */
export const EmergencyTrigger = {
  instantDrop: 'instant_drop',
  dailyLoss: 'daily_loss',
  weeklyLoss: 'weekly_loss',
  monthlyLoss: 'monthly_loss',
  manual: 'manual',
  invariant: 'invariant',
  exchangeFatal: 'exchange_fatal',
} as const;
/** One of {@link EmergencyTrigger}. */
export type EmergencyTrigger = (typeof EmergencyTrigger)[keyof typeof EmergencyTrigger];

/** A set emergency latch: persisted, survives restarts, cleared only by a release. */
export interface EmergencyLatch {
  readonly state: 'reducing' | 'halted';
  readonly trigger: EmergencyTrigger;
  readonly reason: string;
  readonly actor: string;
  readonly at: EpochMs;
}

/** Who released a latch, when and why (kept in the audit log). */
export interface LatchRelease {
  readonly actor: string;
  readonly reason: string;
  readonly at: EpochMs;
}
