import { TradingError } from '../../../domain/errors/trading-error';
import type { Clock } from '../../../ports/clock';
import type { Logger } from '../../../ports/logger';
import {
  DEFAULT_GROUP_BUDGETS,
  type GroupBudget,
  isRateLimitGroup,
  parseRemainingReq,
  type RateLimitGroup,
} from './rate-limit-groups';

/** Options for {@link UpbitRateLimiter}. */
export interface RateLimiterOptions {
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Per-group overrides (e.g. a lower `order` budget to leave room for a second process). */
  readonly budgets?: Partial<Record<RateLimitGroup, GroupBudget>>;
  /** First pause after a 429; Upbit asks for at least one second. Default 1,000 ms. */
  readonly backoffAfter429Ms?: number;
  /** Cap of the doubling pause after repeated 429s. Default 16,000 ms. */
  readonly maxBackoffMs?: number;
  /** Ban length assumed when a 418 does not say how long; default 300,000 ms (5 min). */
  readonly defaultBanMs?: number;
}

interface Bucket {
  readonly budget: GroupBudget;
  tokens: number;
  refilledAt: number;
  /** No call of this group before this instant (after a 429 or `sec=0`). */
  pausedUntil: number;
  consecutive429: number;
}

/** What the limiter knows, for health pages and tests. */
export interface RateLimiterSnapshot {
  readonly bannedUntil: number;
  readonly groups: Readonly<Record<string, { tokens: number; pausedUntil: number; consecutive429: number }>>;
}

/**
 * Client-side rate limiting per Upbit group (PROTOCOL.md §3): a local token bucket, corrected by the
 * server's `Remaining-Req` `sec` count, a growing pause (≥ 1 s) after each 429 so we never keep
 * hammering into a 418 ban, and a global stop while a 418 ban lasts. All waiting goes through the
 * Clock port so tests drive it with a manual clock.
 */
export class UpbitRateLimiter {
  readonly #clock: Clock;
  readonly #logger: Logger | undefined;
  readonly #budgets: Readonly<Record<RateLimitGroup, GroupBudget>>;
  readonly #buckets = new Map<RateLimitGroup, Bucket>();
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #defaultBanMs: number;
  #bannedUntil = 0;

  constructor(options: RateLimiterOptions) {
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#budgets = { ...DEFAULT_GROUP_BUDGETS, ...options.budgets };
    this.#backoffMs = Math.max(1_000, options.backoffAfter429Ms ?? 1_000);
    this.#maxBackoffMs = Math.max(this.#backoffMs, options.maxBackoffMs ?? 16_000);
    this.#defaultBanMs = options.defaultBanMs ?? 300_000;
  }

