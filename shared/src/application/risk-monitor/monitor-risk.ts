import type { MarketRules } from '../../domain/market/market-rules';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { Clock } from '../../ports/clock';
import { type ComponentStatusStore, statusAgeMs } from '../../ports/component-status-store';
import type { FifoQueue } from '../../ports/decision-queue';
import type { EquityHistoryStore } from '../../ports/equity-history-store';
import type { MarketDataStore } from '../../ports/market-data-store';
import type { Notifier } from '../../ports/notifier';
import type { JsonValue } from '../../ports/report-store';
import type { StateStore } from '../../ports/state-store';
import { checkLossLimits, type LossCheckDeps, type LossCheckResult } from '../risk/check-loss-limits';
import {
  type ActiveCondition,
  conditionStateFrom,
  conditionStateJson,
  reconcileConditions,
} from './alert-conditions';
import {
  LOSS_CHECK_ACTOR,
  latchCommand,
  latchKey,
  releaseCommand,
  type SentCommand,
  sendControlCommand,
} from './executor-commands';
import { type ExposureSnapshot, exposureSnapshot } from './exposure-snapshot';
import {
  clearedText,
  equityStale,
  executorLost,
  executorUnhealthy,
  exposureOverLimit,
  LOSS_WARNING_USAGE,
  lossNearLimit,
  lossUsage,
  MonitorCondition,
} from './monitor-alerts';
import { monitorStatus } from './monitor-status';

/** Ports of the risk monitor. No trading venue: the cloud holds no exchange keys. */
export interface RiskMonitorDeps {
  readonly store: LossCheckDeps['store'] & Pick<StateStore, 'listActiveOrders'>;
  readonly equity: Pick<EquityHistoryStore, 'latestPoint'>;
  readonly status: Pick<ComponentStatusStore, 'getStatus' | 'putStatus'>;
  readonly marketData: Pick<MarketDataStore, 'latestCandles'>;
  readonly controlQueue: Pick<FifoQueue, 'send'>;
  readonly notifier: Notifier;
  readonly clock: Pick<Clock, 'now'>;
}

/** Thresholds of the monitor (config `monitor`). */
export interface MonitorSettings {
  /** Older executor heartbeats mean the executor is lost (it beats every 10 s). */
  readonly heartbeatStaleMs: number;
  /** Older equity is not used for the loss limits (it would judge the account on old prices). */
  readonly equityStaleMs: number;
  /** How often a lasting condition is alerted again. */
  readonly realertMs: number;
}

/** One run's inputs. */
export interface RiskMonitorInput {
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
  readonly settings: MonitorSettings;
  /** What started the run (logged and recorded in the status). */
  readonly cause: 'schedule' | 'fills' | 'manual';
}

