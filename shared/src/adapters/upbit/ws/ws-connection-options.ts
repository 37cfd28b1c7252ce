import WebSocket from 'ws';
import type { Clock } from '../../../ports/clock';
import type { Logger } from '../../../ports/logger';
import type { ConnectionState, StreamChannel } from '../../../ports/market-data-stream';
import type { UpbitRateLimiter } from '../rest/rate-limiter';
import type { WsTimings } from './ws-timings';

/** Creates a socket; injectable so tests can use a fake server or a socket double. */
export type SocketFactory = (
  url: string,
  options: { headers: Record<string, string>; handshakeTimeout: number },
) => WebSocket;

/**
 * Largest frame read (Upbit's are a few KiB; a 30-level orderbook about 3 KiB). A larger one closes the
 * socket (1009), which reconnects and resyncs, instead of filling memory.
 */
export const WS_CLIENT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** Production sockets: no compression (frames are small and decoding speed matters), bounded frames. */
export const defaultSocketFactory: SocketFactory = (url, options) =>
  new WebSocket(url, {
    headers: options.headers,
    handshakeTimeout: options.handshakeTimeout,
    perMessageDeflate: false,
    maxPayload: WS_CLIENT_MAX_PAYLOAD_BYTES,
  });

/** What the connection reports to its owner. */
export interface WsConnectionCallbacks {
  /** A socket opened; `gapStartedAt` is set when this is a reconnect after a drop (data may be missing). */
  onOpen(gapStartedAt: number | undefined): void;
  onFrame(data: WebSocket.RawData): void;
  onState(state: ConnectionState, reason?: string): void;
  /**
   * Connecting is held back by Upbit's rate limiting (a 418 ban of the IP, or a refused upgrade); the
   * connection waits it out by itself and reports it so an operator hears why data stopped.
   */
  onBlocked(code: 'rate_limit_banned' | 'too_many_requests', message: string, retryAfterMs: number): void;
}

/** Options for {@link UpbitWsConnection}. */
export interface UpbitWsConnectionOptions {
  readonly url: string;
  readonly channel: StreamChannel;
  readonly clock: Clock;
  readonly callbacks: WsConnectionCallbacks;
  readonly logger?: Logger;
  readonly timings?: Partial<WsTimings>;
  /** Jitter source in [0, 1); injectable for deterministic tests. */
  readonly random?: () => number;
  /** Headers for each upgrade request, built fresh per attempt (a private socket needs a new JWT nonce). */
  readonly headers?: () => Record<string, string>;
  readonly createSocket?: SocketFactory;
  /**
   * The process's REST limiter (one per IP): every connection attempt takes a `websocket-connect`
   * token and waits out a 418 ban, because Upbit bans the IP for WebSocket and REST alike; refused
   * upgrades (429/418) are fed back into it. Without it attempts are paced by the backoff alone.
   */
  readonly limiter?: UpbitRateLimiter;
}

/** An upgrade the server answered with an HTTP status instead of switching protocols. */
export class UpgradeRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly remainingReq: string | null,
    readonly body: string,
  ) {
    super(`websocket upgrade refused with HTTP ${status}${body.length > 0 ? `: ${body.slice(0, 200)}` : ''}`);
    this.name = 'UpgradeRefusedError';
  }
}