  #bucket(group: RateLimitGroup): Bucket {
    let bucket = this.#buckets.get(group);
    if (bucket === undefined) {
      const budget = this.#budgets[group];
      bucket = {
        budget,
        tokens: budget.capacity,
        refilledAt: this.#clock.now(),
        pausedUntil: 0,
        consecutive429: 0,
      };
      this.#buckets.set(group, bucket);
    }
    return bucket;
  }

  #refill(bucket: Bucket, now: number): void {
    const elapsed = now - bucket.refilledAt;
    if (elapsed > 0) {
      bucket.tokens = Math.min(
        bucket.budget.capacity,
        bucket.tokens + (elapsed / 1000) * bucket.budget.perSecond,
      );
      bucket.refilledAt = now;
    }
  }

  #throwIfBanned(now: number): void {
    if (now < this.#bannedUntil)
      throw new TradingError(
        'fatal',
        `Upbit has banned this IP/account (HTTP 418) until ${new Date(this.#bannedUntil).toISOString()}; ` +
          'all calls are stopped until then. Find what flooded the API before restarting trading.',
        { code: 'rate_limit_banned', status: 418, retryAfterMs: this.#bannedUntil - now },
      );
  }

  /**
   * Waits until one call of `group` may be sent, then takes its token. Throws a fatal error at once
   * while a 418 ban lasts; rejects with the signal's reason if aborted while waiting.
   */
  async acquire(group: RateLimitGroup, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.#clock.now();
      this.#throwIfBanned(now);
      signal?.throwIfAborted();
      const bucket = this.#bucket(group);
      this.#refill(bucket, now);
      let waitMs = 0;
      if (bucket.pausedUntil > now) waitMs = bucket.pausedUntil - now;
      else if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      } else waitMs = Math.ceil(((1 - bucket.tokens) / bucket.budget.perSecond) * 1000);
      await this.#clock.sleep(Math.max(1, waitMs), signal);
    }
  }

  /**
   * Feeds back a response: `Remaining-Req` caps the local bucket (the server's count wins when it is
   * lower, e.g. when another process shares the budget), 429 pauses the group with a doubling
   * backoff, 418 stops everything. Returns the pause in ms the caller should report, if any.
   */
  observe(
    group: RateLimitGroup,
    status: number,
    remainingReqHeader: string | null,
    body?: string,
  ): number | undefined {
    const now = this.#clock.now();
    const remaining = parseRemainingReq(remainingReqHeader);
    const target = remaining !== undefined && isRateLimitGroup(remaining.group) ? remaining.group : group;
    const bucket = this.#bucket(target);
    this.#refill(bucket, now);
    if (status === 418) {
      const banMs = banDurationMs(body) ?? this.#defaultBanMs;
      this.#bannedUntil = Math.max(this.#bannedUntil, now + banMs);
      this.#logger?.error('upbit rate-limit ban (418): stopping all calls', { group: target, banMs });
      return banMs;
    }
    if (status === 429) {
      bucket.consecutive429 += 1;
      const pause = Math.min(this.#maxBackoffMs, this.#backoffMs * 2 ** (bucket.consecutive429 - 1));
      bucket.pausedUntil = Math.max(bucket.pausedUntil, now + pause);
      // Refill restarts from empty when the pause ends: no burst straight back into the limit.
      bucket.tokens = 0;
      bucket.refilledAt = bucket.pausedUntil;
      this.#logger?.warn('upbit 429: pausing rate-limit group', { group: target, pauseMs: pause });
      return pause;
    }
    if (status < 500) bucket.consecutive429 = 0;
    if (remaining !== undefined) {
      bucket.tokens = Math.min(bucket.tokens, remaining.sec);
      // `sec` is what the server has left until its one-second window rolls, and we cannot see where
      // that window starts: refilling on top of it inside the next second is how a client that obeys
      // every header still earns a 429. Local refill resumes only after a full window has passed.
      bucket.refilledAt = Math.max(bucket.refilledAt, now + 1_000);
      // The server's window is one second: with nothing left, wait for it to roll over rather than
      // trusting a fractional refill that would land inside the same window and earn a 429.
      if (remaining.sec === 0) {
        bucket.pausedUntil = Math.max(bucket.pausedUntil, now + 1_000);
        // After a full second the server's window has rolled: one call may go at once, then refill.
        bucket.tokens = 1;
        bucket.refilledAt = bucket.pausedUntil;
      }
    }
    return undefined;
  }

  /** True while a 418 ban lasts. */
  isBanned(): boolean {
    return this.#clock.now() < this.#bannedUntil;
  }

  /** Current state, for health reporting. */
  snapshot(): RateLimiterSnapshot {
    const groups: Record<string, { tokens: number; pausedUntil: number; consecutive429: number }> = {};
    for (const [name, b] of this.#buckets)
      groups[name] = { tokens: b.tokens, pausedUntil: b.pausedUntil, consecutive429: b.consecutive429 };
    return { bannedUntil: this.#bannedUntil, groups };
  }
}

const DURATION =
  /(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec|secs|seconds?|초|m|min|mins|minutes?|분|h|hours?|시간)(?![a-z])/i;

/**
 * Reads a ban length from a 418 body. Upbit says the response states the duration but documents no
 * format (PROTOCOL.md §9), so this looks for `{"retry_after":N}`-style numbers and "N seconds/분" text.
 */
export function banDurationMs(body: string | undefined): number | undefined {
  if (body === undefined || body.length === 0 || body.length > 4096) return undefined;
  const match = DURATION.exec(body);
  if (match === null) return undefined;
  const n = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  if (!Number.isFinite(n) || n <= 0) return undefined;
  if (unit.startsWith('ms') || unit.startsWith('milli')) return n;
  if (unit === 'm' || unit.startsWith('min') || unit === '분') return n * 60_000;
  if (unit === 'h' || unit.startsWith('hour') || unit === '시간') return n * 3_600_000;
  return n * 1_000;
}
