import type { EpochMs } from '../../domain/time/epoch';
import type { Alert, AlertSeverity } from '../../ports/notifier';
import type { JsonValue } from '../../ports/report-store';

/** A condition the monitor watches (executor lost, exposure over a limit…), as found in this run. */
export interface ActiveCondition {
  readonly severity: AlertSeverity;
  readonly text: { readonly ko: string; readonly en: string };
  /** The instant the condition is about (e.g. the last heartbeat), so racing runs send the same alert. */
  readonly at: EpochMs;
}

/** What the previous run remembered of a condition (kept in the monitor's own component status). */
export interface ConditionMemory {
  readonly since: EpochMs;
  readonly lastAlertAt: EpochMs;
}

/** Condition memories by key, as stored in the status details. */
export type ConditionState = Readonly<Record<string, ConditionMemory>>;

/** The alerts to send this run and what to remember for the next. */
export interface ConditionOutcome {
  readonly alerts: readonly Alert[];
  readonly state: ConditionState;
}

/**
 * Turns "what is wrong now" into alerts without flooding the operator: a condition alerts when it
 * appears, again every `realertMs` while it lasts, and once more (info) when it clears. The monitor
 * runs every minute; without this memory a lost executor would page every minute all night.
 * `clearText` gives the all-clear message of a key.
 */
export function reconcileConditions(
  previous: ConditionState,
  active: ReadonlyMap<string, ActiveCondition>,
  now: EpochMs,
  realertMs: number,
  clearText: (key: string) => { readonly ko: string; readonly en: string },
): ConditionOutcome {
  const alerts: Alert[] = [];
  const state: Record<string, ConditionMemory> = {};
  for (const [key, condition] of active) {
    const before = previous[key];
    if (before === undefined) {
      alerts.push({ severity: condition.severity, key, at: condition.at, text: condition.text });
      state[key] = { since: now, lastAlertAt: now };
    } else if (now - before.lastAlertAt >= realertMs) {
      alerts.push({ severity: condition.severity, key, at: now, text: condition.text });
      state[key] = { since: before.since, lastAlertAt: now };
    } else state[key] = before;
  }
  for (const key of Object.keys(previous))
    if (!active.has(key))
      alerts.push({ severity: 'info', key: `${key}:cleared`, at: now, text: clearText(key) });
  return { alerts, state };
}

/** Reads condition memories back from status details, ignoring anything malformed. */
export function conditionStateFrom(details: JsonValue | undefined): ConditionState {
  if (details === null || typeof details !== 'object' || Array.isArray(details)) return {};
  const out: Record<string, ConditionMemory> = {};
  for (const [key, value] of Object.entries(details as Record<string, JsonValue>)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const { since, lastAlertAt } = value as Record<string, JsonValue>;
    if (typeof since === 'number' && typeof lastAlertAt === 'number')
      out[key] = { since: since as EpochMs, lastAlertAt: lastAlertAt as EpochMs };
  }
  return out;
}

/** Condition memories as status details JSON. */
export function conditionStateJson(state: ConditionState): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [key, m] of Object.entries(state)) out[key] = { since: m.since, lastAlertAt: m.lastAlertAt };
  return out;
}
