import { UPBIT_RATE_LIMITS } from '../../../domain/market/upbit-rate-limits';

const MESSAGE_LIMIT = UPBIT_RATE_LIMITS['websocket-message'];

/**
 * Keep-alive, liveness and reconnect timings. Upbit documents a 120 s idle timeout but drops idle
 * sockets after ~60 s in practice (PROTOCOL.md §7.3), so we ping every 20 s and call a socket dead
 * after a missing pong or 60 s without any data. All waits run on the Clock port.
 */
export interface WsTimings {
  /** Protocol ping interval; must stay well under 60 s. Default 20,000. */
  readonly pingIntervalMs: number;
  /** A ping unanswered this long means the socket is dead. Default 10,000. */
  readonly pongTimeoutMs: number;
  /** No frame and no pong for this long means the socket is dead. Default 60,000. */
  readonly silenceTimeoutMs: number;
  /** First reconnect delay before jitter. Default 500. */
  readonly reconnectBaseMs: number;
  /** Cap of the exponential reconnect delay. Default 30,000. */
  readonly reconnectMaxMs: number;
  /** Opening handshake timeout (real time, enforced by `ws`). Default 10,000. */
  readonly handshakeTimeoutMs: number;
  /** Request messages per second per connection (Upbit: 5/s). */
  readonly messagesPerSecond: number;
  /** Request messages per minute per connection (Upbit: 100/min). */
  readonly messagesPerMinute: number;
}

/** Defaults from PROTOCOL.md §7.3; message limits from Upbit's rate-limit table (§3). */
export const DEFAULT_WS_TIMINGS: WsTimings = {
  pingIntervalMs: 20_000,
  pongTimeoutMs: 10_000,
  silenceTimeoutMs: 60_000,
  reconnectBaseMs: 500,
  reconnectMaxMs: 30_000,
  handshakeTimeoutMs: 10_000,
  messagesPerSecond: (MESSAGE_LIMIT.limit * 1_000) / MESSAGE_LIMIT.windowMs,
  messagesPerMinute: MESSAGE_LIMIT.perMinute ?? Number.POSITIVE_INFINITY,
};

/**
 * Jittered exponential backoff ("equal jitter"): half the exponential delay fixed, half random, so a
 * fleet of clients that lost the same server does not reconnect in lock-step. `random` is injectable.
 */
export function reconnectDelayMs(attempt: number, timings: WsTimings, random: () => number): number {
  const exp = Math.min(timings.reconnectMaxMs, timings.reconnectBaseMs * 2 ** Math.min(attempt, 30));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(exp / 2 + (exp / 2) * r);
}
