import type { EpochMs } from '../../domain/time/epoch';
import type { EmergencyLatch } from '../../domain/trading/emergency';
import type { Alert } from '../../ports/notifier';

/**
 * The alerts of operator commands (the emergency use cases build the trigger, release and refused
 * release alerts in emergency/emergency-alerts.ts; the risk monitor and the executor build theirs).
 * Korean first, English second; every text says what happened, what the system does now and what
 * the operator can do, because it is read on a phone, maybe at night, without the dashboard at hand.
 */

const STATE_TEXT = {
  reducing: { ko: '포지션 축소만 허용', en: 'reducing (only risk-reducing orders)' },
  halted: { ko: '전면 중지', en: 'halted (no orders at all)' },
} as const;

/**
 * A manual stop latched from the API, Telegram or the CLI. The executor cancels the orders when the
 * control command arrives, so unlike the trigger alert this one cannot count them yet.
 */
export function operatorStopAlert(latch: EmergencyLatch, escalated: boolean, closeAll: boolean): Alert {
  const s = STATE_TEXT[latch.state];
  return {
    severity: 'critical',
    key: 'emergency:manual',
    at: latch.at,
    text: {
      ko:
        `[긴급 정지${escalated ? ' 격상' : ''}] 수동 긴급 정지 — 상태: ${s.ko}. 사유: ${latch.reason} (요청자 ${latch.actor}). ` +
        `실행기가 미체결 주문을 모두 취소합니다${closeAll ? '. 보유 포지션도 전량 청산합니다' : ''}. ` +
        '해제는 인증된 운영자의 release 명령으로만 가능합니다.',
      en:
        `[EMERGENCY STOP${escalated ? ' ESCALATED' : ''}] manual emergency stop — state: ${s.en}. Reason: ${latch.reason} (by ${latch.actor}). ` +
        `The executor cancels every open order${closeAll ? ' and sells every holding' : ''}. ` +
        'Only an authenticated operator release clears it.',
    },
  };
}

/** The operator's start/stop switch was flipped. */
export function tradingSwitchAlert(enabled: boolean, actor: string, at: EpochMs): Alert {
  return {
    severity: enabled ? 'info' : 'warning',
    key: `trading:${enabled ? 'start' : 'stop'}`,
    at,
    text: enabled
      ? {
          ko: `[거래 시작] ${actor} 님이 거래를 재개했습니다.`,
          en: `[TRADING STARTED] ${actor} switched trading on.`,
        }
      : {
          ko: `[거래 중지] ${actor} 님이 거래를 중지했습니다. 신규 진입은 없고 청산 주문만 허용됩니다.`,
          en: `[TRADING STOPPED] ${actor} switched trading off. No new positions; exits still work.`,
        },
  };
}
