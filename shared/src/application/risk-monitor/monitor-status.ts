import type { ComponentStatus } from '../../ports/component-status-store';
import type { JsonValue } from '../../ports/report-store';
import { lossUsage } from './monitor-alerts';
import type { RiskMonitorInput, RiskMonitorResult } from './monitor-risk';

const round = (x: number, digits = 6): number => {
  const f = 10 ** digits;
  return Number.isFinite(x) ? Math.round(x * f) / f : 0;
};

function summaryOf(result: RiskMonitorResult): string {
  const trigger = result.loss?.trigger;
  if (trigger !== undefined) return `latched: ${trigger.latch.trigger} (${trigger.outcome})`;
  if (result.problems.length > 0) return `${result.problems.length} step(s) failed`;
  if (result.alerts.length > 0) return `alerted: ${result.alerts.join(', ')}`;
  return 'ok';
}

/**
 * The risk function's own status for the dashboard and the next run: what it measured (heartbeat age,
 * loss-limit usage, exposure usage, VaR), the commands it sent, and `memory` — the alert conditions
 * and the last latch the executor was told about, which the next run reads back.
 */
export function monitorStatus(
  result: RiskMonitorResult,
  input: RiskMonitorInput,
  memory: { readonly conditions: { [key: string]: JsonValue }; readonly latchCommand: string | null },
): ComponentStatus {
  const exposure = result.exposure;
  const loss = result.loss;
  const details: { [key: string]: JsonValue } = {
    cause: input.cause,
    heartbeatAgeMs: result.heartbeatAgeMs ?? null,
    equityAgeMs: result.equityAgeMs ?? null,
    lossUsage:
      loss === undefined
        ? null
        : Object.fromEntries(
            Object.entries(lossUsage(loss.status, input.limits)).map(([k, v]) => [k, round(v)]),
          ),
    rolled: loss === undefined ? [] : [...loss.rolled],
    exposureUsage:
      exposure === undefined
        ? null
        : {
            total: round(exposure.usage.total),
            strategy: round(exposure.usage.strategy.max),
            market: round(exposure.usage.market.max),
            positions: exposure.usage.positions.held,
          },
    var95Krw:
      exposure === undefined
        ? null
        : {
            historical: round(exposure.report.historical.portfolio.var, 0),
            parametric: round(exposure.report.parametric.portfolio.var, 0),
            unmeasured: [...exposure.report.unmeasured],
          },
    commands: result.commands.map((c) => c.id),
    alerts: [...result.alerts],
    problems: [...result.problems],
    conditions: memory.conditions,
    latchCommand: memory.latchCommand,
  };
  return {
    component: 'risk',
    at: result.at,
    healthy: result.problems.length === 0,
    summary: summaryOf(result),
    details,
  };
}
