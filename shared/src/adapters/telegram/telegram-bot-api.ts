import type { Secret } from '../../domain/security/secret';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';

/** The real Bot API; tests and the local stack point `baseUrl` at the fake (config `telegram.apiBaseUrl`). */
export const TELEGRAM_API_BASE_URL = 'https://api.telegram.org';

/** Options of {@link TelegramBotApi}. */
export interface TelegramBotApiOptions {
  readonly botToken: Secret;
  readonly baseUrl?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Per request (not for long polls, which add their own wait). */
  readonly timeoutMs?: number;
  /** Attempts per message, the first included. */
  readonly maxAttempts?: number;
  /** A `retry_after` longer than this is not waited for: the message is given up (and logged). */
  readonly maxRetryAfterMs?: number;
}

/** One incoming chat message of an update (the fields the bot uses). */
export interface TelegramMessage {
  readonly chatId: string;
  readonly text: string;
  readonly from?: string;
}

/** One update from `getUpdates` or a webhook. */
export interface TelegramUpdate {
  readonly updateId: number;
  readonly message?: TelegramMessage;
}

// A 4xx other than 429 (bad token, unknown chat, blocked bot) will not get better by retrying.
const GIVE_UP = -1;

/**
 * Reads the update fields the bot needs from Telegram's JSON, ignoring everything else (edited
 * messages, callbacks, channel posts). Undefined for a value that is not an update at all.
 */
export function parseUpdate(raw: unknown): TelegramUpdate | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const u = raw as { update_id?: unknown; message?: unknown };
  if (typeof u.update_id !== 'number' || !Number.isSafeInteger(u.update_id)) return undefined;
  const m = u.message as
    | { chat?: { id?: unknown }; text?: unknown; from?: { username?: unknown; id?: unknown } }
    | undefined;
  const chatId = m?.chat?.id;
  if (
    m === undefined ||
    (typeof chatId !== 'number' && typeof chatId !== 'string') ||
    typeof m.text !== 'string'
  )
    return { updateId: u.update_id };
  const from = typeof m.from?.username === 'string' ? `@${m.from.username}` : undefined;
  return {
    updateId: u.update_id,
    message: { chatId: String(chatId), text: m.text, ...(from === undefined ? {} : { from }) },
  };
}

/**
 * The few Bot API calls QTS makes: `sendMessage` with bounded retries (honouring `retry_after` up
 * to a cap, backing off on 5xx and network errors, giving up at once on other 4xx) and `getUpdates`
 * for the local long-polling loop. Failures are logged and reported as results, never thrown, so a
 * dead Telegram cannot stop the code that wanted to alert. The token is part of every URL, so URLs
 * are never logged.
 */
export class TelegramBotApi {
  constructor(private readonly options: TelegramBotApiOptions) {}

  private url(method: string): string {
    return `${this.options.baseUrl ?? TELEGRAM_API_BASE_URL}/bot${this.options.botToken.reveal()}/${method}`;
  }

  /** Sends a plain-text message; true when Telegram accepted it. */
  async sendMessage(chatId: string, text: string): Promise<boolean> {
    const attempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const wait = await this.trySend(chatId, text);
      if (wait === 0) return true;
      if (wait === GIVE_UP) return false;
      if (wait > (this.options.maxRetryAfterMs ?? 30_000)) {
        this.options.logger.warn('telegram asks to wait longer than allowed: message given up', {
          waitMs: wait,
        });
        return false;
      }
      if (attempt < attempts) await this.options.clock.sleep(wait);
    }
    return false;
  }

  /** 0 when delivered, GIVE_UP for a permanent refusal, otherwise how long to wait before retrying. */
  private async trySend(chatId: string, text: string): Promise<number> {
    try {
      const res = await fetch(this.url('sendMessage'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: chatId, text, disable_web_page_preview: true }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
      if (res.ok) {
        await res.body?.cancel();
        return 0;
      }
      const body = (await res.json().catch(() => ({}))) as {
        parameters?: { retry_after?: number };
        description?: string;
      };
      this.options.logger.warn('telegram rejected a message', {
        status: res.status,
        description: body.description ?? null,
      });
      if (res.status === 429) return Math.max(1, body.parameters?.retry_after ?? 1) * 1_000;
      return res.status >= 500 ? 1_000 : GIVE_UP;
    } catch (error) {
      this.options.logger.warn('telegram unreachable', { error: (error as Error).name });
      return 1_000;
    }
  }

  /**
   * Long-polls for updates after `offset` (Telegram confirms everything below it). Throws on
   * transport or API errors: the polling loop backs off and asks again.
   */
  async getUpdates(offset: number, waitSeconds: number, signal: AbortSignal): Promise<TelegramUpdate[]> {
    const timeout = AbortSignal.timeout((waitSeconds + 10) * 1_000);
    const res = await fetch(this.url('getUpdates'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offset, timeout: waitSeconds, allowed_updates: ['message'] }),
      signal: AbortSignal.any([signal, timeout]),
    });
    const body = (await res.json().catch(() => ({}))) as {
      ok?: boolean;
      result?: unknown;
      description?: string;
    };
    if (!res.ok || body.ok !== true || !Array.isArray(body.result))
      throw new Error(`getUpdates failed: HTTP ${res.status} ${body.description ?? ''}`.trim());
    return body.result.map(parseUpdate).filter((u): u is TelegramUpdate => u !== undefined);
  }
}
