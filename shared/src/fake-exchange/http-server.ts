import type { IncomingMessage, ServerResponse } from 'node:http';
import { SeededRandom } from '../domain/exchange/prng';
import type { FakeExchangeCore } from './exchange-core';
import { exchangeErrorReply, QueryParams, type Route, type RouteReply } from './http-types';
import { hashedBodyString, hashedQueryString, type JwtVerifier } from './jwt-verifier';
import type { RateLimiter } from './rate-limiter';

/** Mutable fault switches shared by the HTTP and WebSocket layers. */
export class FaultState {
  latencyMs = 0;
  failCount = 0;
  failStatus = 500;
  errorRate = 0;
  holdCount = 0;
  /** WebSocket orderbook frames withheld (the WebSocket layer applies it; kept here for status). */
  staleBook = false;
  /** Responses deliberately never answered ("timeout after accept"); destroyed on close. */
  readonly held = new Set<ServerResponse>();
  private readonly rng: SeededRandom;

  constructor(seed: number) {
    this.rng = new SeededRandom(seed ^ 0x5eed5eed);
  }

  /** True when this request must fail (a pending `failNext`, or a seeded draw under `errorRate`). */
  shouldFail(): boolean {
    if (this.failCount > 0) {
      this.failCount--;
      return true;
    }
    return this.errorRate > 0 && this.rng.next() < this.errorRate;
  }
}

/** The test-only control API: answers `/_sim/...` requests (never rate-limited, faulted or authenticated). */
export type ControlHandler = (method: string, path: string, body: string) => RouteReply;

/** Everything the REST layer needs. */
export interface HttpDeps {
  readonly core: FakeExchangeCore;
  readonly verifier: JwtVerifier;
  readonly limiter: RateLimiter;
  readonly faults: FaultState;
  readonly routes: readonly Route[];
  /** Real time for rate-limit windows (independent of the sim speed). */
  readonly rateNow: () => number;
  /** Called before each request so an on-demand market can catch up to the current time. */
  readonly beforeRequest: () => void;
  /** Present when the control API is on. */
  readonly control?: ControlHandler;
}

/** Largest request body read (Upbit's bodies are a few hundred bytes); larger → 413. */
export const MAX_BODY_BYTES = 1 << 16;
/** An oversized body is read and dropped up to this much so the client sees the 413, not a reset. */
const MAX_DRAIN_BYTES = 32 << 20;
const NOT_ROUTED = { error: { name: 'not_found', message: 'no Route matched with those values' } };
const TOO_LARGE = {
  error: { name: 'invalid_parameter', message: `request body too large (at most ${MAX_BODY_BYTES} bytes)` },
};

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The body as text, or `too_large` once it passed {@link MAX_BODY_BYTES} (the rest is read and dropped). */
function readBody(req: IncomingMessage): Promise<string | 'too_large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_DRAIN_BYTES) req.destroy();
      else if (size <= MAX_BODY_BYTES && declared <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () =>
      resolve(
        size > MAX_BODY_BYTES || declared > MAX_BODY_BYTES
          ? 'too_large'
          : Buffer.concat(chunks).toString('utf8'),
      ),
    );
    req.on('error', reject);
  });
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function findRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.path.exec(path);
    if (m !== null) return { route, params: m.slice(1) };
  }
  return undefined;
}

/**
 * Handles one REST request the way Upbit does (PROTOCOL.md §1–§4): a bounded body (413 JSON beyond
 * {@link MAX_BODY_BYTES}), fault switches, routing (unrouted → 404 `not_found` without `Remaining-Req`),
 * per-group rate limit with `Remaining-Req` on every routed response, JWT verification on Exchange
 * routes (token first, then query_hash over the decoded query or the JSON body in its own key order),
 * then the route handler. Nothing a client sends produces a 500 or a plain-text body.
 */
