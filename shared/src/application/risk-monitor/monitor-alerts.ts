import type { Decimal } from '../../domain/money/decimal';
import type { LossStatus } from '../../domain/risk/loss-ledger';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { ComponentStatus } from '../../ports/component-status-store';
import type { ActiveCondition } from './alert-conditions';
import type { ExposureSnapshot } from './exposure-snapshot';

/** The conditions the risk monitor alerts on, by key (also the alert keys). */
export const MonitorCondition = {
  executorLost: 'executor:heartbeat_lost',
  executorUnhealthy: 'executor:unhealthy',
  equityStale: 'risk:equity_stale',
  exposureOverLimit: 'risk:exposure_over_limit',
  lossNearLimit: 'risk:loss_near_limit',
} as const;

/** Share of a loss limit from which the monitor warns before the stop trips. */
export const LOSS_WARNING_USAGE = 0.8;

const LABEL: Readonly<Record<string, { readonly ko: string; readonly en: string }>> = {
  [MonitorCondition.executorLost]: { ko: '실행기 하트비트', en: 'executor heartbeat' },
  [MonitorCondition.executorUnhealthy]: { ko: '실행기 상태', en: 'executor health' },
  [MonitorCondition.equityStale]: { ko: '자산 평가 갱신', en: 'equity updates' },
  [MonitorCondition.exposureOverLimit]: { ko: '노출 한도', en: 'exposure limits' },
  [MonitorCondition.lossNearLimit]: { ko: '손실 한도 근접', en: 'loss close to a limit' },
};

const minutes = (ms: number): string => (ms / MS.minute).toFixed(1);
// Racing runs (schedule and fill events) in the same minute then send the identical alert, which the
// alert queue deduplicates.
const minuteOf = (at: EpochMs): EpochMs => (Math.floor(at / MS.minute) * MS.minute) as EpochMs;
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The all-clear text of a condition key. */
export function clearedText(key: string): { readonly ko: string; readonly en: string } {
  const label = LABEL[key] ?? { ko: key, en: key };
  return { ko: `[해소] ${label.ko} 정상으로 돌아왔습니다.`, en: `[CLEARED] ${label.en} back to normal.` };
}

/** Executor never reported, or its last heartbeat is older than the staleness threshold. */
export function executorLost(status: ComponentStatus | undefined, now: EpochMs): ActiveCondition {
  if (status === undefined)
    return {
      severity: 'critical',
      at: minuteOf(now),
      text: {
        ko: '[실행기 응답 없음] 실행기가 아직 한 번도 하트비트를 보내지 않았습니다. VM의 실행기 서비스를 확인하세요.',
        en: '[EXECUTOR HEARTBEAT LOST] The executor has never sent a heartbeat. Check the executor service on the VM.',
      },
    };
  const ago = minutes(now - status.at);
  return {
    severity: 'critical',
    at: status.at,
    text: {
      ko: `[실행기 응답 없음] 마지막 하트비트가 ${ago}분 전입니다 (${status.summary}). 주문과 체결 처리가 멈췄을 수 있습니다. VM의 실행기 서비스를 확인하세요.`,
      en: `[EXECUTOR HEARTBEAT LOST] Last heartbeat ${ago} min ago (${status.summary}). Orders and fills may not be processed. Check the executor service on the VM.`,
    },
  };
}

/** The executor is alive but says it is not healthy. */
export function executorUnhealthy(status: ComponentStatus): ActiveCondition {
  return {
    severity: 'warning',
    at: status.at,
    text: {
      ko: `[실행기 이상] 실행기가 비정상 상태를 보고했습니다: ${status.summary}`,
      en: `[EXECUTOR UNHEALTHY] The executor reports: ${status.summary}`,
    },
  };
}

/** The executor heartbeats but has not written equity: loss limits cannot be judged in the cloud. */
export function equityStale(lastAt: EpochMs | undefined, now: EpochMs): ActiveCondition {
  const since =
    lastAt === undefined
      ? { ko: '기록 없음', en: 'never recorded' }
      : {
          ko: `${minutes(now - lastAt)}분 전이 마지막`,
          en: `last ${minutes(now - lastAt)} min ago`,
        };
  return {
    severity: 'warning',
    at: lastAt ?? minuteOf(now),
    text: {
      ko: `[자산 평가 지연] 자산 평가가 갱신되지 않아(${since.ko}) 클라우드의 손실 한도 점검을 건너뜁니다. 실행기는 자체 점검을 계속합니다.`,
      en: `[EQUITY STALE] Equity is not being updated (${since.en}); the cloud loss-limit check is skipped. The executor keeps its own checks.`,
    },
  };
}

/** Exposure above a hard limit: the pre-trade checks should make this impossible, so it is critical. */
export function exposureOverLimit(snapshot: ExposureSnapshot, at: EpochMs): ActiveCondition {
  const u = snapshot.usage;
  const detail = `total ${pct(u.total)}, strategy ${u.strategy.name ?? '-'} ${pct(u.strategy.max)}, market ${u.market.name ?? '-'} ${pct(u.market.max)}, positions ${u.positions.held}/${u.positions.limit}`;
  return {
    severity: 'critical',
    at,
    text: {
      ko: `[노출 한도 초과] 한도 사용률: ${detail}. 사전 점검을 통과할 수 없는 상태이므로 실행기 로그와 포지션을 확인하세요.`,
      en: `[EXPOSURE OVER LIMIT] Limit usage: ${detail}. The pre-trade checks should prevent this: check the executor logs and positions.`,
    },
  };
}

/** Usage of each loss limit (loss / limit; ≥ 1 is a breach). */
export function lossUsage(status: LossStatus, limits: RiskLimits): Readonly<Record<string, number>> {
  const use = (loss: Decimal, limit: Decimal): number => Math.max(0, loss.div(limit).toNumber());
  return {
    instant: use(status.instantDrop, limits.loss.instantDrop),
    day: use(status.lossByPeriod.day, limits.loss.daily),
    week: use(status.lossByPeriod.week, limits.loss.weekly),
    month: use(status.lossByPeriod.month, limits.loss.monthly),
  };
}

/** A loss at {@link LOSS_WARNING_USAGE} or more of a limit, not yet breached. */
export function lossNearLimit(usage: Readonly<Record<string, number>>, at: EpochMs): ActiveCondition {
  const detail = Object.entries(usage)
    .map(([k, v]) => `${k} ${pct(v)}`)
    .join(', ');
  return {
    severity: 'warning',
    at,
    text: {
      ko: `[손실 한도 근접] 손실 한도 사용률: ${detail}. 한도에 도달하면 긴급 정지됩니다.`,
      en: `[LOSS CLOSE TO LIMIT] Loss-limit usage: ${detail}. Trading stops when a limit is reached.`,
    },
  };
}
