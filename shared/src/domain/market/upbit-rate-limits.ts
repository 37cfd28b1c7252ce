/**
 * Upbit's rate-limit groups (PROTOCOL.md §3). They are exchange rules, like the tick tables: the client
 * budgets against them and the fake exchange enforces them, so both read this one table and cannot
 * drift apart when Upbit changes a number.
 */
export const UpbitRateGroup = {
  market: 'market',
  candle: 'candle',
  trade: 'trade',
  ticker: 'ticker',
  orderbook: 'orderbook',
  default: 'default',
  order: 'order',
  orderTest: 'order-test',
  orderCancelAll: 'order-cancel-all',
  websocketConnect: 'websocket-connect',
  websocketMessage: 'websocket-message',
} as const;
/** One of {@link UpbitRateGroup}. */
export type UpbitRateGroup = (typeof UpbitRateGroup)[keyof typeof UpbitRateGroup];

/** The groups a REST response speaks for in its `Remaining-Req` header (the WebSocket ones have no header). */
export type UpbitRestRateGroup = Exclude<UpbitRateGroup, 'websocket-connect' | 'websocket-message'>;

/** One group's rule: `limit` requests per `windowMs`, counted per IP, pocket or connection. */
export interface UpbitRateLimit {
  readonly limit: number;
  readonly windowMs: number;
  /** A second cap per minute (only `websocket-message`: 100/min). */
  readonly perMinute?: number;
  /** Who shares the budget; decides whether two processes of one account compete for it. */
  readonly countedPer: 'ip' | 'pocket' | 'connection';
  /** The frozen legacy `min=` value Upbit still prints in `Remaining-Req`. */
  readonly legacyMin: number;
}

/**
 * Limits as documented 2026-09/10. The `order` group rose from 8/s to 12/s on 2026-08-21 21:00 KST;
 * `order-cancel-all` is one call per two seconds; `websocket-connect` counts connection attempts per IP
 * (per pocket when authenticated); `websocket-message` counts request messages per connection.
 */
export const UPBIT_RATE_LIMITS: Readonly<Record<UpbitRateGroup, UpbitRateLimit>> = {
  market: { limit: 10, windowMs: 1_000, countedPer: 'ip', legacyMin: 600 },
  candle: { limit: 10, windowMs: 1_000, countedPer: 'ip', legacyMin: 600 },
  trade: { limit: 10, windowMs: 1_000, countedPer: 'ip', legacyMin: 600 },
  ticker: { limit: 10, windowMs: 1_000, countedPer: 'ip', legacyMin: 600 },
  orderbook: { limit: 10, windowMs: 1_000, countedPer: 'ip', legacyMin: 600 },
  default: { limit: 30, windowMs: 1_000, countedPer: 'pocket', legacyMin: 1800 },
  order: { limit: 12, windowMs: 1_000, countedPer: 'pocket', legacyMin: 1800 },
  'order-test': { limit: 8, windowMs: 1_000, countedPer: 'pocket', legacyMin: 1800 },
  'order-cancel-all': { limit: 1, windowMs: 2_000, countedPer: 'pocket', legacyMin: 1800 },
  'websocket-connect': { limit: 5, windowMs: 1_000, countedPer: 'ip', legacyMin: 300 },
  'websocket-message': {
    limit: 5,
    windowMs: 1_000,
    perMinute: 100,
    countedPer: 'connection',
    legacyMin: 300,
  },
};

/** The month the table was last checked against Upbit's documentation. */
export const UPBIT_RATE_LIMITS_AS_OF = '2026-10';

/** True when a name (e.g. from a `Remaining-Req` header or a CLI flag) is one of Upbit's groups. */
export function isUpbitRateGroup(name: string): name is UpbitRateGroup {
  return Object.hasOwn(UPBIT_RATE_LIMITS, name);
}
