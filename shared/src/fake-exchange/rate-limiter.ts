import { UPBIT_RATE_LIMITS, UpbitRateGroup, type UpbitRateLimit } from '../domain/market/upbit-rate-limits';

/** Upbit's request groups (PROTOCOL.md §3), from the one table the client budgets against too. */
export const RateGroup = UpbitRateGroup;
/** One of {@link RateGroup}. */
export type RateGroup = UpbitRateGroup;

/** Verdict for one request: allowed or not, the header to send, and whether the caller is now banned (418). */
export interface RateVerdict {
  readonly allowed: boolean;
  readonly header: string;
  /** 418 instead of 429: the client kept going after 429s. */
  readonly banned: boolean;
  /** Milliseconds until the ban ends (only when banned). */
  readonly banMs: number;
}

interface Window {
  start: number;
  used: number;
}

/**
 * Fixed-window counters per group, like Upbit's per-second windows: `sec=` in `Remaining-Req` is what
 * is left of the current window. Optionally bans (418) after `banAfter` consecutive refusals.
 */
export class RateLimiter {
  private readonly windows = new Map<RateGroup, Window>();
  private enabled: boolean;
  private limits: Record<RateGroup, UpbitRateLimit>;
  private consecutive429 = 0;
  private bannedUntil = 0;
  /** Requests answered 429 and 418 since start, so a reliability test can prove no ban was reached. */
  private refused = 0;
  private bannedAnswers = 0;

  constructor(
    options: boolean | Partial<Record<string, number>> = true,
    private readonly banAfter = 0,
    private readonly banMs = 10_000,
  ) {
    this.enabled = true;
    this.limits = { ...UPBIT_RATE_LIMITS };
    this.configure(options);
  }

  /**
   * `true`/`false` turns enforcement on/off (headers are still sent); a record turns it on and replaces
   * the per-group limits it names (others go back to Upbit's), so a test can make 429s easy to reach.
   */
  configure(options: boolean | Partial<Record<string, number>>): void {
    this.enabled = options !== false;
    this.consecutive429 = 0;
    this.bannedUntil = 0;
    if (typeof options !== 'object') return;
    this.limits = { ...UPBIT_RATE_LIMITS };
    for (const [group, limit] of Object.entries(options)) {
      const spec = this.limits[group as RateGroup];
      if (spec !== undefined && limit !== undefined && limit >= 0)
        this.limits[group as RateGroup] = { ...spec, limit };
    }
  }

  /** Whether limits are enforced, the per-group limits, and the 429/418 answers given (for status output). */
  describe(): { enabled: boolean; limits: Record<string, number>; answered429: number; answered418: number } {
    const limits: Record<string, number> = {};
    for (const [g, spec] of Object.entries(this.limits)) limits[g] = spec.limit;
    return { enabled: this.enabled, limits, answered429: this.refused, answered418: this.bannedAnswers };
  }

  /**
   * The rule in force for a group and whether it is enforced: the WebSocket layer counts
   * `websocket-message` per connection itself, with the limits configured here.
   */
  rule(group: RateGroup): { readonly enforced: boolean; readonly rule: UpbitRateLimit } {
    return { enforced: this.enabled, rule: this.limits[group] };
  }

  /** Counts one request of a group at `now` (ms). */
  take(group: RateGroup, now: number): RateVerdict {
    const spec = this.limits[group];
    const windowStart = Math.floor(now / spec.windowMs) * spec.windowMs;
    let w = this.windows.get(group);
    if (w === undefined || w.start !== windowStart) {
      w = { start: windowStart, used: 0 };
      this.windows.set(group, w);
    }
    const header = (left: number) => `group=${group}; min=${spec.legacyMin}; sec=${Math.max(0, left)}`;
    if (this.enabled && now < this.bannedUntil) {
      this.bannedAnswers++;
      return { allowed: false, header: header(0), banned: true, banMs: this.bannedUntil - now };
    }
    if (this.enabled && w.used >= spec.limit) {
      this.consecutive429++;
      if (this.banAfter > 0 && this.consecutive429 >= this.banAfter) {
        this.bannedUntil = now + this.banMs;
        this.bannedAnswers++;
        return { allowed: false, header: header(0), banned: true, banMs: this.banMs };
      }
      this.refused++;
      return { allowed: false, header: header(0), banned: false, banMs: 0 };
    }
    this.consecutive429 = 0;
    w.used++;
    return { allowed: true, header: header(spec.limit - w.used), banned: false, banMs: 0 };
  }
}
