import fc from 'fast-check';
import { MemoryLogger } from '../../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { decodeAlert } from '../../shared/src/application/alerts/alert-codec';
import {
  type AlertChannel,
  AlertDispatcher,
  handleAlertMessage,
} from '../../shared/src/application/alerts/alert-dispatcher';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Alert } from '../../shared/src/ports/notifier';

class RecordingChannel implements AlertChannel {
  readonly texts: string[] = [];
  up = true;
  async deliver(text: string): Promise<boolean> {
    if (!this.up) return false;
    this.texts.push(text);
    return true;
  }
}

function setup(options: { dedupWindowMs?: number; maxPerMinute?: number; language?: 'ko' | 'en' } = {}) {
  const clock = new ManualClock();
  const channel = new RecordingChannel();
  const logger = new MemoryLogger(clock);
  const dispatcher = new AlertDispatcher({
    channel,
    clock,
    logger,
    language: options.language ?? 'ko',
    dedupWindowMs: options.dedupWindowMs ?? 300_000,
    maxPerMinute: options.maxPerMinute ?? 3,
  });
  return { clock, channel, logger, dispatcher };
}

const alert = (key: string, severity: Alert['severity'] = 'warning', suffix = ''): Alert => ({
  severity,
  key,
  at: 0 as EpochMs,
  text: { ko: `경고 ${key}${suffix}`, en: `warning ${key}${suffix}` },
});

describe('AlertDispatcher (manual clock)', () => {
  it('deduplicates by key within the window and lets the key through again after it', async () => {
    const { dispatcher, clock, channel } = setup({ dedupWindowMs: 60_000, maxPerMinute: 100 });
    expect(await dispatcher.dispatch(alert('heartbeat'))).toBe('sent');
    await clock.advance(59_999);
    expect(await dispatcher.dispatch(alert('heartbeat', 'warning', ' (다른 본문)'))).toBe('duplicate');
    await clock.advance(1);
    expect(await dispatcher.dispatch(alert('heartbeat'))).toBe('sent');
    expect(channel.texts).toEqual(['⚠️ 경고 heartbeat', '⚠️ 경고 heartbeat']);
  });

  it('rate limits non-critical alerts per rolling minute, never critical ones, and reports the drops', async () => {
    const { dispatcher, clock, channel, logger } = setup({ maxPerMinute: 3 });
    for (const k of ['a', 'b', 'c']) expect(await dispatcher.dispatch(alert(k))).toBe('sent');
    expect(await dispatcher.dispatch(alert('d'))).toBe('rate_limited');
    expect(await dispatcher.dispatch(alert('e', 'info'))).toBe('rate_limited');
    expect(await dispatcher.dispatch(alert('stop', 'critical'))).toBe('sent');
    expect(logger.records().filter((r) => r.msg === 'alert dropped: rate limit')).toHaveLength(2);
    // The next message that goes out says how many were dropped, once.
    expect(channel.texts.at(-1)).toBe('🚨 경고 stop\n(이전 알림 2건은 전송 한도로 생략됨)');
    expect(await dispatcher.dispatch(alert('f'))).toBe('rate_limited');
    await clock.advance(60_000);
    expect(await dispatcher.dispatch(alert('f'))).toBe('sent');
    expect(channel.texts.at(-1)).toBe('⚠️ 경고 f\n(이전 알림 1건은 전송 한도로 생략됨)');
    expect(await dispatcher.dispatch(alert('g'))).toBe('sent');
    expect(channel.texts.at(-1)).toBe('⚠️ 경고 g');
  });

  it('forgets a failed delivery so the next occurrence is tried again, and keeps the drop count', async () => {
    const { dispatcher, channel } = setup();
    channel.up = false;
    expect(await dispatcher.dispatch(alert('x', 'critical'))).toBe('failed');
    channel.up = true;
    expect(await dispatcher.dispatch(alert('x', 'critical'))).toBe('sent');
  });

  it('cuts texts to Telegram’s limit', async () => {
    const { dispatcher, channel } = setup();
    await dispatcher.dispatch({ ...alert('long'), text: { ko: '가'.repeat(5_000), en: 'x' } });
    expect(channel.texts[0]?.length).toBeLessThanOrEqual(4_003);
    expect(channel.texts[0]?.endsWith('…')).toBe(true);
  });

  it('property: never more than maxPerMinute non-critical messages in any rolling minute', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
            gap: fc.integer({ min: 0, max: 30_000 }),
          }),
          {
            maxLength: 60,
          },
        ),
        fc.integer({ min: 1, max: 5 }),
        async (events, max) => {
          const { dispatcher, clock } = setup({ maxPerMinute: max, dedupWindowMs: 1_000 });
          const sent: number[] = [];
          for (const e of events) {
            await clock.advance(e.gap);
            if ((await dispatcher.dispatch(alert(e.key))) === 'sent') sent.push(clock.now());
          }
          for (const at of sent)
            expect(sent.filter((t) => t > at - 60_000 && t <= at).length).toBeLessThanOrEqual(max);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('alert queue messages', () => {
  const sample: Alert = {
    severity: 'critical',
    key: 'emergency:instant_drop',
    at: 1_764_000_000_000 as EpochMs,
    text: { ko: '긴급 정지', en: 'Emergency stop' },
  };

  it('decode JSON.stringify(alert) back to the same alert', () => {
    expect(decodeAlert(JSON.stringify(sample))).toEqual({ ok: true, message: sample });
  });

  it('decode bodies whose emoji were written as JSON \\u escapes (what SQS-safe producers send)', () => {
    const withEmoji = { ...sample, text: { ko: '📊 일일 리포트', en: '📊 Daily report' } };
    const escaped = JSON.stringify(withEmoji).replace(/[\u{10000}-\u{10FFFF}]/gu, (c) =>
      [...Array(c.length).keys()].map((i) => `\\u${c.charCodeAt(i).toString(16)}`).join(''),
    );
    expect(escaped).not.toContain('📊');
    expect(decodeAlert(escaped)).toEqual({ ok: true, message: withEmoji });
  });

  it('refuse anything else with a reason naming the field', () => {
    expect(decodeAlert('nope')).toMatchObject({ ok: false, reason: expect.stringContaining('not JSON') });
    expect(decodeAlert(JSON.stringify({ ...sample, severity: 'panic' }))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('severity'),
    });
    expect(decodeAlert(JSON.stringify({ ...sample, extra: 1 }))).toMatchObject({ ok: false });
    expect(decodeAlert(JSON.stringify({ ...sample, text: { ko: '', en: 'x' } }))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('text.ko'),
    });
  });

  it('handleAlertMessage dispatches valid bodies and returns the reason for poison ones', async () => {
    const { dispatcher, channel } = setup();
    expect(await handleAlertMessage(dispatcher, JSON.stringify(sample))).toBe('sent');
    expect(await handleAlertMessage(dispatcher, JSON.stringify(sample))).toBe('duplicate');
    expect(await handleAlertMessage(dispatcher, '{}')).toMatchObject({
      invalid: expect.stringContaining('severity'),
    });
    expect(channel.texts).toEqual(['🚨 긴급 정지']);
  });
});
