import {
  UPBIT_RATE_LIMITS,
  type UpbitRateGroup,
  type UpbitRestRateGroup,
} from '../../../domain/market/upbit-rate-limits';

/**
 * The groups the client budgets: every REST group (a `Remaining-Req` names one) plus WebSocket
 * connection attempts, which share the IP with REST and are banned together with it.
 */
export type RateLimitGroup = UpbitRestRateGroup | 'websocket-connect';

/** A token bucket shape: `capacity` requests, refilled at `perSecond`. */
export interface GroupBudget {
  readonly capacity: number;
  readonly perSecond: number;
}

function budgetOf(group: UpbitRateGroup): GroupBudget {
  const rule = UPBIT_RATE_LIMITS[group];
  return { capacity: rule.limit, perSecond: (rule.limit * 1_000) / rule.windowMs };
}

/**
 * Budgets per group, from Upbit's table (`order-cancel-all`: a bucket of one refilled at 0.5/s). REST
 * buckets may burst to the limit because `Remaining-Req` corrects them; connection attempts get no
 * header, so their bucket holds one token and refills one below the limit: attempts stay spaced
 * (250 ms) and never crowd into one of the server's one-second windows, even with network jitter.
 */
export const DEFAULT_GROUP_BUDGETS: Readonly<Record<RateLimitGroup, GroupBudget>> = {
  market: budgetOf('market'),
  candle: budgetOf('candle'),
  trade: budgetOf('trade'),
  ticker: budgetOf('ticker'),
  orderbook: budgetOf('orderbook'),
  default: budgetOf('default'),
  order: budgetOf('order'),
  'order-test': budgetOf('order-test'),
  'order-cancel-all': budgetOf('order-cancel-all'),
  'websocket-connect': {
    capacity: 1,
    perSecond:
      (UPBIT_RATE_LIMITS['websocket-connect'].limit - 1) *
      (1_000 / UPBIT_RATE_LIMITS['websocket-connect'].windowMs),
  },
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