/** What one run found and did. Steps that failed are in `problems`; the others still ran. */
export interface RiskMonitorResult {
  readonly at: EpochMs;
  /** Age of the executor's last heartbeat; undefined when it never reported. */
  readonly heartbeatAgeMs: number | undefined;
  readonly equityAgeMs: number | undefined;
  readonly loss: LossCheckResult | undefined;
  readonly exposure: ExposureSnapshot | undefined;
  readonly commands: readonly SentCommand[];
  readonly alerts: readonly string[];
  readonly problems: readonly string[];
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The risk function, every minute and after fills: executor heartbeat freshness, the KST loss limits
 * on the executor's latest equity (the existing `checkLossLimits`: a breach latches the emergency
 * stop, a rolled-over period may release it), the executor told over the control queue about every
 * latch the cloud set (once per latch state, remembered in this function's own status) and every
 * automatic release, exposure and VaR against the hard limits, and alerts for what is wrong — raised
 * once, repeated every `realertMs`, cleared with an all-clear. Each step runs even when another
 * failed; failures are returned in `problems` (the handler fails the invocation on them) and the
 * status records the run as unhealthy.
 */
export async function monitorRisk(
  deps: RiskMonitorDeps,
  input: RiskMonitorInput,
): Promise<RiskMonitorResult> {
  const now = deps.clock.now();
  const { settings } = input;
  const problems: string[] = [];
  const active = new Map<string, ActiveCondition>();
  const previous = await deps.status.getStatus('risk');
  const details = previous?.details ?? {};

  const executor = await deps.status.getStatus('executor');
  const heartbeatAgeMs = statusAgeMs(executor, now);
  const lost = heartbeatAgeMs === undefined || heartbeatAgeMs > settings.heartbeatStaleMs;
  if (lost) active.set(MonitorCondition.executorLost, executorLost(executor, now));
  else if (executor !== undefined && !executor.healthy)
    active.set(MonitorCondition.executorUnhealthy, executorUnhealthy(executor));

  const before = await deps.store.getControl();
  const point = await deps.equity.latestPoint();
  const equityAgeMs = point === undefined ? undefined : Math.max(0, now - point.at);
  let loss: LossCheckResult | undefined;
  if (point !== undefined && (equityAgeMs as number) <= settings.equityStaleMs) {
    try {
      // No venue: the latch is the cloud's to set; cancelling and selling is the executor's.
      loss = await checkLossLimits(
        { store: deps.store, notifier: deps.notifier, clock: deps.clock },
        { equity: point.equity, limits: input.limits, rules: input.rules },
      );
    } catch (error) {
      problems.push(`loss check: ${describe(error)}`);
    }
  } else if (!lost) active.set(MonitorCondition.equityStale, equityStale(point?.at, now));
  if (loss !== undefined && loss.status.breaches.length === 0) {
    const usage = lossUsage(loss.status, input.limits);
    if (Object.values(usage).some((u) => u >= LOSS_WARNING_USAGE))
      active.set(MonitorCondition.lossNearLimit, lossNearLimit(usage, now));
  }

  const commands: SentCommand[] = [];
  let toldLatch = typeof details.latchCommand === 'string' ? details.latchCommand : null;
  try {
    if (loss?.released === true && before.latch !== undefined) {
      const reason = loss.autoRelease?.release === true ? loss.autoRelease.reason : 'period roll-over';
      commands.push(
        await sendControlCommand(deps.controlQueue, releaseCommand(before.latch, reason, now), now),
      );
    }
    const latch = (await deps.store.getControl()).latch;
    if (latch !== undefined && latch.actor === LOSS_CHECK_ACTOR && toldLatch !== latchKey(latch)) {
      const command = latchCommand(latch, input.limits.emergency.flattenOnTrigger, now);
      commands.push(await sendControlCommand(deps.controlQueue, command, now));
      toldLatch = latchKey(latch);
    }
  } catch (error) {
    problems.push(`control queue: ${describe(error)}`);
  }

  let exposure: ExposureSnapshot | undefined;
  try {
    exposure = await exposureSnapshot(deps.store, deps.marketData, input.limits, input.rules);
    const u = exposure.usage;
    if (u.total > 1 || u.strategy.max > 1 || u.market.max > 1 || u.positions.held > u.positions.limit)
      active.set(MonitorCondition.exposureOverLimit, exposureOverLimit(exposure, now));
  } catch (error) {
    problems.push(`exposure: ${describe(error)}`);
  }

  const prevConditions = conditionStateFrom(details.conditions as JsonValue | undefined);
  const outcome = reconcileConditions(prevConditions, active, now, settings.realertMs, clearedText);
  const conditions: Record<string, (typeof outcome.state)[string]> = { ...outcome.state };
  const alerts: string[] = [];
  for (const alert of outcome.alerts) {
    try {
      await deps.notifier.notify(alert);
      alerts.push(alert.key);
    } catch (error) {
      problems.push(`alert ${alert.key}: ${describe(error)}`);
      // Not remembered as alerted: the next run tries again.
      const base = alert.key.endsWith(':cleared') ? alert.key.slice(0, -':cleared'.length) : alert.key;
      if (base === alert.key) delete conditions[base];
      else if (prevConditions[base] !== undefined) conditions[base] = prevConditions[base];
    }
  }

  const result = { at: now, heartbeatAgeMs, equityAgeMs, loss, exposure, commands, alerts, problems };
  await deps.status.putStatus(
    monitorStatus(result, input, { conditions: conditionStateJson(conditions), latchCommand: toldLatch }),
  );
  return result;
}

/** Milliseconds in the monitor's default thresholds, for the config defaults and tests. */
export const DEFAULT_MONITOR_SETTINGS: MonitorSettings = {
  heartbeatStaleMs: 60 * MS.second,
  equityStaleMs: 3 * MS.minute,
  realertMs: 30 * MS.minute,
};
