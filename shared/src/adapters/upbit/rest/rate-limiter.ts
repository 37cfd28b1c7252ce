import { TradingError } from '../../../domain/errors/trading-error';
import type { Clock } from '../../../ports/clock';
import type { Logger } from '../../../ports/logger';
import { GroupPacer, STALE_IN_FLIGHT_MS } from './group-pacer';
import {
  type GroupBudget,
  groupBudgets,
  isRateLimitGroup,
  parseRemainingReq,
  type RateLimitGroup,
} from './rate-limit-groups';

/** Options for {@link UpbitRateLimiter}. */
export interface RateLimiterOptions {
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Per-group overrides (e.g. a lower `order` limit to leave room for a second process). */
  readonly budgets?: Partial<Record<RateLimitGroup, GroupBudget>>;
  /** Jitter guard added to every window (ms); default 100. Larger is safer on a jittery link, smaller faster. */
  readonly jitterGuardMs?: number;
  /** First pause after a 429; Upbit asks for at least one second. Default 1,000 ms. */
  readonly backoffAfter429Ms?: number;
  /** Cap of the doubling pause after repeated 429s. Default 16,000 ms. */
  readonly maxBackoffMs?: number;
  /** Ban length assumed when a 418 does not say how long; default 300,000 ms (5 min). */
  readonly defaultBanMs?: number;
}

/**
 * One admitted call. Hand it back through {@link UpbitRateLimiter.observe} with the answer, or
 * {@link UpbitRateLimiter.abandon} when none came, so the limiter knows what is still in flight.
 */
export interface RateTicket {
  readonly id: number;
  readonly group: RateLimitGroup;
  readonly sentAt: number;
}

/** What the limiter knows, for health pages and tests. */
export interface RateLimiterSnapshot {
  readonly bannedUntil: number;
  readonly groups: Readonly<
    Record<string, { tokens: number; pausedUntil: number; consecutive429: number; inFlight: number }>
  >;
}

interface Waiter {
  readonly resolve: (ticket: RateTicket) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/**
 * Client-side rate limiting per Upbit group (PROTOCOL.md §3–4), one instance per process (see
 * `sharedRateLimiter`): calls of a group wait in a FIFO queue and go when the group's {@link GroupPacer}
 * allows (documented rate with a jitter guard, the server's `Remaining-Req` count, one probe before the
 * first header); a 429 pauses the group with a doubling back-off (≥ 1 s), a 418 stops every group until
 * the stated ban ends. All waiting goes through the Clock port so tests drive it with a manual clock.
 */
export class UpbitRateLimiter {
  readonly #clock: Clock;
  readonly #logger: Logger | undefined;
  readonly #budgets: Readonly<Record<RateLimitGroup, GroupBudget>>;
  readonly #pacers = new Map<RateLimitGroup, GroupPacer>();
  readonly #queues = new Map<RateLimitGroup, Waiter[]>();
  /** Interrupts a group's pump while it waits (an answer, a ban or an abort changed something). */
  readonly #wakers = new Map<RateLimitGroup, AbortController>();
  readonly #pumping = new Set<RateLimitGroup>();
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #defaultBanMs: number;
  #bannedUntil = 0;
  #nextTicket = 1;

  constructor(options: RateLimiterOptions) {
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#budgets = { ...groupBudgets(options.jitterGuardMs), ...options.budgets };
    this.#backoffMs = Math.max(1_000, options.backoffAfter429Ms ?? 1_000);
    this.#maxBackoffMs = Math.max(this.#backoffMs, options.maxBackoffMs ?? 16_000);
    this.#defaultBanMs = options.defaultBanMs ?? 300_000;
  }

  #pacer(group: RateLimitGroup): GroupPacer {
    let pacer = this.#pacers.get(group);
    if (pacer === undefined) {
      pacer = new GroupPacer(this.#budgets[group]);
      this.#pacers.set(group, pacer);
    }
    return pacer;
  }

  #banError(now: number): TradingError {
    return new TradingError(
      'fatal',
      `Upbit has banned this IP/account (HTTP 418) until ${new Date(this.#bannedUntil).toISOString()}; ` +
        'all calls are stopped until then. Find what flooded the API before restarting trading.',
      { code: 'rate_limit_banned', status: 418, retryAfterMs: this.#bannedUntil - now },
    );
  }

  /**
   * Waits (in FIFO order per group) until one call of `group` may be sent and returns its ticket.
   * Throws a fatal `rate_limit_banned` error at once while a 418 ban lasts; rejects with the signal's
   * reason if aborted while waiting.
   */
  acquire(group: RateLimitGroup, signal?: AbortSignal): Promise<RateTicket> {
    const now = this.#clock.now();
    if (now < this.#bannedUntil) return Promise.reject(this.#banError(now));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<RateTicket>((resolve, reject) => {
      const queue = this.#queues.get(group) ?? [];
      this.#queues.set(group, queue);
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(signal?.reason);
          this.#wake(group);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      queue.push(waiter);
      this.#pump(group);
    });
  }

