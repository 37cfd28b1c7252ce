import { request } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { type CapturedLogs, FAKE_SECRETS } from '../lib/captured-logs';
import { startCountingApi } from '../lib/counting-api';
import { describeCrash, HOSTILE_SCALARS, hostileText, hostileValue, mutatedFrom } from './hostile';

/** What one fuzz target found. */
export interface FuzzTally {
  readonly inputs: number;
  /** Inputs that crashed the target (a 5xx, a dead server, an unclassified throw). */
  readonly crashes: number;
  /** Inputs refused with a clear error (4xx with a JSON error body; a classified rejection). */
  readonly rejected: number;
  /** Refused inputs after which a store had been written to. */
  readonly writesOnRejected: number;
  /** Refusals that were not clear (no JSON error body, a stack trace in the answer). */
  readonly unclear: number;
  readonly examples: readonly string[];
}

interface FuzzRequest {
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
function encode(text: string): string {
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

const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
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

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

function sendHttp(port: number, r: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // Framed like a real client: a body always carries its length.
    const headers =
      r.body === undefined
        ? r.headers
        : { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) };
    const path = r.path.replace(/[^\x21-\x7e]/g, (c) => encode(c));
    const req = request(
      { host: '127.0.0.1', port, method: r.method, path, headers, timeout: 10_000 },
      (res) => {
        const type = String(res.headers['content-type'] ?? '');
        if (type.startsWith('text/event-stream')) {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, contentType: type, body: '' });
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (text.length < 200_000) text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: type, body: text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

function sendRaw(port: number, raw: string): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      socket.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, contentType: '', body: text });
    };
    socket.setTimeout(3_000, done);
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
    });
    socket.on('close', done);
    socket.on('error', done);
    socket.write(raw, 'latin1');
  });
}

/**
 * Fuzzes the HTTP API over real sockets (the local server with its router, auth, validation and
 * body limits on memory stores): `runs` seeded inputs, each answer judged — no 5xx, no dead
 * server, 4xx with a JSON `{error, message}` body and no stack trace, and no store written to when
 * the input was refused (every write method of every store and the control queue is counted).
 */
export async function fuzzApi(runs: number, seed: number, logs: CapturedLogs): Promise<FuzzTally> {
  const { server, counter, world } = await startCountingApi();
  const inputs = fc.sample(fuzzRequest, { numRuns: runs, seed });
  let crashes = 0;
  let rejected = 0;
  let writesOnRejected = 0;
  let unclear = 0;
  const examples: string[] = [];
  const example = (what: string, r: FuzzRequest) => {
    if (examples.length < 8)
      examples.push(`${what}: ${r.method} ${r.path.slice(0, 80)} ${(r.body ?? r.raw ?? '').slice(0, 60)}`);
  };
  try {
    for (const r of inputs) {
      const before = counter.writes;
      let answer: Answer;
      try {
        answer = r.raw !== undefined ? await sendRaw(server.port, r.raw) : await sendHttp(server.port, r);
      } catch (error) {
        // The server hung up on an oversized upload after answering 413, or refused at the socket level.
        const alive = await sendHttp(server.port, { method: 'GET', path: '/api/health', headers: {} }).catch(
          () => undefined,
        );
        if (alive?.status !== 200) {
          crashes += 1;
          example(`server dead after ${describeCrash(error)}`, r);
        } else rejected += 1;
        continue;
      }
      if (answer.status >= 500 && answer.status !== 501) {
        crashes += 1;
        example(`${answer.status}`, r);
        continue;
      }
      if (answer.status >= 400 || answer.status === 0) {
        rejected += 1;
        const refusal = [0, 400, 401, 403, 404, 405, 413, 415, 422].includes(answer.status);
        if (refusal && counter.writes !== before) {
          writesOnRejected += 1;
          example(`${answer.status} after ${counter.writes - before} writes`, r);
        }
        const isApi = r.path.startsWith('/api') && r.raw === undefined && r.method !== 'HEAD';
        const json = (() => {
          try {
            return JSON.parse(answer.body) as { error?: unknown; message?: unknown };
          } catch {
            return undefined;
          }
        })();
        const clear = !isApi || (typeof json?.error === 'string' && typeof json.message === 'string');
        if (!clear || /\n\s+at |node_modules/.test(answer.body)) {
          unclear += 1;
          example(`unclear ${answer.status} ${answer.body.slice(0, 80)}`, r);
        }
      }
    }
    const alive = await sendHttp(server.port, { method: 'GET', path: '/api/health', headers: {} }).catch(
      () => undefined,
    );
    if (alive?.status !== 200) crashes += 1;
  } finally {
    await server.close();
    const sink = logs.sink('fuzz-api');
    for (const line of world.logger.lines) sink(line);
  }
  return { inputs: inputs.length, crashes, rejected, writesOnRejected, unclear, examples };
}
