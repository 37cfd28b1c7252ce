import type { EpochMs } from '../../domain/time/epoch';
import type { EmergencyLatch } from '../../domain/trading/emergency';
import type { Alert } from '../../ports/notifier';

/**
 * The operator alerts that the emergency use cases do not already build (those live in
 * emergency/emergency-alerts.ts: trigger, release, refused release). Korean first, English second;
 * every text says what happened, what the system does now and what the operator can do, because it
 * is read on a phone, maybe at night, without the dashboard at hand.
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

function minutes(ms: number): string {
  return (ms / 60_000).toFixed(1);
}

/**
 * The executor stopped reporting. Orders may still rest on the exchange with nobody watching them,
 * so the text tells the operator where to look; the risk function decides whether to latch as well.
 */
export function heartbeatLostAlert(lastSeenAt: EpochMs | undefined, at: EpochMs): Alert {
  const age = lastSeenAt === undefined ? undefined : at - lastSeenAt;
  return {
    severity: 'critical',
    key: 'executor:heartbeat_lost',
    at,
    text: {
      ko:
        age === undefined
          ? '[실행기 응답 없음] 실행기가 한 번도 상태를 보고하지 않았습니다. VM의 qts-executor 서비스를 확인하세요.'
          : `[실행기 응답 없음] 마지막 하트비트가 ${minutes(age)}분 전입니다. 거래소의 미체결 주문을 감시하는 프로세스가 없을 수 있습니다. VM의 qts-executor 서비스를 확인하세요.`,
      en:
        age === undefined
          ? '[EXECUTOR SILENT] The executor has never reported. Check the qts-executor service on the VM.'
          : `[EXECUTOR SILENT] Last heartbeat ${minutes(age)} min ago. Open orders on the exchange may be unwatched. Check the qts-executor service on the VM.`,
    },
  };
}

/** The executor's heartbeat is back after a loss. */
export function heartbeatRestoredAlert(at: EpochMs): Alert {
  return {
    severity: 'info',
    key: 'executor:heartbeat_restored',
    at,
    text: {
      ko: '[실행기 복구] 실행기 하트비트가 다시 수신됩니다.',
      en: '[EXECUTOR BACK] Heartbeats are arriving again.',
    },
  };
}

/** One difference the reconciler found between our books and the exchange's. */
export interface ReconciliationDiscrepancy {
  /** Market or currency, e.g. `KRW-BTC` or `KRW`. */
  readonly subject: string;
  /** What differs, in English (`balance 0.1 vs 0.12`, `order 9f… open on the exchange only`). */
  readonly detail: string;
}

/** The reconciler found our books and the exchange disagreeing. Lists at most five items. */
export function reconciliationAlert(discrepancies: readonly ReconciliationDiscrepancy[], at: EpochMs): Alert {
  const shown = discrepancies.slice(0, 5).map((d) => `${d.subject}: ${d.detail}`);
  const more = discrepancies.length - shown.length;
  return {
    severity: 'warning',
    key: 'executor:reconciliation',
    at,
    text: {
      ko: `[대사 불일치] 장부와 거래소 잔고/주문이 ${discrepancies.length}건 다릅니다. ${shown.join('; ')}${more > 0 ? ` 외 ${more}건` : ''}. 대시보드와 업비트 내역을 확인하세요.`,
      en: `[RECONCILIATION] ${discrepancies.length} difference(s) between our books and the exchange: ${shown.join('; ')}${more > 0 ? ` and ${more} more` : ''}. Check the dashboard and the Upbit history.`,
    },
  };
}

/**
 * A fatal exchange error (auth failure, revoked key, IP not allowed, ban). One is reported at once;
 * repeated ones trip the `exchange_fatal` stop, which alerts separately.
 */
export function fatalExchangeErrorAlert(code: string, message: string, at: EpochMs): Alert {
  return {
    severity: 'critical',
    key: `exchange:fatal:${code}`,
    at,
    text: {
      ko: `[거래소 치명적 오류] ${code}: ${message}. API 키, IP 허용 목록, 업비트 공지를 확인하세요. 반복되면 긴급 정지됩니다.`,
      en: `[EXCHANGE FATAL ERROR] ${code}: ${message}. Check the API key, its IP allow-list and Upbit notices. Repeats trip the emergency stop.`,
    },
  };
}

const PERIOD_TEXT = {
  day: { ko: '일일', en: 'daily' },
  week: { ko: '주간', en: 'weekly' },
  month: { ko: '월간', en: 'monthly' },
} as const;

/**
 * Early warning before a loss limit trips: `used` is the loss as a fraction of the limit (0.8 = 80 %
 * of the limit used). The breach itself is alerted by the emergency trigger.
 */
export function lossLimitWarningAlert(
  period: keyof typeof PERIOD_TEXT,
  lossPct: number,
  limitPct: number,
  at: EpochMs,
): Alert {
  const p = PERIOD_TEXT[period];
  const used = limitPct > 0 ? Math.round((lossPct / limitPct) * 100) : 0;
  return {
    severity: 'warning',
    key: `risk:loss_warning:${period}`,
    at,
    text: {
      ko: `[손실 경고] ${p.ko} 손실 ${lossPct.toFixed(2)}% — 한도 ${limitPct.toFixed(2)}%의 ${used}% 사용. 한도에 닿으면 긴급 정지됩니다.`,
      en: `[LOSS WARNING] ${p.en} loss ${lossPct.toFixed(2)} % — ${used} % of the ${limitPct.toFixed(2)} % limit used. Reaching it trips the emergency stop.`,
    },
  };
}
