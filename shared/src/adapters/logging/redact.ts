import { REDACTED_TEXT, Secret } from '../../domain/security/secret';

// Field names whose values are secret whatever their type.
const SECRET_KEY = /(secret|token|password|passwd|authorization|access_?key|api_?key|signature|jwt|cookie)/i;
// Bearer tokens and JWTs that slipped into free text (error messages, URLs).
const SECRET_TEXT = /(Bearer\s+)[A-Za-z0-9._~+/=-]+|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

/** Masks Bearer tokens and JWTs inside free text. */
export function redactText(text: string): string {
  return text.replace(SECRET_TEXT, (_match, bearer: string | undefined) =>
    bearer === undefined ? REDACTED_TEXT : `${bearer}${REDACTED_TEXT}`,
  );
}

/**
 * Deep copy of log fields with secrets masked: Secret values, values under secret-looking keys, and
 * tokens inside strings. Errors become `{name, message, code}` so stack traces with headers do not leak.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (value instanceof Secret) return REDACTED_TEXT;
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: redactText(value.message), ...(code === undefined ? {} : { code }) };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (typeof value === 'object' && value !== null) {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
      return redact((value as { toJSON(): unknown }).toJSON(), depth + 1);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = SECRET_KEY.test(k) ? REDACTED_TEXT : redact(v, depth + 1);
    return out;
  }
  return value;
}
