/**
 * Upbit's REST rate-limit groups and their per-second budgets (PROTOCOL.md §3, as of 2026-10). APIs in
 * one group share a budget, so the limiter keys on the group, not on the endpoint.
 */
export const RateLimitGroup = {
  market: 'market',
  candle: 'candle',
  trade: 'trade',
  ticker: 'ticker',
  orderbook: 'orderbook',
  default: 'default',
  order: 'order',
  orderTest: 'order-test',
  orderCancelAll: 'order-cancel-all',
} as const;
/** One of {@link RateLimitGroup}. */
export type RateLimitGroup = (typeof RateLimitGroup)[keyof typeof RateLimitGroup];

/** A token bucket shape: `capacity` requests, refilled at `perSecond`. */
export interface GroupBudget {
  readonly capacity: number;
  readonly perSecond: number;
}

/**
 * Budgets per group. `order-cancel-all` is one call per two seconds, i.e. a bucket of one refilled at
 * 0.5/s. The order group rose from 8 to 12/s on 2026-08-21; override it if Upbit lowers it again.
 */
export const DEFAULT_GROUP_BUDGETS: Readonly<Record<RateLimitGroup, GroupBudget>> = {
  market: { capacity: 10, perSecond: 10 },
  candle: { capacity: 10, perSecond: 10 },
  trade: { capacity: 10, perSecond: 10 },
  ticker: { capacity: 10, perSecond: 10 },
  orderbook: { capacity: 10, perSecond: 10 },
  default: { capacity: 30, perSecond: 30 },
  order: { capacity: 12, perSecond: 12 },
  'order-test': { capacity: 8, perSecond: 8 },
  'order-cancel-all': { capacity: 1, perSecond: 0.5 },
};

/** True when a header's group name is one we budget. */
export function isRateLimitGroup(name: string): name is RateLimitGroup {
  return Object.hasOwn(DEFAULT_GROUP_BUDGETS, name);
}

/** A parsed `Remaining-Req` header: the group it speaks for and the calls left in this second. */
export interface RemainingReq {
  readonly group: string;
  readonly sec: number;
}

/**
 * Parses `group=default; min=1800; sec=29`. Only `sec` matters (`min` is a frozen legacy value);
 * returns undefined for a missing or unreadable header rather than guessing.
 */
export function parseRemainingReq(header: string | null | undefined): RemainingReq | undefined {
  if (header === null || header === undefined) return undefined;
  let group: string | undefined;
  let sec: number | undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (key === 'group') group = value;
    else if (key === 'sec') {
      const n = Number(value);
      if (value !== '' && Number.isInteger(n) && n >= 0) sec = n;
    }
  }
  return group !== undefined && sec !== undefined ? { group, sec } : undefined;
}
