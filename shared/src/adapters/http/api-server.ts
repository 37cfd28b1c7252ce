import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ApiTokenCheck } from '../../application/api/api-auth';
import type { ApiHandler } from '../../application/api/api-router';
import { errorResponse, type HttpRequest, type HttpResponse } from '../../application/api/http-types';
import type { Logger } from '../../ports/logger';
import type { LiveUpdateHub } from './live-updates';
import { type AssetLookup, staticResponse } from './static-assets';

/** Options of {@link startApiServer}. */
export interface ApiServerOptions {
  readonly router: ApiHandler;
  /** The dashboard's files; omitted = API only. */
  readonly assets?: AssetLookup;
  /** Live updates at `GET /api/events`; omitted = the route answers 501 like the cloud. */
  readonly live?: { readonly hub: LiveUpdateHub; readonly tokens: ApiTokenCheck };
  readonly logger: Logger;
  readonly host: string;
  /** 0 = a free port (printed by the caller from `url`). */
  readonly port: number;
  readonly maxBodyBytes: number;
  /** How long `close` waits for requests in flight before cutting connections. */
  readonly closeGraceMs?: number;
}

/** A running server. */
export interface RunningApiServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting, ends live streams, lets requests in flight finish (bounded), then closes. */
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > maxBytes) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return headers;
}

function toHttpRequest(req: IncomingMessage, url: URL, body: string): HttpRequest {
  const headers = headersOf(req);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query,
    headers,
    ...(body === '' ? {} : { body }),
    ...(req.socket.remoteAddress === undefined ? {} : { sourceIp: req.socket.remoteAddress }),
  };
}

function send(res: ServerResponse, answer: HttpResponse): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

function serveAsset(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  assets: AssetLookup | undefined,
): void {
  const answer =
    assets === undefined
      ? undefined
      : staticResponse(assets, { method: req.method ?? 'GET', path, query: {}, headers: headersOf(req) });
  if (answer === undefined) {
    send(res, errorResponse(404, 'not_found', `nothing at ${path}`));
    return;
  }
  send(res, answer);
}

/**
 * The local HTTP server of the API and the dashboard (the cloud serves the same router from a
 * Lambda). Bodies are bounded while they arrive (413 before the rest is read), slow clients are cut
 * off by header and request timeouts, every answer carries the security headers, and `close` is
 * graceful: no new connections, live streams ended, requests in flight given `closeGraceMs`.
 */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const sockets = new Set<Socket>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/')) {
      serveAsset(req, res, url.pathname, options.assets);
      return;
    }
    if (url.pathname === '/api/events' && req.method === 'GET' && options.live !== undefined) {
      const request = toHttpRequest(req, url, '');
      if (!(await options.live.tokens.allows(request))) {
        send(res, await options.router(request));
        return;
      }
      options.live.hub.add(res);
      return;
    }
    let body: string;
    try {
      body = await readBody(req, options.maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      res.setHeader('connection', 'close');
      send(
        res,
        errorResponse(
          413,
          'payload_too_large',
          `the request body is larger than ${options.maxBodyBytes} bytes`,
        ),
      );
      req.resume();
      return;
    }
    send(res, await options.router(toHttpRequest(req, url, body)));
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error('http request failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      if (!res.headersSent) send(res, errorResponse(500, 'internal_error', 'the request failed'));
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return;
    // Not HTTP the parser can read (a bad method, broken framing, oversized headers): still the JSON
    // error shape and the security headers every other answer carries.
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const answer = tooLarge
      ? errorResponse(431, 'headers_too_large', 'the request headers are too large')
      : errorResponse(400, 'bad_request', 'the request is not valid HTTP/1.1');
    const head = [
      `HTTP/1.1 ${answer.status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}`,
      ...Object.entries(answer.headers).map(([k, v]) => `${k}: ${v}`),
      `content-length: ${Buffer.byteLength(answer.body)}`,
      'connection: close',
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${answer.body}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  options.live?.hub.start();
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await options.live?.hub.close();
      server.closeIdleConnections();
      const grace = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.closeGraceMs ?? 5_000);
        timer.unref();
        closed.then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      await grace;
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
