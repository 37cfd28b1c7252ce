import { createHash } from 'node:crypto';
import { TradingError } from '../../domain/errors/trading-error';
import type { FifoQueue } from '../../ports/decision-queue';
import type { Alert, Notifier } from '../../ports/notifier';

// SQS group and deduplication ids: 1–128 printable ASCII characters (letters, digits, punctuation).
const SQS_ID = /^[\x21-\x7e]{1,128}$/;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The FIFO group of an alert: its key (each condition in order, none blocking another), hashed when
 * the key is not a valid SQS id (non-ASCII, too long).
 */
export function alertGroupId(alert: Alert): string {
  return SQS_ID.test(alert.key) ? alert.key : `alert-${sha256(alert.key).slice(0, 40)}`;
}

/**
 * The deduplication id: a hash of everything the alert says, so a function retried after it already
 * sent an alert sends the identical alert again and SQS drops it (5-minute window), while two
 * different alerts of the same key and instant are never merged.
 */
export function alertDedupId(alert: Alert): string {
  return sha256([alert.severity, alert.key, String(alert.at), alert.text.ko, alert.text.en].join('\u0000'));
}

/**
 * `JSON.stringify(value)` with every character outside SQS's safe set written as a JSON `\u` escape:
 * SQS (and fauxqs even more strictly) refuses some code points in a message body, and alerts carry
 * emoji (📊, 🚨). `JSON.parse` gives back exactly the same value.
 */
export function sqsSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u{10000}-\u{10FFFF}\uFFFE\uFFFF]/gu, (c) => {
    let out = '';
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

/**
 * The {@link Notifier} of the cloud functions: puts the alert as JSON ({@link sqsSafeJson}) on the alert queue (SQS
 * FIFO); the alerts function turns it into a Telegram message with its own deduplication and rate
 * limit, so the producers hold no Telegram token. Built on the FifoQueue port, so it runs on SQS
 * and on the in-memory queue alike. The queue adapter already retried transient failures; what is
 * left (queue unreachable, misconfigured) is thrown as a classified TradingError, and callers that
 * must not fail on a lost alert (the emergency stop) catch it.
 */
export class QueueAlertNotifier implements Notifier {
  constructor(private readonly queue: Pick<FifoQueue, 'send'>) {}

  async notify(alert: Alert): Promise<void> {
    if (alert.key.trim() === '')
      throw new TradingError('rejected', 'an alert needs a non-empty key', { code: 'alert_invalid' });
    await this.queue.send(sqsSafeJson(alert), {
      groupId: alertGroupId(alert),
      dedupId: alertDedupId(alert),
    });
  }
}
