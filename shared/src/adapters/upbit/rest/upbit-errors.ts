import { type ErrorKind, TradingError } from '../../../domain/errors/trading-error';

/** Codes this client gives failures that carry no Upbit `error.name`. */
export const ClientErrorCode = {
  timeout: 'timeout',
  network: 'network_error',
  malformedResponse: 'malformed_response',
  tooManyRequests: 'too_many_requests',
  banned: 'rate_limit_banned',
  serverError: 'server_error',
  httpError: 'http_error',
  orderOutcomeUnknown: 'order_outcome_unknown',
} as const;
/** One of {@link ClientErrorCode}. */
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

// Auth and permission problems need a human (new key, IP allow-list, permissions): halt and alert.
const FATAL_NAMES: ReadonlySet<string> = new Set([
  'invalid_query_payload',
  'jwt_verification',
  'expired_access_key',
  'nonce_used',
  'no_authorization_ip',
  'no_authorization_token',
  'invalid_access_key',
  'out_of_scope',
  'thirdparty_agreement_required',
  'not_found',
]);

/** The `{"error":{"name","message"}}` body Upbit sends; Quotation names are integers. */
export interface UpbitErrorBody {
  readonly name: string;
  readonly message: string;
}

/** Reads Upbit's error body, or undefined when the body is not one (HTML from a proxy, empty, truncated). */
export function parseUpbitErrorBody(text: string): UpbitErrorBody | undefined {
  if (text.length === 0 || text.length > 65_536) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const error = (parsed as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (typeof name !== 'string' && !(typeof name === 'number' && Number.isInteger(name))) return undefined;
  const nameText = String(name);
  if (nameText.length === 0) return undefined;
  return { name: nameText, message: typeof message === 'string' ? message : '' };
}

function kindFor(status: number, name: string | undefined): ErrorKind {
  if (status === 418) return 'fatal';
  if (status === 429 || status >= 500) return 'retryable';
  if (name !== undefined && FATAL_NAMES.has(name)) return 'fatal';
  if (status === 401 || status === 403) return 'fatal';
  return 'rejected';
}

/**
 * Turns a non-2xx response into a {@link TradingError}, keeping Upbit's `error.name` as `code` and its
 * message. Kinds are decided here, once (STYLE.md): 429/5xx retryable; 418, auth and permission fatal;
 * every other 4xx (order refusals, `order_not_found`, Quotation `400`/`404`) rejected.
 */
export function errorFromResponse(
  status: number,
  body: string,
  context: string,
  retryAfterMs?: number,
): TradingError {
  const upbit = parseUpbitErrorBody(body);
  const kind = kindFor(status, upbit?.name);
  // A ban gets one code whatever its body says, so alerting can branch on it (the body is undocumented).
  const code =
    status === 418
      ? ClientErrorCode.banned
      : (upbit?.name ??
        (status === 429
          ? ClientErrorCode.tooManyRequests
          : status >= 500
            ? ClientErrorCode.serverError
            : ClientErrorCode.httpError));
  const raw = body.length > 200 ? `${body.slice(0, 200)}…` : body;
  const detail =
    upbit === undefined ? raw : status === 418 ? `${upbit.name}: ${upbit.message}` : upbit.message;
  const advice =
    kind === 'fatal'
      ? status === 418
        ? ' All calls are stopped until the ban ends; find what flooded the API.'
        : ' Check the API key, its permissions, its expiry and the IP allow-list.'
      : kind === 'retryable'
        ? ' Retry later with the same identifier.'
        : '';
  const options = { code, status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  return new TradingError(
    kind,
    `Upbit ${context} failed: HTTP ${status} ${code}: ${detail}.${advice}`,
    options,
  );
}

/** A timeout: the request may or may not have reached Upbit. */
export function timeoutError(context: string, timeoutMs: number, cause?: unknown): TradingError {
  return new TradingError('retryable', `Upbit ${context} timed out after ${timeoutMs} ms`, {
    code: ClientErrorCode.timeout,
    cause,
  });
}

/** A connection-level failure (refused, reset, DNS). */
export function networkError(context: string, cause: unknown): TradingError {
  const reason =
    cause instanceof Error
      ? cause.cause instanceof Error
        ? cause.cause.message
        : cause.message
      : String(cause);
  return new TradingError('retryable', `Upbit ${context} failed on the network: ${reason}`, {
    code: ClientErrorCode.network,
    cause,
  });
}

/** A 2xx answer whose body is not what Upbit documents; retryable because a proxy may have mangled it. */
export function malformedResponseError(context: string, reason: string, cause?: unknown): TradingError {
  return new TradingError('retryable', `Upbit ${context} returned an unreadable body: ${reason}`, {
    code: ClientErrorCode.malformedResponse,
    cause,
  });
}
