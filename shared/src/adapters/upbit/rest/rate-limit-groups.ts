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

/**
 * How one group is paced: at most `limit` calls in any `spanMs` of send times. The span is the server's
 * window plus a guard for network jitter: Upbit counts arrivals in fixed windows whose phase the client
 * cannot see, and calls sent within `windowMs + guard` of each other can only land in one window when
 * their delays differ by less than the guard.
 */
export interface GroupBudget {
  readonly limit: number;
  /** Upbit's window for this group (1 s; 2 s for `order-cancel-all`). */
  readonly windowMs: number;
  /** Pacing span: `windowMs` plus the jitter guard. */
  readonly spanMs: number;
  /**
   * True when responses of the group carry `Remaining-Req`. Such a group starts conservatively: until
   * the first header is read, one call at a time (another process or a previous run of this one may have
   * spent the current window already).
   */
  readonly reported: boolean;
}

/** Default jitter guard added to each window (ms): 12 orders per 1.1 s ≈ 10.9 orders/s sustained. */
export const DEFAULT_JITTER_GUARD_MS = 100;

function budgetOf(group: UpbitRateGroup, guardMs: number): GroupBudget {
  const rule = UPBIT_RATE_LIMITS[group];
  return { limit: rule.limit, windowMs: rule.windowMs, spanMs: rule.windowMs + guardMs, reported: true };
}

/**
 * Budgets per group from Upbit's table, with `guardMs` of jitter allowance per window. Connection
 * attempts get no header, so they are spaced instead (one per 250 ms, one below the 5/s limit): they
 * never crowd into one of the server's windows, even with jitter.
 */
export function groupBudgets(
  guardMs: number = DEFAULT_JITTER_GUARD_MS,
): Readonly<Record<RateLimitGroup, GroupBudget>> {
  const connect = UPBIT_RATE_LIMITS['websocket-connect'];
  return {
    market: budgetOf('market', guardMs),
    candle: budgetOf('candle', guardMs),
    trade: budgetOf('trade', guardMs),
    ticker: budgetOf('ticker', guardMs),
    orderbook: budgetOf('orderbook', guardMs),
    default: budgetOf('default', guardMs),
    order: budgetOf('order', guardMs),
    'order-test': budgetOf('order-test', guardMs),
    'order-cancel-all': budgetOf('order-cancel-all', guardMs),
    'websocket-connect': {
      limit: 1,
      windowMs: connect.windowMs,
      spanMs: Math.ceil(connect.windowMs / (connect.limit - 1)),
      reported: false,
    },
  };
}

/** Budgets with the default guard. */
export const DEFAULT_GROUP_BUDGETS: Readonly<Record<RateLimitGroup, GroupBudget>> = groupBudgets();

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
  if (header === null || header === undefined || header.length > 256) return undefined;
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
      if (/^\d{1,6}$/.test(value) && Number.isInteger(n)) sec = n;
    }
  }
  return group !== undefined && sec !== undefined ? { group, sec } : undefined;
}
