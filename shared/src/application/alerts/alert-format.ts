import type { Alert, AlertSeverity } from '../../ports/notifier';

/** Alert languages (config `telegram.language`). */
export type AlertLanguage = 'ko' | 'en';

/** Telegram refuses messages over 4096 characters; this leaves room for the suffix. */
export const MAX_MESSAGE_LENGTH = 4_000;

const ICON: Readonly<Record<AlertSeverity, string>> = { info: 'ℹ️', warning: '⚠️', critical: '🚨' };

/**
 * The chat message of an alert: severity icon and the text in the configured language, plain text
 * (no Markdown or HTML parse mode, so no alert text can inject markup), cut to Telegram's limit,
 * and how many alerts the rate limit dropped since the last message, so none vanish unnoticed.
 */
export function formatAlert(alert: Alert, language: AlertLanguage, suppressed = 0): string {
  const body = alert.text[language];
  const cut = body.length > MAX_MESSAGE_LENGTH ? `${body.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : body;
  const note =
    suppressed === 0
      ? ''
      : language === 'ko'
        ? `\n(이전 알림 ${suppressed}건은 전송 한도로 생략됨)`
        : `\n(${suppressed} earlier alert(s) dropped by the rate limit)`;
  return `${ICON[alert.severity]} ${cut}${note}`;
}
