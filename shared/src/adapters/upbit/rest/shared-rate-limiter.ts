import type { Clock } from '../../../ports/clock';
import type { Logger } from '../../../ports/logger';
import { SystemClock } from '../../system/system-clock';
import { UpbitRateLimiter } from './rate-limiter';

// Every SystemClock reads the same time: treat them as one clock so separately built clients share.
const SYSTEM_TIME: object = {};
const registry = new WeakMap<object, Map<string, UpbitRateLimiter>>();

function originOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return baseUrl;
  }
}

/**
 * The process's one rate limiter for an Upbit endpoint. Upbit counts requests per IP and per account
 * (PROTOCOL.md §3), so every client of one process that talks to the same origin (the trading venue,
 * the quotation client, the candle downloader, WebSocket connection attempts) must spend one budget:
 * two limiters would each believe they have the whole window and together earn 429s. Clients built
 * without an explicit limiter get this one; clients on different clocks (tests) stay apart.
 */
export function sharedRateLimiter(baseUrl: string, clock: Clock, logger?: Logger): UpbitRateLimiter {
  const key = clock instanceof SystemClock ? SYSTEM_TIME : clock;
  let byOrigin = registry.get(key);
  if (byOrigin === undefined) {
    byOrigin = new Map();
    registry.set(key, byOrigin);
  }
  const origin = originOf(baseUrl);
  let limiter = byOrigin.get(origin);
  if (limiter === undefined) {
    limiter = new UpbitRateLimiter({ clock, ...(logger === undefined ? {} : { logger }) });
    byOrigin.set(origin, limiter);
  }
  return limiter;
}
