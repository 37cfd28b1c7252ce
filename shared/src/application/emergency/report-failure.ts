import { fatalErrorsTrip } from '../../domain/risk/emergency-state';
import type { EmergencyPolicy } from '../../domain/risk/risk-limits';
import type { EpochMs } from '../../domain/time/epoch';
import {
  type EmergencyDeps,
  type TriggerEmergencyInput,
  type TriggerEmergencyResult,
  triggerEmergency,
} from './trigger-emergency';

/**
 * Sliding window of fatal exchange errors (auth failures, bans, revoked keys). One process keeps one
 * monitor; it is memory only on purpose: after a restart the reconciler's first call decides afresh,
 * and a tripped stop is already persisted by the latch.
 */
export class FatalErrorMonitor {
  private times: EpochMs[] = [];

  constructor(private readonly policy: EmergencyPolicy) {}

  /** Records one fatal error at `at`; true when the window now holds enough to trip the stop. */
  record(at: EpochMs): boolean {
    this.times = this.times.filter((t) => t <= at && at - t < this.policy.fatalErrorWindowMs);
    this.times.push(at);
    return fatalErrorsTrip(this.times, at, this.policy);
  }

  /** Errors currently inside the window (for health reporting). */
  get count(): number {
    return this.times.length;
  }
}

/** Shared inputs of the failure reports (what a trigger needs besides its reason). */
export type FailureReportInput = Omit<TriggerEmergencyInput, 'trigger' | 'reason' | 'actor' | 'periodKey'> & {
  /** Component reporting, recorded as `system:<component>`. */
  readonly component: string;
};

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Reports a fatal exchange error; trips the `exchange_fatal` stop once the policy's threshold is
 * reached inside its window (one 401 can be a clock skew blip, three in five minutes is not).
 */
export async function reportFatalExchangeError(
  deps: EmergencyDeps,
  monitor: FatalErrorMonitor,
  error: unknown,
  input: FailureReportInput,
): Promise<TriggerEmergencyResult | undefined> {
  const now = deps.clock.now();
  if (!monitor.record(now)) return undefined;
  const { component, ...rest } = input;
  return triggerEmergency(deps, {
    ...rest,
    trigger: 'exchange_fatal',
    reason: `${monitor.count} fatal exchange errors within ${input.limits.emergency.fatalErrorWindowMs / 1000} s; last: ${describe(error)}`,
    actor: `system:${component}`,
  });
}

/**
 * Reports a broken executor invariant (oversold position, fill for an unknown order, exposure above a
 * hard limit after the fact): always trips at once, `halted` by default, because the system's own
 * view can no longer be trusted.
 */
export async function reportInvariantFailure(
  deps: EmergencyDeps,
  error: unknown,
  input: FailureReportInput,
): Promise<TriggerEmergencyResult> {
  const { component, ...rest } = input;
  return triggerEmergency(deps, {
    ...rest,
    trigger: 'invariant',
    reason: `invariant failure: ${describe(error)}`,
    actor: `system:${component}`,
  });
}
