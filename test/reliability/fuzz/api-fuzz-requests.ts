import fc from 'fast-check';
import { FAKE_SECRETS } from '../lib/captured-logs';
import { HOSTILE_SCALARS, hostileText, hostileValue, mutatedFrom } from './hostile';

/** One fuzz input: a request over HTTP, or raw bytes written to the socket. */
export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Raw bytes written to the socket instead of a well-formed request. */
  readonly raw?: string;
}

const ROUTES = [
  '/api/health',
  '/api/status',
  '/api/positions',
  '/api/trades',
  '/api/strategies',
  '/api/strategies/stat_arb',
  '/api/performance',
  '/api/risk',
  '/api/equity',
  '/api/markets/KRW-BTC/candles',
  '/api/openapi.json',
  '/api/emergency-stop',
  '/api/emergency-stop/release',
  '/api/close-all-positions',
  '/api/trading/start',
  '/api/trading/stop',
  '/',
  '/index.html',
];

const SEED_BODIES: readonly unknown[] = [
  { reason: 'fuzz', state: 'reducing', actor: 'fuzzer' },
  { reason: 'fuzz' },
  { enabled: false, weight: 0.2, params: { entryZ: 2, exitZ: 0.5, stopZ: 4 }, expectedVersion: 0 },
  { commandId: 'fuzz-1', reason: 'fuzz' },
];

/** encodeURIComponent that also encodes lone surrogates (as their raw UTF-8 bytes, which is invalid on purpose). */
/** Percent-encodes a string byte by byte (paths with characters no client would send raw). */
export function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

const segment = fc.oneof(
  fc.constantFrom(...HOSTILE_SCALARS.filter((v): v is string => typeof v === 'string').map(encode)),
  fc.string({ unit: 'binary', maxLength: 30 }).map(encode),
  fc.constantFrom('..', '%2e%2e', '%00', '.', '', '%', '%zz', 'stat_arb', 'KRW-BTC'),
);

const path = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...ROUTES) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...ROUTES), segment)
      .map(([r, s]) => r.replace(/stat_arb|KRW-BTC/, s)),
  },
  { weight: 2, arbitrary: fc.array(segment, { maxLength: 6 }).map((s) => `/api/${s.join('/')}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 60_000 }).map((n) => `/api/${'a'.repeat(n)}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/../../etc/passwd',
      '//api/status',
      '/api//status',
      '/API/STATUS',
      '/api/status/',
    ),
  },
);

const query = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('limit', 'days', 'hours', '__proto__[x]', 'constructor', 'x'),
        fc.oneof(fc.constantFrom('-1', '0', '1e9', 'NaN', '50', '', '1.5', '9'.repeat(400)), segment),
      ),
      { maxLength: 4 },
    )
    .map((pairs) => `?${pairs.map(([k, v]) => `${encode(k)}=${v}`).join('&')}`),
);

const authorization = fc.oneof(
  fc.constant(undefined),
  fc.constant(`Bearer ${FAKE_SECRETS.apiToken}`),
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Basic abc',
    `bearer ${FAKE_SECRETS.apiToken}`,
    `Bearer ${FAKE_SECRETS.apiToken}x`,
  ),
  fc.string({ maxLength: 60 }).map((s) => `Bearer ${s.replace(/[^\x21-\x7e]/g, 'x')}`),
  fc.integer({ min: 4_000, max: 12_000 }).map((n) => `Bearer ${'t'.repeat(n)}`),
);

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'multipart/form-data; boundary=x',
);

const body = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: hostileText(mutatedFrom(SEED_BODIES), 40_000) },
  { weight: 1, arbitrary: hostileText(hostileValue, 20_000) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 16_385, max: 300_000 }).map((n) => `{"reason":"${'r'.repeat(n)}"}`),
  },
);

const RAW: readonly string[] = [
  'GARBAGE\r\n\r\n',
  'GET /api/status HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'POST /api/emergency-stop HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n{}',
  `GET /api/status HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
  'GET /api/status HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzzz\r\n',
  'GET /%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  '\u0000\u0001\u0002\r\n\r\n',
];

/**
 * Mostly well-framed requests with hostile routes, queries, auth, types and bodies (19 in 20), and
 * raw socket garbage (1 in 20).
 */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  {
    weight: 19,
    arbitrary: fc
      .record({
        method: fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'FUZZ'),
        path,
        query,
        authorization,
        contentType,
        idempotency: fc.oneof(
          fc.constant(undefined),
          fc.constantFrom('ok-key-1', '', 'bad key!', 'k'.repeat(65)),
          fc.string({ maxLength: 20 }),
        ),
        forwarded: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 30 })),
        body,
      })
      .map((r) => {
        const headers: Record<string, string> = {};
        const set = (k: string, v: string | undefined) => {
          if (v !== undefined) headers[k] = v.replace(/[^\t\x20-\x7e]/g, '?');
        };
        set('authorization', r.authorization);
        set('content-type', r.contentType);
        set('idempotency-key', r.idempotency);
        set('x-forwarded-for', r.forwarded);
        return {
          method: r.method,
          path: `${r.path}${r.query}`,
          headers,
          ...(r.body === undefined || r.method === 'GET' || r.method === 'HEAD' ? {} : { body: r.body }),
        };
      }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...RAW).map((raw) => ({ method: 'RAW', path: '', headers: {}, raw })),
  },
);