  #wake(group: RateLimitGroup): void {
    this.#wakers.get(group)?.abort();
  }

  #pump(group: RateLimitGroup): void {
    if (this.#pumping.has(group)) return;
    this.#pumping.add(group);
    this.#runPump(group).finally(() => {
      this.#pumping.delete(group);
      if ((this.#queues.get(group)?.length ?? 0) > 0) this.#pump(group);
    });
  }

  async #runPump(group: RateLimitGroup): Promise<void> {
    const queue = this.#queues.get(group) ?? [];
    const pacer = this.#pacer(group);
    while (queue.length > 0) {
      const now = this.#clock.now();
      if (now < this.#bannedUntil) {
        for (const w of queue.splice(0)) this.#finish(w, () => w.reject(this.#banError(now)));
        return;
      }
      const wait = pacer.waitMs(now);
      if (wait === 0) {
        const waiter = queue.shift() as Waiter;
        const ticket: RateTicket = { id: this.#nextTicket++, group, sentAt: now };
        pacer.take(now, ticket.id);
        this.#finish(waiter, () => waiter.resolve(ticket));
        continue;
      }
      const waker = new AbortController();
      this.#wakers.set(group, waker);
      try {
        await this.#clock.sleep(wait === 'answer' ? STALE_IN_FLIGHT_MS : Math.max(1, wait), waker.signal);
      } catch {
        // Woken early: something changed (an answer, a ban, an aborted waiter); look again.
      } finally {
        if (this.#wakers.get(group) === waker) this.#wakers.delete(group);
      }
    }
  }

  #finish(waiter: Waiter, settle: () => void): void {
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    settle();
  }

  /** A call that got no answer (timeout, network error, not sent at all): no longer in flight. */
  abandon(ticket: RateTicket): void {
    this.#pacer(ticket.group).settle(ticket.id);
    this.#wake(ticket.group);
  }

  /**
   * Feeds back an answer: `Remaining-Req` tells the server's count for its window, a 429 pauses the group
   * (≥ 1 s, doubling on repeats), a 418 stops every group until the ban ends (the body's stated length,
   * else `defaultBanMs`). Returns the pause in ms the caller should report, if any.
   */
  observe(
    group: RateLimitGroup,
    status: number,
    remainingReqHeader: string | null,
    body?: string,
    ticket?: RateTicket,
  ): number | undefined {
    const now = this.#clock.now();
    const sentAt = ticket === undefined ? undefined : this.#pacer(ticket.group).settle(ticket.id);
    const remaining = parseRemainingReq(remainingReqHeader);
    const target = remaining !== undefined && isRateLimitGroup(remaining.group) ? remaining.group : group;
    const pacer = this.#pacer(target);
    try {
      if (status === 418) {
        const banMs = banDurationMs(body) ?? this.#defaultBanMs;
        this.#bannedUntil = Math.max(this.#bannedUntil, now + banMs);
        for (const p of this.#pacers.values()) p.distrust();
        this.#logger?.error('upbit rate-limit ban (418): stopping all calls', { group: target, banMs });
        for (const g of this.#pacers.keys()) this.#wake(g);
        return banMs;
      }
      if (status === 429) {
        const pause = Math.min(this.#maxBackoffMs, this.#backoffMs * 2 ** pacer.consecutive429);
        pacer.tooMany(now, pause);
        this.#logger?.warn('upbit 429: pausing rate-limit group', { group: target, pauseMs: pause });
        return pause;
      }
      if (status < 500) pacer.consecutive429 = 0;
      if (remaining !== undefined)
        pacer.observeRemaining(now, remaining.sec, target === ticket?.group ? sentAt : undefined);
      return undefined;
    } finally {
      this.#wake(target);
      if (ticket !== undefined && ticket.group !== target) this.#wake(ticket.group);
    }
  }

  /** True while a 418 ban lasts. */
  isBanned(): boolean {
    return this.#clock.now() < this.#bannedUntil;
  }

  /** Current state, for health reporting. */
  snapshot(): RateLimiterSnapshot {
    const now = this.#clock.now();
    const groups: Record<
      string,
      { tokens: number; pausedUntil: number; consecutive429: number; inFlight: number }
    > = {};
    for (const [name, p] of this.#pacers)
      groups[name] = {
        tokens: p.available(now),
        pausedUntil: p.pausedUntil,
        consecutive429: p.consecutive429,
        inFlight: p.inFlight(),
      };
    return { bannedUntil: this.#bannedUntil, groups };
  }
}

// The Korean units 초, 분 and 시간 are written as \u escapes: esbuild escapes non-ASCII text in strings
// but copies a regular expression's characters as they are, and one character above U+00FF anywhere in
// the executor bundle makes V8 keep the bundle's whole source (~1.2 MB) as a two-byte string, twice
// its size in heap for the life of the process (test/deploy/executor-bundle.test.ts checks it).
const DURATION =
  /(\d{1,9}(?:\.\d{1,6})?)\s*(ms|milliseconds?|s|sec|secs|seconds?|\uCD08|m|min|mins|minutes?|\uBD84|h|hours?|\uC2DC\uAC04)(?![a-z])/i;

/**
 * Reads a ban length from a 418 body. Upbit says the response states the duration but documents no
 * format (PROTOCOL.md §9), so this looks for "N seconds/분"-style text. Capped at one day.
 */
export function banDurationMs(body: string | undefined): number | undefined {
  if (body === undefined || body.length === 0 || body.length > 4096) return undefined;
  const match = DURATION.exec(body);
  if (match === null) return undefined;
  const n = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  if (!Number.isFinite(n) || n <= 0) return undefined;
  let ms: number;
  if (unit.startsWith('ms') || unit.startsWith('milli')) ms = n;
  else if (unit === 'm' || unit.startsWith('min') || unit === '분') ms = n * 60_000;
  else if (unit === 'h' || unit.startsWith('hour') || unit === '시간') ms = n * 3_600_000;
  else ms = n * 1_000;
  return Math.min(ms, 86_400_000);
}
