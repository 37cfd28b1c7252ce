import type { EmergencyLatch } from '../../shared/src/domain/trading/emergency';
import { renderTable } from '../lib/table';
import type { OpsStatus, ReleaseResult, StopResult } from './ops-commands';

const iso = (at: number): string => new Date(at).toISOString();

function latchLine(latch: EmergencyLatch): string {
  return `${latch.state} since ${iso(latch.at)} by ${latch.actor} (${latch.trigger}): ${latch.reason}`;
}

/** `status` as JSON: epoch times also as ISO strings so scripts and humans read the same output. */
export function statusJson(status: OpsStatus): unknown {
  const { latch } = status.control;
  return {
    tradingState: status.tradingState,
    latch: latch === undefined ? null : { ...latch, atIso: iso(latch.at) },
    tradingEnabled: status.control.tradingEnabled,
    strategyEnabled: status.control.strategyEnabled,
    updatedAt: status.control.updatedAt,
    audit: status.audit.map((a) => ({ ...a, atIso: iso(a.at) })),
  };
}

/** `status` for a terminal: the latch first (the one thing an operator must not miss), then the trail. */
export function statusText(status: OpsStatus): string {
  const { control } = status;
  const toggles = Object.entries(control.strategyEnabled)
    .map(([name, on]) => `${name}=${on ? 'on' : 'off'}`)
    .join(', ');
  const lines = [
    `Trading state:    ${status.tradingState.toUpperCase()}`,
    `Emergency latch:  ${control.latch === undefined ? 'none' : latchLine(control.latch)}`,
    `Trading switch:   ${control.tradingEnabled ? 'enabled' : 'disabled'}`,
    `Strategy toggles: ${toggles === '' ? 'none (all as configured)' : toggles}`,
    '',
  ];
  if (status.audit.length === 0) lines.push('Audit log: empty');
  else {
    lines.push('Latest audit entries (newest first):');
    const rows = status.audit.map((a) => [
      iso(a.at),
      a.actor,
      a.action,
      Object.entries(a.details)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' '),
    ]);
    lines.push(renderTable(['at (UTC)', 'actor', 'action', 'details'], rows));
  }
  return `${lines.join('\n')}\n`;
}

const OUTCOME_TEXT = {
  set: 'Emergency latch SET',
  escalated: 'Emergency latch ESCALATED',
  unchanged: 'Emergency latch already set (unchanged)',
} as const;

/** Result of `emergency-stop` / `close-all` for a terminal. */
export function stopText(result: StopResult): string {
  const lines = [
    `${OUTCOME_TEXT[result.outcome]}: ${latchLine(result.latch)}`,
    `Control command ${result.command.kind} enqueued for the executor (id ${result.command.id}).`,
  ];
  if (result.warning !== undefined) lines.push(`Warning: ${result.warning}`);
  return `${lines.join('\n')}\n`;
}

/** Result of `release` for a terminal (refusals go to stderr, see ops.ts). */
export function releaseText(result: Extract<ReleaseResult, { ok: true }>): string {
  return [
    `Emergency latch RELEASED by ${result.release.actor} at ${iso(result.release.at)}: ${result.release.reason}`,
    `Was: ${latchLine(result.released)}`,
    result.command === undefined
      ? `Warning: ${result.warning ?? 'the executor was not told; it sees the release at its next state poll'}`
      : `Control command ${result.command.kind} enqueued for the executor (id ${result.command.id}).`,
    '',
  ].join('\n');
}

/** `strategy` for a terminal: one row per strategy. */
export function strategiesText(
  strategies: readonly {
    name: string;
    enabled: boolean;
    weight: number;
    version: number;
    updatedBy: string | null;
  }[],
): string {
  return `${renderTable(
    ['strategy', 'trading', 'weight', 'version', 'changed by'],
    strategies.map((s) => [
      s.name,
      s.enabled ? 'on' : 'off',
      String(s.weight),
      String(s.version),
      s.updatedBy ?? '-',
    ]),
  )}\n`;
}
