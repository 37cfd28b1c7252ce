import type { EpochMs } from '../domain/time/epoch';

/** How loud an alert is; `critical` pages the operator (emergency stop, ban, invariant failure). */
export const AlertSeverity = { info: 'info', warning: 'warning', critical: 'critical' } as const;
/** One of {@link AlertSeverity}. */
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];

/**
 * An alert for the operator. Text comes in Korean (the default shown to users) and English; the
 * adapter picks the configured language. `key` lets adapters suppress repeats of the same condition.
 */
export interface Alert {
  readonly severity: AlertSeverity;
  readonly key: string;
  readonly at: EpochMs;
  readonly text: { readonly ko: string; readonly en: string };
}

/** Sends alerts (Telegram in production). Must not throw for delivery failures it can retry itself. */
export interface Notifier {
  notify(alert: Alert): Promise<void>;
}
