import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeExchangeCore } from './exchange-core';
import type { JwtVerifier } from './jwt-verifier';
import type { RateLimiter } from './rate-limiter';
import { startRealtimeFanout, subscriptionFrame } from './ws-fanout';
import { toSimple } from './ws-frames';
import { ConnectionMessageLimit } from './ws-message-limit';
import { parseWsRequest, type WsFormat, type WsSubscription } from './ws-subscription';

/** Settings of the WebSocket layer. */
export interface WsOptions {
  readonly core: FakeExchangeCore;
  readonly verifier: JwtVerifier;
  /** Drop a socket after this long with no data either way (documented 120 s). */
  readonly idleTimeoutMs: number;
  /** The REST limiter: connection attempts count in `websocket-connect` and share its 418 ban (per IP). */
  readonly limiter: RateLimiter;
  /** Time of the rate-limit windows (ms). */
  readonly rateNow: () => number;
}

/** What the WebSocket layer accepted and refused, so tests can prove a client stays inside the limits. */
export interface WsStats {
  readonly connections: number;
  /** Upgrades answered 429 or 418 (`websocket-connect` over its limit, or banned). */
  readonly connectsRefused: number;
  /** Request messages over `websocket-message` (the socket got `TOO_MANY_REQUESTS` and was closed). */
  readonly messagesRefused: number;
}

/** Handle to the WebSocket layer. */
export interface WsHandle {
  /** Terminates every socket without a close frame (simulated network drop). */
  dropAll(): void;
  /** The next `count` public trades are not sent as `trade` frames (their ids are skipped on the feed). */
  dropTradeFrames(count: number): void;
  /** While on, realtime `orderbook` frames are not sent (the socket, trades and tickers carry on): a stale book. */
  setStaleBooks(on: boolean): void;
  /** Sends a raw payload as a binary frame to every open socket (malformed-frame tests). */
  sendRaw(payload: string): void;
  stats(): WsStats;
  close(): Promise<void>;
}

interface Connection {
  readonly socket: WebSocket;
  readonly isPrivate: boolean;
  subscriptions: readonly WsSubscription[];
  format: WsFormat;
  lastActivity: number;
  statusTimer: NodeJS.Timeout | undefined;
  readonly messages: ConnectionMessageLimit;
}

const STATUS_UP_MS = 10_000;
/** Largest request message read; beyond it the socket is closed with 1009 (a request is a few hundred bytes). */
export const WS_MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * Upbit's WebSocket API on `/websocket/v1` (public) and `/websocket/v1/private` (JWT in the upgrade's
 * Authorization header): binary JSON frames, snapshot-then-realtime, a new request replaces the
 * subscription, request errors are answered then closed with 1000, `PING` text starts `{"status":"UP"}`
 * every 10 s, idle sockets are terminated. Socket-level timers use real time, not the sim clock.
 */
