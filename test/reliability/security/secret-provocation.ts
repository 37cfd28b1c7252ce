import { createServer } from 'node:net';
import { JsonLogger } from '../../../shared/src/adapters/logging/json-logger';
import { SystemClock } from '../../../shared/src/adapters/system/system-clock';
import { TelegramBotApi } from '../../../shared/src/adapters/telegram/telegram-bot-api';
import { TelegramPoller } from '../../../shared/src/adapters/telegram/telegram-commands';
import { TelegramNotifier } from '../../../shared/src/adapters/telegram/telegram-notifier';
import { createUpbitAdapters } from '../../../shared/src/adapters/upbit/upbit-adapters';
import { loadConfig, redactedConfig } from '../../../shared/src/config/load-config';
import { Secret } from '../../../shared/src/domain/security/secret';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import { startFakeExchange } from '../../../shared/src/fake-exchange/fake-exchange';
import { startFakeTelegram } from '../../../shared/testing/fake-telegram-server';
import { type CapturedLogs, FAKE_SECRETS } from '../lib/captured-logs';

/** A loopback port nothing listens on (connection refused). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * Drives the code paths most likely to print a secret into the log, with the campaign's fake
 * secrets and the production JSON logger: Telegram refusing and unreachable (the token is in every
 * URL), the Upbit client refused for its keys (the JWT is in every header), configuration refused
 * and printed with every secret set. The lines go to the captured logs the secret scan reads.
 */
export async function provokeSecretLeaks(logs: CapturedLogs): Promise<number> {
  const clock = new SystemClock();
  let lines = 0;
  const sink = logs.sink('security-provocation');
  const logger = new JsonLogger(
    (line) => {
      lines += 1;
      sink(line);
    },
    clock,
    'debug',
  );
  const telegram = await startFakeTelegram();
  try {
    const notifier = new TelegramNotifier({
      botToken: new Secret(FAKE_SECRETS.telegramBotToken),
      chatId: new Secret('424242'),
      language: 'en',
      clock,
      logger,
      baseUrl: telegram.baseUrl,
      maxAttempts: 2,
    });
    telegram.failNext(2, 500);
    await notifier.notify({
      severity: 'critical',
      key: 'p:1',
      at: clock.now() as EpochMs,
      text: { ko: '시험', en: 'test' },
    });
    telegram.failNext(1, 401);
    await notifier.notify({
      severity: 'critical',
      key: 'p:2',
      at: clock.now() as EpochMs,
      text: { ko: '시험', en: 'test 2' },
    });
    const dead = new TelegramBotApi({
      botToken: new Secret(FAKE_SECRETS.telegramBotToken),
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      clock,
      logger,
      maxAttempts: 1,
      timeoutMs: 2_000,
    });
    await dead.sendMessage('424242', 'unreachable');
    const poller = new TelegramPoller({
      api: dead,
      handle: async () => undefined,
      clock,
      logger,
      waitSeconds: 1,
    });
    poller.start();
    await new Promise((r) => setTimeout(r, 300));
    await poller.stop();
  } finally {
    await telegram.close();
  }
  // The Upbit client with keys the exchange does not know: every private call is refused.
  const fake = await startFakeExchange({ markets: ['KRW-BTC'], autoMarket: false, history: false });
  try {
    const upbit = createUpbitAdapters({
      restUrl: fake.restUrl,
      wsUrl: fake.wsUrl,
      clock,
      logger,
      credentials: {
        accessKey: FAKE_SECRETS.upbitAccessKey,
        secretKey: new Secret(FAKE_SECRETS.upbitSecretKey),
      },
    });
    for (const call of [() => upbit.venue?.getBalances(), () => upbit.venue?.listOpenOrders()])
      await Promise.resolve(call()).catch((error: unknown) => logger.error('upbit call refused', { error }));
    upbit.stream.subscribe({ myOrder: true });
    await upbit.stream.start().catch((error: unknown) => logger.error('private stream refused', { error }));
    await new Promise((r) => setTimeout(r, 300));
    await upbit.stream.stop();
  } finally {
    await fake.close();
  }
  // Configuration with every secret set: refused (live without confirmation), then printed.
  const env = {
    UPBIT_ACCESS_KEY: FAKE_SECRETS.upbitAccessKey,
    UPBIT_SECRET_KEY: FAKE_SECRETS.upbitSecretKey,
    QTS_API_TOKEN: FAKE_SECRETS.apiToken,
    TELEGRAM_BOT_TOKEN: FAKE_SECRETS.telegramBotToken,
    TELEGRAM_CHAT_ID: '424242',
  };
  try {
    loadConfig({ env: { ...env, QTS_MODE: 'live', QTS_EXCHANGE: 'upbit', QTS_LIVE_CONFIRM: 'no' } });
  } catch (error) {
    logger.error('configuration refused', { error });
  }
  const config = loadConfig({ env });
  logger.info('configuration', { config: redactedConfig(config), raw: config });
  return lines;
}
