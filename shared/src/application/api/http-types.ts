/**
 * Framework-agnostic HTTP shapes: the local Node server and the Lambda (API Gateway HTTP API)
 * wrapper both translate to and from these, so the router, its auth and its validation are one
 * piece of code whichever way a request arrives.
 */

/** An incoming request. Header names are lower-case; `path` has no query string. */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body as text (UTF-8), absent for bodiless requests. */
  readonly body?: string;
  /** Client address as the transport saw it, for the audit log. */
  readonly sourceIp?: string;
}

/** A response; `body` is the exact text sent. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Content-Security-Policy of the dashboard and every API answer: only this origin, no inline
 * script or style, no framing. The dashboard ships its charting library from this server, so it
 * works with no CDN and offline.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every response (API and static files alike). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geometry=(), payment=()',
};

/** A JSON response that is never cached (every API answer is live state or a secret-gated view). */
export function jsonResponse(
  status: number,
  body: unknown,
  extraHeaders: Readonly<Record<string, string>> = {},
): HttpResponse {
  return {
    status,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...extraHeaders,
    },
    body: JSON.stringify(body),
  };
}

/** One field a request got wrong, e.g. `{ field: 'body.reason', message: 'Required' }`. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** The error body every failing route returns: a stable code, a sentence, and the fields at fault. */
export interface ApiErrorBody {
  readonly error: string;
  readonly message: string;
  readonly fields?: readonly FieldProblem[];
  readonly requestId?: string;
}

/** A JSON error answer. */
export function errorResponse(
  status: number,
  error: string,
  message: string,
  extra: { readonly fields?: readonly FieldProblem[]; readonly headers?: Record<string, string> } = {},
): HttpResponse {
  const body: ApiErrorBody = {
    error,
    message,
    ...(extra.fields === undefined ? {} : { fields: extra.fields }),
  };
  return jsonResponse(status, body, extra.headers ?? {});
}

/** Byte length of a UTF-8 string (what the body limit counts), without a Buffer. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
