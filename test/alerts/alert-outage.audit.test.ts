import { MemoryLogger } from '../../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import {
  type AlertChannel,
  AlertDispatcher,
  handleAlertMessage,
} from '../../shared/src/application/alerts/alert-dispatcher';
import { formatAlert } from '../../shared/src/application/alerts/alert-format';
import { emergencyAlert } from '../../shared/src/application/emergency/emergency-alerts';
import {
  clearedText,
  equityStale,
  executorLost,
} from '../../shared/src/application/risk-monitor/monitor-alerts';
import { loadConfig } from '../../shared/src/config/load-config';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import type { Alert } from '../../shared/src/ports/notifier';
import { aLatch, T0 } from '../../shared/testing/state-builders';

/**
 * Adversarial review (audit4) of the alert path: Korean by default and English on the toggle, and a
 * Telegram outage that neither blocks the caller nor loses an alert. The alerts function keeps an
 * alert on the queue only when the dispatcher answers `failed` (functions/alerts/handler.ts); every
 * other outcome is acknowledged, so an alert answered `rate_limited` is gone.
 */
const HANGUL = /[\uac00-\ud7a3]/;

/** A chat that is down until `upAt`, recording what it received. */
class FlakyChat implements AlertChannel {
  readonly delivered: string[] = [];
  constructor(
    private readonly clock: ManualClock,
    private readonly upAt: number,
  ) {}
  async deliver(text: string): Promise<boolean> {
    if (this.clock.now() < this.upAt) return false;
    this.delivered.push(text);
    return true;
  }
}

function warning(n: number): Alert {
  return {
    severity: 'warning',
    key: `analysis:stale:KRW-C${n}`,
    at: T0 as EpochMs,
    text: { ko: `[데이터 지연] 시장 ${n}`, en: `[STALE DATA] market ${n}` },
  };
}

/**
 * The SQS loop around the alerts function: visible messages arrive in batches of 10 (one invocation
 * each), handled in order; a `failed` one and everything after it in its batch come back after the
 * visibility timeout, and after 5 receives a message goes to the dead-letter queue (sqs.yml). Returns
 * the alerts acknowledged without delivery (lost) and the dead-lettered ones (kept, alarmed).
 */
async function drive(
  dispatcher: AlertDispatcher,
  clock: ManualClock,
  bodies: string[],
  visibilityMs: number,
) {
  let queue = bodies.map((body) => ({ body, receives: 0 }));
  const lost: string[] = [];
  const dead: string[] = [];
  while (queue.length > 0) {
    const back: typeof queue = [];
    for (let i = 0; i < queue.length; i += 10) {
      let failed = false;
      for (const m of queue.slice(i, i + 10)) {
        m.receives += 1;
        if (failed) {
          back.push(m);
          continue;
        }
        const outcome = await handleAlertMessage(dispatcher, m.body);
        if (outcome === 'failed') {
          failed = true;
          back.push(m);
        } else if (outcome === 'rate_limited') lost.push(m.body);
      }
    }
    queue = back.filter((m) => {
      if (m.receives < 5) return true;
      dead.push(m.body);
      return false;
    });
    await clock.advance(visibilityMs);
  }
  return { lost, dead };
}

describe('alerts: language and Telegram outages (audit4)', () => {
  it('is Korean by default and English with QTS_TELEGRAM__LANGUAGE=en; every producer fills both texts', () => {
    expect(loadConfig({ env: {} }).telegram.language).toBe('ko');
    expect(loadConfig({ env: { QTS_TELEGRAM__LANGUAGE: 'en' } }).telegram.language).toBe('en');
    const alerts: Alert[] = [
      emergencyAlert(aLatch(), false, {
        cancelled: 1,
        cancelFailures: 0,
        flattenOrders: 0,
        flattenFailures: 0,
      }),
      { key: 'executor:heartbeat_lost', ...executorLost(undefined, T0) },
      { key: 'risk:equity_stale', ...equityStale(undefined, T0) },
    ];
    alerts.push({ severity: 'info', key: 'c', at: T0, text: clearedText('executor:heartbeat_lost') });
    for (const a of alerts) {
      expect(formatAlert(a, 'ko')).toMatch(HANGUL);
      expect(formatAlert(a, 'en')).not.toMatch(HANGUL);
      expect(a.text.en.trim()).not.toBe('');
    }
  });

  // Found by the audit (fixed): the cloud's emergency alert without
  // flattening reads "미체결 주문 취소을 실행기에 요청했습니다": 취소 ends in a vowel, so the object
  // particle must be 를 (취소를). With flattening ("…청산을") it is right.
  it('the Korean emergency alert uses the right object particle (취소를, not 취소을)', () => {
    const summary = { cancelled: 0, cancelFailures: 0, flattenOrders: 0, flattenFailures: 0 };
    const alert = emergencyAlert(aLatch(), false, { ...summary, delegated: { flatten: false } });
    expect(alert.text.ko).not.toContain('취소을');
  });

  it('never blocks the caller on a chat that hangs, and caps what waits behind it', async () => {
    const clock = new ManualClock(T0);
    const logger = new MemoryLogger(clock);
    const hanging: AlertChannel = { deliver: () => new Promise<boolean>(() => undefined) };
    const dispatcher = new AlertDispatcher({
      channel: hanging,
      clock,
      logger,
      language: 'ko',
      dedupWindowMs: 300_000,
      maxPerMinute: 20,
      maxPending: 3,
    });
    for (let i = 0; i < 10; i++) await dispatcher.notify(warning(i));
    expect(
      logger.records().filter((r) => r.msg === 'alert dropped: too many waiting for delivery'),
    ).toHaveLength(7);
  });

  async function outage(count: number, upAfterMs: number) {
    const clock = new ManualClock(T0);
    const chat = new FlakyChat(clock, T0 + upAfterMs);
    const dispatcher = new AlertDispatcher({
      channel: chat,
      clock,
      logger: new MemoryLogger(clock),
      language: 'ko',
      dedupWindowMs: 300_000,
      maxPerMinute: 20,
    });
    const bodies = Array.from({ length: count }, (_, n) => JSON.stringify(warning(n)));
    // sqs.yml: AlertQueue VisibilityTimeout 180 s, maxReceiveCount 5.
    return { chat, ...(await drive(dispatcher, clock, bodies, 180 * MS.second)) };
  }

  it('a 5-minute outage: every alert is delivered once Telegram is back, none acknowledged unsent', async () => {
    const { chat, lost, dead } = await outage(15, 5 * MS.minute);
    expect([lost, dead]).toEqual([[], []]);
    expect(chat.delivered).toHaveLength(15);
    expect(chat.delivered.every((t) => HANGUL.test(t))).toBe(true);
  });

  it('a 2-hour outage: every alert ends in the dead-letter queue (alarmed), none acknowledged unsent', async () => {
    const { chat, lost, dead } = await outage(25, 2 * MS.hour);
    expect(lost).toEqual([]);
    expect(chat.delivered.length + dead.length).toBe(25);
    expect(dead.length).toBe(25);
  });
});
