import { type FakeTelegramServer, startFakeTelegram } from '../../../testing/fake-telegram-server';
import { describeNotifierContract } from '../../../testing/notifier-contract';
import { Secret } from '../../domain/security/secret';
import type { EpochMs } from '../../domain/time/epoch';
import type { Alert } from '../../ports/notifier';
import { MemoryLogger } from '../logging/json-logger';
import { ManualClock } from '../memory/manual-clock';
import { TelegramNotifier } from './telegram-notifier';

const TOKEN = '123456:SECRET-BOT-TOKEN';

function make(server: FakeTelegramServer, clock = new ManualClock(), language: 'ko' | 'en' = 'ko') {
  const logger = new MemoryLogger(clock);
  const notifier = new TelegramNotifier({
    botToken: new Secret(TOKEN),
    chatId: new Secret('42'),
    language,
    clock,
    logger,
    baseUrl: server.baseUrl,
  });
  return { notifier, logger, clock };
}

const alert = (key: string, severity: Alert['severity'] = 'warning', ko = '일일 손실 한도 초과'): Alert => ({
  severity,
  key,
  at: 0 as EpochMs,
  text: { ko, en: 'Daily loss limit breached' },
});

describeNotifierContract('TelegramNotifier over HTTP', async () => {
  const server = await startFakeTelegram();
  const { notifier } = make(server);
  return {
    notifier,
    delivered: async () => {
      await notifier.flush();
      return server.messages.map((m) => m.text);
    },
    close: () => server.close(),
  };
});

describe('TelegramNotifier', () => {
  let server: FakeTelegramServer;
  beforeEach(async () => {
    server = await startFakeTelegram();
  });
  afterEach(() => server.close());

  it('sends English when configured and addresses the configured chat', async () => {
    const { notifier } = make(server, new ManualClock(), 'en');
    await notifier.dispatch(alert('loss'));
    expect(server.messages).toEqual([{ token: TOKEN, chatId: '42', text: '⚠️ Daily loss limit breached' }]);
  });

  it('drops repeats of the same key inside the window; a critical alert with new text still goes out', async () => {
    const { notifier, clock } = make(server);
    expect(await notifier.dispatch(alert('loss'))).toBe('sent');
    expect(await notifier.dispatch(alert('loss'))).toBe('duplicate');
    expect(await notifier.dispatch(alert('halt', 'critical', '긴급 정지'))).toBe('sent');
    expect(await notifier.dispatch(alert('halt', 'critical', '긴급 정지'))).toBe('duplicate');
    expect(await notifier.dispatch(alert('halt', 'critical', '긴급 정지 격상'))).toBe('sent');
    expect(server.messages).toHaveLength(3);
    await clock.advance(300_001);
    expect(await notifier.dispatch(alert('loss'))).toBe('sent');
  });

  it('waits for retry_after on 429 and delivers, without ever logging the token', async () => {
    const { notifier, clock, logger } = make(server);
    server.failNext(1, 429);
    const sending = notifier.dispatch(alert('loss'));
    while (clock.pendingSleeps === 0) await new Promise((r) => setImmediate(r));
    await clock.advance(2000);
    expect(await sending).toBe('sent');
    expect(server.messages).toHaveLength(1);
    expect(logger.lines.join('\n')).not.toContain('SECRET-BOT-TOKEN');
    expect(logger.records()[0]).toMatchObject({ level: 'warn', status: 429 });
  });

  it('gives up on a permanent refusal without throwing, logs it, and tries again next time', async () => {
    const { notifier, logger } = make(server);
    server.failNext(1, 400);
    expect(await notifier.dispatch(alert('x'))).toBe('failed');
    expect(server.messages).toHaveLength(0);
    expect(logger.records().at(-1)).toMatchObject({ level: 'error', msg: 'alert not delivered' });
    expect(await notifier.dispatch(alert('x'))).toBe('sent');
  });

  it('never blocks the caller: notify returns before Telegram answers and flush waits for it', async () => {
    const { notifier, clock } = make(server);
    server.failNext(1, 429);
    await notifier.notify(alert('slow'));
    expect(server.messages).toHaveLength(0);
    while (clock.pendingSleeps === 0) await new Promise((r) => setImmediate(r));
    await clock.advance(2_000);
    await notifier.flush();
    expect(server.messages).toHaveLength(1);
  });

  it('survives an unreachable Telegram with bounded retries', async () => {
    const clock = new ManualClock();
    const logger = new MemoryLogger(clock);
    await server.close();
    const notifier = new TelegramNotifier({
      botToken: new Secret(TOKEN),
      chatId: new Secret('42'),
      language: 'ko',
      clock,
      logger,
      baseUrl: server.baseUrl,
      maxAttempts: 2,
    });
    const sending = notifier.dispatch(alert('down', 'critical'));
    while (clock.pendingSleeps === 0) await new Promise((r) => setImmediate(r));
    await clock.advance(1_000);
    expect(await sending).toBe('failed');
    expect(logger.records().filter((r) => r.msg === 'telegram unreachable')).toHaveLength(2);
    server = await startFakeTelegram();
  });
});
