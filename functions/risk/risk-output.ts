import type { RiskMonitorResult } from '../../shared/src/application/risk-monitor/monitor-risk';
import { MS } from '../../shared/src/domain/time/epoch';
import type { MetricValue } from '../lib/emf-metrics';

/**
 * Heartbeat age reported when the executor never sent one: a day, far above any alarm threshold,
 * so "never" alarms like "long ago" (a missing metric would be ambiguous).
 */
export const NEVER_REPORTED_AGE_SECONDS = 86_400;

/** The custom metrics of one risk run: the executor heartbeat age alarm reads the first. */
export function riskMetrics(result: RiskMonitorResult): MetricValue[] {
  const age =
    result.heartbeatAgeMs === undefined ? NEVER_REPORTED_AGE_SECONDS : result.heartbeatAgeMs / MS.second;
  const metrics: MetricValue[] = [{ name: 'ExecutorHeartbeatAgeSeconds', value: age, unit: 'Seconds' }];
  if (result.exposure !== undefined)
    metrics.push({ name: 'ExposureUsagePercent', value: result.exposure.usage.total * 100, unit: 'Percent' });
  metrics.push({ name: 'RiskCheckProblems', value: result.problems.length, unit: 'Count' });
  return metrics;
}

/** The invocation's answer (also logged): what was found and done, no money details. */
export function riskResponse(result: RiskMonitorResult) {
  return {
    ok: result.problems.length === 0,
    at: result.at,
    heartbeatAgeMs: result.heartbeatAgeMs ?? null,
    equityAgeMs: result.equityAgeMs ?? null,
    breaches: result.loss?.status.breaches.map((b) => b.trigger) ?? [],
    latch:
      result.loss?.trigger === undefined
        ? null
        : { outcome: result.loss.trigger.outcome, ...result.loss.trigger.latch },
    released: result.loss?.released ?? false,
    commands: result.commands.map((c) => c.id),
    alerts: [...result.alerts],
    problems: [...result.problems],
  };
}
