import type { Secret } from '../../domain/security/secret';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import type { Alert, AlertSeverity, Notifier } from '../../ports/notifier';

/** Options for {@link TelegramNotifier}. */
export interface TelegramNotifierOptions {
  readonly botToken: Secret;
  readonly chatId: Secret;
  readonly language: 'ko' | 'en';
  readonly clock: Clock;
  readonly logger: Logger;
  /** Overridable for tests; the real API otherwise. */
  readonly baseUrl?: string;
  /** Repeats of the same alert key inside this window are dropped (critical alerts always go out). */
  readonly repeatWindowMs?: number;
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
}

// A 4xx other than 429 (bad token, unknown chat) will not get better by retrying.
const GIVE_UP = -1;

const ICON: Readonly<Record<AlertSeverity, string>> = { info: 'ℹ️', warning: '⚠️', critical: '🚨' };

/**
 * Alerts to a Telegram chat through the Bot API. Delivery failures are logged, retried a few times
 * (honouring Telegram's `retry_after`), and never thrown: an alert outage must not stop trading
 * safety logic that called it. The bot token is part of the URL, so URLs are never logged.
 */
export class TelegramNotifier implements Notifier {
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly options: TelegramNotifierOptions) {}

  async notify(alert: Alert): Promise<void> {
    const now = this.options.clock.now();
    const last = this.lastSent.get(alert.key);
    if (
      alert.severity !== 'critical' &&
      last !== undefined &&
      now - last < (this.options.repeatWindowMs ?? 300_000)
    )
      return;
    this.lastSent.set(alert.key, now);
    const text = `${ICON[alert.severity]} ${alert.text[this.options.language]}`;
    const attempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const wait = await this.send(text);
      if (wait === 0) return;
      if (wait === GIVE_UP) break;
      if (attempt < attempts) await this.options.clock.sleep(wait);
    }
    this.options.logger.error('telegram alert not delivered', {
      alertKey: alert.key,
      severity: alert.severity,
    });
  }

  /** Returns 0 when delivered, GIVE_UP for a permanent refusal, otherwise how long to wait before retrying. */
  private async send(text: string): Promise<number> {
    const base = this.options.baseUrl ?? 'https://api.telegram.org';
    try {
      const res = await fetch(`${base}/bot${this.options.botToken.reveal()}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: this.options.chatId.reveal(), text, disable_web_page_preview: true }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      if (res.ok) return 0;
      const body = (await res.json().catch(() => ({}))) as {
        parameters?: { retry_after?: number };
        description?: string;
      };
      this.options.logger.warn('telegram rejected an alert', {
        status: res.status,
        description: body.description ?? null,
      });
      if (res.status === 429) return (body.parameters?.retry_after ?? 1) * 1000;
      return res.status >= 500 ? 1000 : GIVE_UP;
    } catch (error) {
      this.options.logger.warn('telegram unreachable', { error: (error as Error).name });
      return 1000;
    }
  }
}
