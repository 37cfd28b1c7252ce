import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import type { Alert, Notifier } from '../../ports/notifier';
import { decodeAlert } from './alert-codec';
import { type AlertLanguage, formatAlert } from './alert-format';

/**
 * Where formatted alerts go (a Telegram chat). `deliver` retries on its own within a bounded budget
 * and resolves false when it gave up; it must not throw.
 */
export interface AlertChannel {
  deliver(text: string): Promise<boolean>;
}

/** Options of {@link AlertDispatcher}. */
export interface AlertDispatcherOptions {
  readonly channel: AlertChannel;
  readonly clock: Pick<Clock, 'now'>;
  readonly logger: Logger;
  /** Config `telegram.language`. */
  readonly language: AlertLanguage;
  /** The same alert again inside this window is dropped (config `telegram.dedupWindowSeconds`). */
  readonly dedupWindowMs: number;
  /** Non-critical alerts sent per rolling minute at most (config `telegram.maxPerMinute`). */
  readonly maxPerMinute: number;
  /** Alerts waiting behind a slow channel in {@link AlertDispatcher.notify}; beyond it they are dropped. */
  readonly maxPending?: number;
}

/** What happened to one alert. */
export type DispatchOutcome = 'sent' | 'duplicate' | 'rate_limited' | 'failed';

const MINUTE_MS = 60_000;

/**
 * The operator's alert stream with two guards against floods, and a promise never to hold up the
 * caller's trading logic:
 * - dedup: an alert whose identity was sent within `dedupWindowMs` is dropped. The identity is the
 *   key for info and warning alerts (a condition that persists is told once per window) and key plus
 *   text for critical ones (an escalation under the same key still goes out; the same stop reported
 *   by two components does not);
 * - rate limit: at most `maxPerMinute` info/warning alerts per rolling minute; the next message sent
 *   says how many were dropped. Critical alerts are never rate limited (they are latch-gated and rare).
 * A failed delivery is logged and forgotten by the dedup, so the next occurrence tries again.
 */
export class AlertDispatcher implements Notifier {
  private readonly sentAt = new Map<string, number>();
  private recent: number[] = [];
  private suppressed = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private readonly options: AlertDispatcherOptions) {}

  /**
   * Fire and forget for in-process producers (executor, local stack): queues the alert behind any
   * still being delivered and returns at once; never throws. Past `maxPending` waiting alerts the
   * new one is dropped with a log line rather than piling up behind a dead channel.
   */
  async notify(alert: Alert): Promise<void> {
    if (this.pending >= (this.options.maxPending ?? 100)) {
      this.options.logger.error('alert dropped: too many waiting for delivery', { alertKey: alert.key });
      return;
    }
    this.pending += 1;
    this.tail = this.tail
      .then(() => this.dispatch(alert))
      .catch(() => undefined)
      .finally(() => {
        this.pending -= 1;
      });
  }

  /** Resolves when every alert queued by {@link notify} has been handled (tests, Lambda before returning). */
  async flush(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }

  /** Sends one alert through the guards and waits for the outcome (the alert queue consumer's call). */
  async dispatch(alert: Alert): Promise<DispatchOutcome> {
    const { clock, logger, language } = this.options;
    const now = clock.now();
    this.forgetBefore(now);
    const identity = alert.severity === 'critical' ? `${alert.key}\u0000${alert.text[language]}` : alert.key;
    if (this.sentAt.has(identity)) {
      logger.info('alert dropped: duplicate inside the dedup window', { alertKey: alert.key });
      return 'duplicate';
    }
    if (alert.severity !== 'critical' && this.recent.length >= this.options.maxPerMinute) {
      this.suppressed += 1;
      logger.warn('alert dropped: rate limit', { alertKey: alert.key, severity: alert.severity });
      return 'rate_limited';
    }
    this.sentAt.set(identity, now);
    if (alert.severity !== 'critical') this.recent.push(now);
    const suppressed = this.suppressed;
    let delivered = false;
    try {
      delivered = await this.options.channel.deliver(formatAlert(alert, language, suppressed));
    } catch {
      delivered = false;
    }
    if (!delivered) {
      this.sentAt.delete(identity);
      logger.error('alert not delivered', { alertKey: alert.key, severity: alert.severity });
      return 'failed';
    }
    this.suppressed -= suppressed;
    return 'sent';
  }

  private forgetBefore(now: number): void {
    for (const [identity, at] of this.sentAt)
      if (now - at >= this.options.dedupWindowMs || at > now) this.sentAt.delete(identity);
    this.recent = this.recent.filter((at) => now - at < MINUTE_MS && at <= now);
  }
}

/** What the alert queue consumer did with one message. */
export type AlertMessageOutcome = DispatchOutcome | { readonly invalid: string };

/**
 * The alert queue consumer's use case (the `alerts` Lambda wraps it): decode the body, which is
 * exactly `JSON.stringify(alert)`, and dispatch it. A body that is not an alert is returned as
 * `invalid` with the reason, for the dead-letter queue; a delivery failure is an outcome, not an
 * exception, because retrying it through the queue would hold back later alerts of the same key.
 */
export async function handleAlertMessage(
  dispatcher: AlertDispatcher,
  body: string,
): Promise<AlertMessageOutcome> {
  const decoded = decodeAlert(body);
  if (!decoded.ok) return { invalid: decoded.reason };
  return dispatcher.dispatch(decoded.message);
}
