import { type AlertChannel, AlertDispatcher } from '../../application/alerts/alert-dispatcher';
import type { AlertLanguage } from '../../application/alerts/alert-format';
import { type ChatCommandDeps, handleChatCommand } from '../../application/alerts/chat-commands';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import { SecretName, type SecretsProvider } from '../../ports/secrets';
import { TelegramBotApi } from './telegram-bot-api';
import { TelegramPoller } from './telegram-commands';
import { TelegramAlertChannel } from './telegram-notifier';

/** The `telegram` section of the config. */
export interface TelegramSettings {
  readonly language: AlertLanguage;
  readonly apiBaseUrl: string;
  readonly commands: boolean;
  readonly dedupWindowSeconds: number;
  readonly maxPerMinute: number;
}

/** Writes alerts to the log when no chat is configured (paper runs, a fresh local stack). */
export class LogAlertChannel implements AlertChannel {
  constructor(private readonly logger: Logger) {}

  async deliver(text: string): Promise<boolean> {
    this.logger.warn('alert (Telegram not configured)', { text });
    return true;
  }
}

/** What {@link startTelegram} gives the composition root. */
export interface TelegramRuntime {
  /** Every alert goes here: to the chat when configured, else to the log; deduplicated and rate limited either way. */
  readonly notifier: AlertDispatcher;
  /** True when a bot token and chat id are configured. */
  readonly connected: boolean;
  /** Stops the command loop (if any) and waits for queued alerts. */
  stop(): Promise<void>;
}

/**
 * Telegram for a long-running process (the local stack, the executor): an alert dispatcher on the
 * configured chat, and, when `poll` and `telegram.commands` are on, the long-polling command loop
 * for `/status`, `/stop`, `/emergency` from that chat only. Without `TELEGRAM_BOT_TOKEN` and
 * `TELEGRAM_CHAT_ID` alerts go to the log, so nothing is lost silently. (The cloud uses the webhook
 * instead of polling: see telegram-commands.ts.)
 */
export async function startTelegram(options: {
  readonly settings: TelegramSettings;
  readonly secrets: SecretsProvider;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Answer commands by long polling (never in the cloud, which has the webhook). */
  readonly poll: boolean;
  readonly commands: Omit<ChatCommandDeps, 'allowedChatId' | 'enabled' | 'language' | 'logger' | 'clock'>;
}): Promise<TelegramRuntime> {
  const { settings, clock, logger } = options;
  const [token, chatId] = await Promise.all([
    options.secrets.get(SecretName.telegramBotToken),
    options.secrets.get(SecretName.telegramChatId),
  ]);
  const api =
    token === undefined
      ? undefined
      : new TelegramBotApi({ botToken: token, baseUrl: settings.apiBaseUrl, clock, logger });
  const connected = api !== undefined && chatId !== undefined;
  if (!connected)
    logger.info('Telegram is not configured (TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID): alerts go to the log');
  const notifier = new AlertDispatcher({
    channel: connected ? new TelegramAlertChannel(api, chatId) : new LogAlertChannel(logger),
    clock,
    logger,
    language: settings.language,
    dedupWindowMs: settings.dedupWindowSeconds * 1_000,
    maxPerMinute: settings.maxPerMinute,
  });
  const poller =
    connected && options.poll && settings.commands
      ? new TelegramPoller({
          api,
          clock,
          logger,
          handle: (command) =>
            handleChatCommand(
              {
                ...options.commands,
                allowedChatId: chatId,
                enabled: true,
                language: settings.language,
                logger,
                clock,
              },
              command,
            ),
        })
      : undefined;
  poller?.start();
  return {
    notifier,
    connected,
    stop: async () => {
      await poller?.stop();
      await notifier.flush();
    },
  };
}
