import { createHash } from 'node:crypto';
import type { ChatCommand } from '../../application/alerts/chat-commands';
import {
  errorResponse,
  type HttpRequest,
  type HttpResponse,
  jsonResponse,
} from '../../application/api/http-types';
import { tokenAuthenticator } from '../../application/emergency/operator-auth';
import { Secret } from '../../domain/security/secret';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import { parseUpdate, type TelegramBotApi, type TelegramUpdate } from './telegram-bot-api';

/** Answers one chat command (the application's `handleChatCommand` bound to its deps). */
export type ChatCommandHandler = (command: ChatCommand) => Promise<string | undefined>;

/**
 * The webhook's `secret_token` (Telegram sends it back in `X-Telegram-Bot-Api-Secret-Token`), derived
 * from the bot token so no extra secret has to be provisioned: register the webhook with
 * `setWebhook?url=…&secret_token=<this>`. Only A-Z a-z 0-9 _ - are allowed there; hex fits.
 */
export function webhookSecret(botToken: Secret): Secret {
  return new Secret(
    createHash('sha256').update(`qts-webhook:${botToken.reveal()}`).digest('hex').slice(0, 64),
  );
}

function toCommand(update: TelegramUpdate): ChatCommand | undefined {
  const m = update.message;
  if (m === undefined || !m.text.startsWith('/')) return undefined;
  return {
    updateId: update.updateId,
    chatId: m.chatId,
    text: m.text,
    ...(m.from === undefined ? {} : { from: m.from }),
  };
}

/**
 * The cloud's Telegram webhook (the API function routes `POST /telegram` here): checks the secret token in
 * constant time (401 otherwise, before the body is even parsed), handles the command and answers
 * with the reply as a `sendMessage` method call in the response body, which Telegram executes: no
 * outgoing call from the Lambda. Anything that is not a command is acknowledged with 200 and
 * ignored, so Telegram does not redeliver it.
 */
export function telegramWebhookHandler(options: {
  readonly secret: Secret;
  readonly handle: ChatCommandHandler;
  readonly logger: Logger;
}): (req: HttpRequest) => Promise<HttpResponse> {
  const check = tokenAuthenticator([{ actor: 'telegram-webhook', token: options.secret }]);
  return async (req) => {
    const presented = req.headers['x-telegram-bot-api-secret-token'] ?? '';
    if (
      req.method !== 'POST' ||
      (await check({ channel: 'telegram', token: new Secret(presented) })) === undefined
    )
      return errorResponse(401, 'unauthorized', 'not a Telegram webhook call for this bot');
    let update: TelegramUpdate | undefined;
    try {
      update = parseUpdate(JSON.parse(req.body ?? '') as unknown);
    } catch {
      update = undefined;
    }
    const command = update === undefined ? undefined : toCommand(update);
    if (command === undefined) return jsonResponse(200, {});
    const reply = await options.handle(command).catch((error: unknown) => {
      options.logger.error('telegram command failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    });
    return jsonResponse(
      200,
      reply === undefined ? {} : { method: 'sendMessage', chat_id: command.chatId, text: reply },
    );
  };
}

/** Options of {@link TelegramPoller}. */
export interface TelegramPollerOptions {
  readonly api: Pick<TelegramBotApi, 'getUpdates' | 'sendMessage'>;
  readonly handle: ChatCommandHandler;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Long-poll wait per request (Telegram allows up to 50 s). */
  readonly waitSeconds?: number;
}

/**
 * The local stack's Telegram commands: a `getUpdates` long-polling loop (no public URL needed). Each
 * update is confirmed by the next request's offset only after it was handled, so a crash re-reads
 * it; a command repeated that way acts once (its control command id is the update id). Errors back
 * off from 1 s to 60 s on the clock; `stop` ends a waiting poll at once.
 */
export class TelegramPoller {
  private readonly stopSignal = new AbortController();
  private running: Promise<void> | undefined;
  private offset = 0;

  constructor(private readonly options: TelegramPollerOptions) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopSignal.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { signal } = this.stopSignal;
    let backoff = 1_000;
    while (!signal.aborted) {
      try {
        const updates = await this.options.api.getUpdates(
          this.offset,
          this.options.waitSeconds ?? 25,
          signal,
        );
        for (const update of updates) {
          await this.handle(update);
          this.offset = Math.max(this.offset, update.updateId + 1);
        }
        backoff = 1_000;
      } catch (error) {
        if (signal.aborted) return;
        this.options.logger.warn('telegram getUpdates failed; retrying', {
          error: error instanceof Error ? error.message : String(error),
          retryInMs: backoff,
        });
        try {
          await this.options.clock.sleep(backoff, signal);
        } catch {
          return;
        }
        backoff = Math.min(60_000, backoff * 2);
      }
    }
  }

  private async handle(update: TelegramUpdate): Promise<void> {
    const command = toCommand(update);
    if (command === undefined) return;
    try {
      const reply = await this.options.handle(command);
      if (reply !== undefined) await this.options.api.sendMessage(command.chatId, reply);
    } catch (error) {
      this.options.logger.error('telegram command failed', {
        updateId: update.updateId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
