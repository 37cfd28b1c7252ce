import type { EpochMs } from '../../domain/time/epoch';
import { toIsoUtc } from '../../domain/time/epoch';
import type { EmergencyLatch } from '../../domain/trading/emergency';
import type { AuditEntry } from '../../ports/audit-log';
import { type ComponentStatus, statusAgeMs } from '../../ports/component-status-store';
import type { ControlState } from '../../ports/control-store';
import type { ApiDeps } from './api-deps';

/** What the dashboard shows as the system's state; `stopped` is the operator's switch, the rest the latch. */
export type DisplayedTradingState = 'running' | 'stopped' | 'reducing' | 'halted';

/** The latch wins over the switch: a halted system is halted whatever the switch says. */
export function displayedTradingState(control: ControlState): DisplayedTradingState {
  if (control.latch !== undefined) return control.latch.state;
  return control.tradingEnabled ? 'running' : 'stopped';
}

/** A latch as JSON, time also as ISO text. */
export function latchJson(latch: EmergencyLatch | undefined): unknown {
  return latch === undefined ? null : { ...latch, atIso: toIsoUtc(latch.at) };
}

function componentJson(status: ComponentStatus | undefined, now: EpochMs, staleMs: number) {
  if (status === undefined)
    return { reported: false, at: null, ageMs: null, healthy: null, stale: true, summary: null };
  const ageMs = statusAgeMs(status, now) ?? 0;
  return {
    reported: true,
    at: status.at,
    ageMs,
    healthy: status.healthy,
    stale: ageMs > staleMs,
    summary: status.summary,
    details: status.details,
  };
}

function auditJson(entry: AuditEntry) {
  return { ...entry, atIso: toIsoUtc(entry.at) };
}

/**
 * `GET /api/status`: mode and exchange, the trading state with the latch (who, when, why), the
 * executor's heartbeat age (stale past `heartbeatStaleMs`: the dashboard shows it as lost), when the
 * analysis last ran, every component's last report and the latest audit entries.
 */
export async function statusView(deps: ApiDeps): Promise<unknown> {
  const now = deps.clock.now();
  const [control, statuses, audit] = await Promise.all([
    deps.store.getControl(),
    deps.statuses.listStatuses(),
    deps.store.listAudit({ limit: 8 }),
  ]);
  const byName = new Map(statuses.map((s) => [s.component, s]));
  const stale = deps.settings.heartbeatStaleMs;
  const analysis = byName.get('analysis');
  return {
    serverTime: now,
    mode: deps.settings.mode,
    exchange: deps.settings.exchange,
    markets: deps.settings.markets,
    tradingState: displayedTradingState(control),
    tradingEnabled: control.tradingEnabled,
    latch: latchJson(control.latch),
    strategyToggles: control.strategyEnabled,
    executor: componentJson(byName.get('executor'), now, stale),
    lastAnalysisAt: analysis?.at ?? null,
    components: statuses.map((s) => ({ component: s.component, ...componentJson(s, now, stale) })),
    audit: audit.map(auditJson),
  };
}
