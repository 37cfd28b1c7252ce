import type { EpochMs } from '../domain/time/epoch';
import type { StrategyName } from '../domain/trading/strategy-name';
import type { AuditEntry } from './audit-log';

/** One parameter override value (params are numbers, timeframes and switches). */
export type ParamValue = number | string | boolean;

/**
 * Runtime settings of one strategy, layered over the configuration file: whether it runs, its
 * ensemble weight and parameter overrides. Changed from the dashboard without a redeploy.
 */
export interface StrategySettings {
  readonly strategy: StrategyName;
  readonly enabled: boolean;
  /** Ensemble weight in [0, 1]. */
  readonly weight: number;
  /** Overrides by parameter name; absent names keep the configured value. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Compare-and-set counter: 1 after the first write, +1 per change. */
  readonly version: number;
  readonly updatedAt: EpochMs;
  /** Who made the last change (kept in the audit log too). */
  readonly updatedBy: string;
}

/** A change as the dashboard submits it; the store assigns the version. */
export type StrategySettingsChange = Omit<StrategySettings, 'version'>;

/**
 * Runtime strategy settings with optimistic concurrency: a change names the version it was based on
 * (0 = none stored yet) and fails with `VersionConflictError` when someone changed the settings in
 * between, so two dashboards never overwrite each other silently. Every change is written together
 * with its audit entry (action `strategy_settings`).
 *
 * A strategy runs only if nothing switches it off: neither these settings nor the control item's
 * emergency toggle (`ControlStore.setStrategyEnabled`, driven by the control queue).
 */
export interface StrategySettingsStore {
  getStrategySettings(strategy: StrategyName): Promise<StrategySettings | undefined>;
  /** Every stored strategy's settings, in strategy-name order. */
  listStrategySettings(): Promise<StrategySettings[]>;
  /** Writes the change if the stored version is `expectedVersion`; returns the stored settings. */
  putStrategySettings(change: StrategySettingsChange, expectedVersion: number): Promise<StrategySettings>;
}

/**
 * Refuses settings no strategy could run with (weight outside [0, 1], non-finite numbers, blank
 * actor). Called by every store before writing, so a bad dashboard request fails loudly instead of
 * reaching the ensemble.
 */
export function checkStrategySettings(change: StrategySettingsChange): void {
  if (!Number.isFinite(change.weight) || change.weight < 0 || change.weight > 1)
    throw new RangeError(`strategy ${change.strategy}: weight must be within [0, 1], got ${change.weight}`);
  if (change.updatedBy.trim() === '') throw new RangeError(`strategy ${change.strategy}: updatedBy is blank`);
  for (const [name, value] of Object.entries(change.params))
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new RangeError(`strategy ${change.strategy}: parameter ${name} is not a finite number`);
}

/** The audit entry of a settings change: enough to see who changed what, params as JSON text. */
export function strategySettingsAudit(stored: StrategySettings): AuditEntry {
  return {
    at: stored.updatedAt,
    actor: stored.updatedBy,
    action: 'strategy_settings',
    details: {
      strategy: stored.strategy,
      enabled: stored.enabled,
      weight: stored.weight,
      version: stored.version,
      params: JSON.stringify(stored.params),
    },
  };
}
