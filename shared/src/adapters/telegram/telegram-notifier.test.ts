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

const alert = (key: string, severity: Alert['severity'] = 'warning'): Alert => ({
  severity,
  key,
  at: 0 as EpochMs,
  text: { ko: '일일 손실 한도 초과', en: 'Daily loss limit breached' },
});

describeNotifierContract('TelegramNotifier over HTTP', async () => {
  const server = await startFakeTelegram();
  const { notifier } = make(server);
  return { notifier, delivered: async () => server.messages.map((m) => m.text), close: () => server.close() };
});

describe('TelegramNotifier', () => {
  let server: FakeTelegramServer;
  beforeEach(async () => {
    server = await startFakeTelegram();
  });
  afterEach(() => server.close());

  it('sends English when configured and addresses the configured chat', async () => {
    const { notifier } = make(server, new ManualClock(), 'en');
    await notifier.notify(alert('loss'));
    expect(server.messages).toEqual([{ token: TOKEN, chatId: '42', text: '⚠️ Daily loss limit breached' }]);
  });

  it('drops repeats of the same key inside the window but never drops critical alerts', async () => {
    const { notifier, clock } = make(server);
    await notifier.notify(alert('loss'));
    await notifier.notify(alert('loss'));
    await notifier.notify(alert('halt', 'critical'));
    await notifier.notify(alert('halt', 'critical'));
    expect(server.messages).toHaveLength(3);
    await clock.advance(300_001);
    await notifier.notify(alert('loss'));
    expect(server.messages).toHaveLength(4);
  });

  it('waits for retry_after on 429 and delivers, without ever logging the token', async () => {
    const { notifier, clock, logger } = make(server);
    server.failNext(1, 429);
    const sending = notifier.notify(alert('loss'));
    while (clock.pendingSleeps === 0) await new Promise((r) => setImmediate(r));
    await clock.advance(2000);
    await sending;
    expect(server.messages).toHaveLength(1);
    expect(logger.lines.join('\n')).not.toContain('SECRET-BOT-TOKEN');
    expect(logger.records()[0]).toMatchObject({ level: 'warn', status: 429 });
  });

  it('gives up on a permanent refusal without throwing and logs an error', async () => {
    const { notifier, logger } = make(server);
    server.failNext(5, 400);
    await expect(notifier.notify(alert('x'))).resolves.toBeUndefined();
    expect(server.messages).toHaveLength(0);
    expect(logger.records().at(-1)).toMatchObject({ level: 'error', msg: 'telegram alert not delivered' });
  });
});
