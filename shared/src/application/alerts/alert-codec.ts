import { z } from 'zod';
import { type Alert, AlertSeverity } from '../../ports/notifier';
import type { DecodeResult } from '../messaging/message-envelope';
import { epochField } from '../messaging/wire-fields';

/** Longest alert text accepted from the queue; longer ones are poison (Telegram's limit is 4096). */
export const MAX_ALERT_TEXT = 8_000;

const text = z.string().min(1).max(MAX_ALERT_TEXT);

/**
 * An alert as the alert queue carries it: exactly `JSON.stringify(alert)` of the {@link Alert} port
 * type, nothing more (a strict object: an unknown field means a producer and this consumer
 * disagree, which must be seen, not ignored).
 */
export const alertSchema = z.strictObject({
  severity: z.enum([AlertSeverity.info, AlertSeverity.warning, AlertSeverity.critical]),
  key: z.string().trim().min(1).max(200),
  at: epochField,
  text: z.strictObject({ ko: text, en: text }),
});

/** Alert queue body → alert, or why it can never be delivered (the dead-letter reason). */
export function decodeAlert(body: string): DecodeResult<Alert> {
  let raw: unknown;
  try {
    raw = JSON.parse(body) as unknown;
  } catch (error) {
    return { ok: false, reason: `alert body is not JSON: ${(error as Error).message}` };
  }
  const parsed = alertSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      reason: `invalid alert: ${parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    };
  return { ok: true, message: parsed.data };
}
