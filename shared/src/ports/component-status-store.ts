import type { EpochMs } from '../domain/time/epoch';
import type { JsonValue } from './report-store';

/** The components that report their health; the API, the dashboard and the risk function read them. */
export const ComponentName = {
  executor: 'executor',
  analysis: 'analysis',
  risk: 'risk',
  report: 'report',
} as const;
/** One of {@link ComponentName}. */
export type ComponentName = (typeof ComponentName)[keyof typeof ComponentName];

/** Every component name, in display order. */
export const COMPONENT_NAMES: readonly ComponentName[] = Object.values(ComponentName);

/**
 * The latest heartbeat or run record of one component. `details` is the component's own JSON (the
 * executor: mode, exchange, reconciled, open orders, WebSocket state; the analysis: markets analysed
 * and skipped, decisions sent), so adding a field never needs a schema change here.
 */
export interface ComponentStatus {
  readonly component: ComponentName;
  /** When the component wrote this status (its own clock). */
  readonly at: EpochMs;
  readonly healthy: boolean;
  /** Short human-readable state, e.g. `running`, `draining`, `reconciling`, `ok`, `3 markets stale`. */
  readonly summary: string;
  readonly details: { readonly [key: string]: JsonValue };
}

/**
 * Latest status per component (executor heartbeats every 10 s; functions record their last run).
 * A write older than the stored one is ignored (`stale`), so a delayed retry of an old heartbeat can
 * never make a dead executor look alive, nor hide a newer failure.
 */
export interface ComponentStatusStore {
  putStatus(status: ComponentStatus): Promise<'stored' | 'stale'>;
  getStatus(component: ComponentName): Promise<ComponentStatus | undefined>;
  /** Every component that has ever reported, in {@link COMPONENT_NAMES} order. */
  listStatuses(): Promise<ComponentStatus[]>;
}

/** Age of a status at `now`, or undefined when the component never reported. */
export function statusAgeMs(status: ComponentStatus | undefined, now: EpochMs): number | undefined {
  return status === undefined ? undefined : Math.max(0, now - status.at);
}
