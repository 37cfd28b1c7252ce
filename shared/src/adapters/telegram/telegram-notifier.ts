import { type AlertChannel, AlertDispatcher } from '../../application/alerts/alert-dispatcher';
import type { AlertLanguage } from '../../application/alerts/alert-format';
import type { Secret } from '../../domain/security/secret';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import { TelegramBotApi } from './telegram-bot-api';

/** Delivers formatted alerts to one chat through the Bot API. */
export class TelegramAlertChannel implements AlertChannel {
  constructor(
    private readonly api: Pick<TelegramBotApi, 'sendMessage'>,
    private readonly chatId: Secret,
  ) {}

  deliver(text: string): Promise<boolean> {
    return this.api.sendMessage(this.chatId.reveal(), text);
  }
}

/** Options of {@link TelegramNotifier} (config `telegram.*` plus the secrets). */
export interface TelegramNotifierOptions {
  readonly botToken: Secret;
  readonly chatId: Secret;
  readonly language: AlertLanguage;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Config `telegram.apiBaseUrl`; the real Bot API when absent. */
  readonly baseUrl?: string;
  /** The same alert again inside this window is dropped (default 5 minutes). */
  readonly repeatWindowMs?: number;
  /** Non-critical alerts per rolling minute (default 20, Telegram's own per-chat pace). */
  readonly maxPerMinute?: number;
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
}

/**
 * Alerts to a Telegram chat: the application's {@link AlertDispatcher} (dedup, rate limit, language,
 * never blocking the caller) over the Bot API with bounded retries. What the executor and the local
 * stack use as their Notifier; the cloud functions put alerts on the alert queue instead and the
 * alerts function dispatches them with the same class.
 */
export class TelegramNotifier extends AlertDispatcher {
  constructor(options: TelegramNotifierOptions) {
    const api = new TelegramBotApi({
      botToken: options.botToken,
      clock: options.clock,
      logger: options.logger,
      ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    });
    super({
      channel: new TelegramAlertChannel(api, options.chatId),
      clock: options.clock,
      logger: options.logger,
      language: options.language,
      dedupWindowMs: options.repeatWindowMs ?? 300_000,
      maxPerMinute: options.maxPerMinute ?? 20,
    });
  }
}