export async function handleHttp(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_DRAIN_BYTES) {
    // Too large to be worth reading: answer and close (the client may see the 413 or a reset).
    send(res, 413, TOO_LARGE, { connection: 'close' });
    req.destroy();
    return;
  }
  const bodyText = await readBody(req);
  if (bodyText === 'too_large') return send(res, 413, TOO_LARGE, { connection: 'close' });
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  if (deps.control !== undefined && pathname.startsWith('/_sim/')) {
    deps.beforeRequest();
    const reply = deps.control(req.method ?? 'GET', pathname.slice('/_sim'.length), bodyText);
    return send(res, reply.status, reply.body);
  }
  const { faults } = deps;
  if (faults.shouldFail()) {
    return send(res, faults.failStatus, {
      error: { name: 'internal_server_error', message: 'injected failure' },
    });
  }
  if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
  if (!pathname.startsWith('/v1/')) return send(res, 404, NOT_ROUTED);
  const found = findRoute(deps.routes, req.method ?? 'GET', pathname.slice(3));
  if (found === undefined) return send(res, 404, NOT_ROUTED);
  const { route, params } = found;
  const verdict = deps.limiter.take(route.group, deps.rateNow());
  const headers = {
    'Remaining-Req': verdict.header,
    ...(route.kind === 'quotation' ? { 'limit-by-ip': 'Yes' } : {}),
  };
  if (!verdict.allowed) {
    if (verdict.banned)
      return send(
        res,
        418,
        {
          error: {
            name: 'too_many_requests',
            message: `Blocked for ${Math.ceil(verdict.banMs / 1000)} seconds.`,
          },
        },
        headers,
      );
    return send(
      res,
      429,
      { error: { name: 'too_many_requests', message: 'Too many API requests.' } },
      headers,
    );
  }
  const query = new QueryParams([...new URLSearchParams(rawQuery)]);
  let body: Record<string, unknown> | undefined;
  if (route.kind === 'exchange') {
    const reply = authenticate(deps, req, route, rawQuery, bodyText);
    if ('status' in reply) return send(res, reply.status, reply.body, headers);
    body = reply.body;
  }
  deps.beforeRequest();
  let reply: RouteReply;
  try {
    reply = route.handle({ query, body, pathParams: params, now: deps.core.now() });
  } catch (e) {
    return send(res, 500, internalError(e), headers);
  }
  if (route.placesOrder === true && faults.holdCount > 0 && reply.status === 201) {
    faults.holdCount--;
    faults.held.add(res);
    res.on('close', () => faults.held.delete(res));
    return;
  }
  send(res, reply.status, reply.body, headers);
}

/** Upbit's 500 body for a bug in the fake: JSON, with a bounded message. */
export function internalError(e: unknown): unknown {
  const text = e instanceof Error ? e.message : String(e);
  return {
    error: { name: 'internal_server_error', message: text.length > 200 ? `${text.slice(0, 200)}…` : text },
  };
}

/**
 * Authentication before anything else about the request (PROTOCOL.md §2.4, §8): the token first (an
 * unauthenticated caller gets 401 whatever its body holds), then the body or query it signed, then
 * `query_hash` over them.
 */
function authenticate(
  deps: HttpDeps,
  req: IncomingMessage,
  route: Route,
  rawQuery: string,
  bodyText: string,
): RouteReply | { body: Record<string, unknown> | undefined } {
  const token = deps.verifier.verifyToken(req.headers.authorization);
  if (!token.ok) return exchangeErrorReply(token.error.status, token.error.name, token.error.message);
  let body: Record<string, unknown> | undefined;
  let hashed: string | undefined;
  if (route.method === 'POST') {
    body = bodyText.trim() === '' ? {} : parseJsonObject(bodyText);
    if (body === undefined)
      return exchangeErrorReply(400, 'validation_error', 'the body must be a JSON object');
    hashed = hashedBodyString(body);
  } else {
    if (route.method === 'DELETE' && bodyText.trim() !== '')
      return exchangeErrorReply(
        400,
        'QUERY_PARAMETER_NOT_SUPPORTED',
        'send parameters in the query string, not in a body',
      );
    hashed = hashedQueryString(rawQuery);
    if (hashed === undefined)
      return exchangeErrorReply(401, 'invalid_query_payload', 'Failed to verify the query of Jwt.');
  }
  const auth = deps.verifier.verifyQueryHash(token, hashed);
  if (!auth.ok) return exchangeErrorReply(auth.error.status, auth.error.name, auth.error.message);
  return { body };
}