export function attachWebSocketServer(server: Server, options: WsOptions): WsHandle {
  const { core } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES });
  const connections = new Set<Connection>();
  const stats = { connections: 0, connectsRefused: 0, messagesRefused: 0 };

  wss.on('headers', (headers) => {
    headers.push('remaining-req: group=websocket; min=300; sec=4');
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/websocket/v1' && path !== '/websocket/v1/private') {
      socket.on('error', () => socket.destroy());
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const isPrivate = path === '/websocket/v1/private';
    const verdict = options.limiter.take('websocket-connect', options.rateNow());
    if (!verdict.allowed) {
      stats.connectsRefused += 1;
      return refuseUpgrade(socket, verdict.banned ? 418 : 429, verdict.header, verdict.banMs);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Connection = {
        socket: ws,
        isPrivate,
        subscriptions: [],
        format: 'DEFAULT',
        lastActivity: Date.now(),
        statusTimer: undefined,
        messages: new ConnectionMessageLimit(() => options.limiter.rule('websocket-message')),
      };
      stats.connections += 1;
      connections.add(conn);
      ws.on('close', () => {
        if (conn.statusTimer !== undefined) clearInterval(conn.statusTimer);
        connections.delete(conn);
      });
      ws.on('error', () => ws.terminate());
      ws.on('pong', () => touch(conn));
      ws.on('ping', () => touch(conn));
      if (isPrivate) {
        const auth = options.verifier.verify(req.headers.authorization, undefined);
        if (!auth.ok) return fail(conn, 'INVALID_AUTH', auth.error.message);
      }
      ws.on('message', (data, isBinary) => {
        touch(conn);
        const text = Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Array.isArray(data)
            ? Buffer.concat(data).toString('utf8')
            : Buffer.from(data).toString('utf8');
        if (!isBinary && text.trim() === 'PING') return startStatus(conn);
        if (!conn.messages.allow(options.rateNow())) {
          stats.messagesRefused += 1;
          return fail(conn, 'TOO_MANY_REQUESTS', 'Too Many Requests');
        }
        const parsed = parseWsRequest(text, conn.isPrivate);
        if ('name' in parsed) return fail(conn, parsed.name, parsed.message);
        conn.subscriptions = parsed.subscriptions;
        conn.format = parsed.format;
        sendSnapshots(conn);
      });
    });
  });

  const idleTimer = setInterval(
    () => {
      const now = Date.now();
      for (const c of connections) if (now - c.lastActivity > options.idleTimeoutMs) c.socket.terminate();
    },
    Math.max(50, Math.min(5_000, Math.floor(options.idleTimeoutMs / 4))),
  );
  idleTimer.unref();

  function touch(c: Connection): void {
    c.lastActivity = Date.now();
  }

  function sendRaw(c: Connection, frame: Record<string, unknown>): void {
    if (c.socket.readyState !== c.socket.OPEN) return;
    c.socket.send(Buffer.from(JSON.stringify(frame)), { binary: true });
    touch(c);
  }

  function send(c: Connection, stream: string, frame: Record<string, unknown>): void {
    const simple = c.format === 'SIMPLE' || c.format === 'SIMPLE_LIST';
    const body = simple ? toSimple(frame, stream) : frame;
    if (c.socket.readyState !== c.socket.OPEN) return;
    const payload = c.format === 'JSON_LIST' || c.format === 'SIMPLE_LIST' ? [body] : body;
    c.socket.send(Buffer.from(JSON.stringify(payload)), { binary: true });
    touch(c);
  }

  function fail(c: Connection, name: string, message: string): void {
    sendRaw(c, { error: { name, message } });
    c.socket.close(1000);
  }

  function startStatus(c: Connection): void {
    sendRaw(c, { status: 'UP' });
    if (c.statusTimer === undefined)
      c.statusTimer = setInterval(() => sendRaw(c, { status: 'UP' }), STATUS_UP_MS);
  }

  const fanout = startRealtimeFanout(core, connections, send);

  function sendSnapshots(c: Connection): void {
    for (const sub of c.subscriptions) {
      if (sub.onlyRealtime || sub.type === 'myOrder' || sub.type === 'myAsset') continue;
      for (const code of sub.codes.keys()) {
        const frame = subscriptionFrame(core, sub, code, 'SNAPSHOT');
        if (frame !== undefined) send(c, sub.type, frame);
      }
    }
  }

  return {
    dropAll: () => {
      for (const c of connections) c.socket.terminate();
    },
    dropTradeFrames: (count) => fanout.dropTradeFrames(count),
    setStaleBooks: (on) => fanout.setStaleBooks(on),
    stats: () => ({ ...stats }),
    sendRaw: (payload) => {
      for (const c of connections)
        if (c.socket.readyState === c.socket.OPEN) c.socket.send(Buffer.from(payload), { binary: true });
    },
    close: async () => {
      fanout.close();
      clearInterval(idleTimer);
      for (const c of connections) c.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Answers an upgrade like Upbit's limiter does: 429, or 418 with the block's length, then closes. */
function refuseUpgrade(socket: Duplex, status: 418 | 429, remainingReq: string, banMs: number): void {
  // The client may hang up first (it gave up on the attempt): a reset then is normal, not a crash.
  socket.on('error', () => socket.destroy());
  const body = JSON.stringify({
    error: {
      name: 'too_many_requests',
      message: status === 418 ? `Blocked for ${Math.ceil(banMs / 1000)} seconds.` : 'Too many API requests.',
    },
  });
  socket.end(
    `HTTP/1.1 ${status} ${status === 418 ? "I'm a teapot" : 'Too Many Requests'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Remaining-Req: ${remainingReq}\r\nConnection: close\r\n\r\n${body}`,
  );
}
