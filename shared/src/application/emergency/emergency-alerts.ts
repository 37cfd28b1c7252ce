import type { EpochMs } from '../../domain/time/epoch';
import type { EmergencyLatch, EmergencyTrigger, LatchRelease } from '../../domain/trading/emergency';
import type { Alert } from '../../ports/notifier';

const TRIGGER_TEXT: Readonly<Record<EmergencyTrigger, { readonly ko: string; readonly en: string }>> = {
  instant_drop: { ko: '순간 급락 한도', en: 'instant drop limit' },
  daily_loss: { ko: '일일 손실 한도', en: 'daily loss limit' },
  weekly_loss: { ko: '주간 손실 한도', en: 'weekly loss limit' },
  monthly_loss: { ko: '월간 손실 한도', en: 'monthly loss limit' },
  manual: { ko: '수동 긴급 정지', en: 'manual emergency stop' },
  invariant: { ko: '실행기 불변 조건 위반', en: 'executor invariant failure' },
  exchange_fatal: { ko: '거래소 치명적 오류 반복', en: 'repeated fatal exchange errors' },
};

const STATE_TEXT = {
  reducing: { ko: '포지션 축소만 허용', en: 'reducing (only risk-reducing orders)' },
  halted: { ko: '전면 중지', en: 'halted (no orders at all)' },
} as const;

/** What the trigger use case did, for the alert text. */
export interface TriggerSummary {
  readonly cancelled: number;
  readonly cancelFailures: number;
  readonly flattenOrders: number;
  readonly flattenFailures: number;
  /**
   * Present when the trigger ran without a venue (a cloud function): the executor was asked over the
   * control queue to cancel open orders, and to sell holdings when `flatten` is true.
   */
  readonly delegated?: { readonly flatten: boolean };
}

/**
 * The critical alert for a set or escalated latch, Korean first (the users' language) and English.
 * It says what tripped, what the system now allows, what was done, and how to release — an operator
 * woken at night needs all four in one message.
 */
export function emergencyAlert(latch: EmergencyLatch, escalated: boolean, summary: TriggerSummary): Alert {
  const t = TRIGGER_TEXT[latch.trigger];
  const s = STATE_TEXT[latch.state];
  const koFlatten =
    summary.flattenOrders > 0 || summary.flattenFailures > 0
      ? ` 청산 주문 ${summary.flattenOrders}건 전송(실패 ${summary.flattenFailures}건).`
      : '';
  const enFlatten =
    summary.flattenOrders > 0 || summary.flattenFailures > 0
      ? ` Sent ${summary.flattenOrders} flattening sell(s) (${summary.flattenFailures} failed).`
      : '';
  const d = summary.delegated;
  const koOrders =
    d === undefined
      ? `미체결 주문 ${summary.cancelled}건 취소(실패 ${summary.cancelFailures}건).${koFlatten}`
      : `미체결 주문 ${d.flatten ? '취소와 보유 자산 청산을' : '취소를'} 실행기에 요청했습니다.`;
  const enOrders =
    d === undefined
      ? `Cancelled ${summary.cancelled} open order(s) (${summary.cancelFailures} failed).${enFlatten}`
      : `Asked the executor to cancel open orders${d.flatten ? ' and sell holdings' : ''}.`;
  return {
    severity: 'critical',
    key: `emergency:${latch.trigger}`,
    at: latch.at,
    text: {
      ko:
        `[긴급 정지${escalated ? ' 격상' : ''}] ${t.ko} — 상태: ${s.ko}. 사유: ${latch.reason} (요청자 ${latch.actor}). ` +
        `${koOrders} ` +
        '해제는 인증된 운영자의 release 명령으로만 가능합니다.',
      en:
        `[EMERGENCY STOP${escalated ? ' ESCALATED' : ''}] ${t.en} — state: ${s.en}. Reason: ${latch.reason} (by ${latch.actor}). ` +
        `${enOrders} ` +
        'Only an authenticated operator release clears it.',
    },
  };
}

/** The alert for a cleared latch: who released it and why, so every operator sees it happened. */
export function releaseAlert(released: EmergencyLatch, release: LatchRelease): Alert {
  const t = TRIGGER_TEXT[released.trigger];
  return {
    severity: 'warning',
    key: 'emergency:release',
    at: release.at,
    text: {
      ko: `[긴급 정지 해제] ${t.ko} 정지가 해제되었습니다. 해제자: ${release.actor}. 사유: ${release.reason}. 거래가 재개됩니다.`,
      en: `[EMERGENCY STOP RELEASED] The ${t.en} stop was released by ${release.actor}. Reason: ${release.reason}. Trading resumes.`,
    },
  };
}

/** The alert for a refused release attempt (wrong or missing credentials): possibly an intrusion. */
export function refusedReleaseAlert(channel: string, at: EpochMs): Alert {
  return {
    severity: 'warning',
    key: 'emergency:release_refused',
    at,
    text: {
      ko: `[경고] ${channel} 경로의 긴급 정지 해제 요청이 인증 실패로 거부되었습니다.`,
      en: `[WARNING] An emergency release request via ${channel} was refused: authentication failed.`,
    },
  };
}
