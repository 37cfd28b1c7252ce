import type { EpochMs } from '../../domain/time/epoch';
import type { Alert } from '../../ports/notifier';

/**
 * The alerts of operator commands that the emergency use cases do not build (those build the stop,
 * release and refused-release alerts in emergency/emergency-alerts.ts; the risk monitor and the
 * executor build theirs).
 * Korean first, English second; every text says what happened, what the system does now and what
 * the operator can do, because it is read on a phone, maybe at night, without the dashboard at hand.
 */

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
