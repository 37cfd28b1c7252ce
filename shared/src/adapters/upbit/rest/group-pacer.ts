import type { GroupBudget } from './rate-limit-groups';

/** In-flight calls older than this are forgotten (a caller that never reported back must not block forever). */
export const STALE_IN_FLIGHT_MS = 60_000;

/**
 * What the last `Remaining-Req` said: at most `remaining` more calls may land in the server window it
 * described, and that window is over by `until` at the latest (it contained the call's arrival, which
 * happened before the answer was read, and lasts one window).
 */
interface ServerCap {
  remaining: number;
  readonly until: number;
  /** When the answer was read; a later call's answer replaces it, an overlapping one can only tighten it. */
  readonly observedAt: number;
}

/** Why a call of the group cannot go now: wait this many ms, or until an in-flight probe is answered. */
export type PacerWait = number | 'answer';

/**
 * The state of one rate-limit group (PROTOCOL.md §3), with time passed in so it is tested without a
 * clock:
 * - **pace**: at most `limit` calls in any `spanMs` of send times (the window plus a jitter guard), which
 *   keeps every server window within its limit whatever its phase;
 * - **server count**: `sec` of `Remaining-Req` is what the server has left in the window the call landed
 *   in; until that window is certainly over, no more than that many further calls are sent (this is what
 *   catches budget spent by another process of the same account or IP). An answer to a call sent after
 *   the previous answer was read describes a later instant, so it replaces the old count: when the window
 *   rolls, the budget comes back at once (an answer exactly as our own calls predicted is the same window,
 *   which keeps its earlier end);
 * - **conservative start**: while no count is current (at start, once the described window is over,
 *   after a 429 or a 418), one call at a time: its answer tells what the new window holds;
 * - **back-off**: a pause after a 429.
 */
export class GroupPacer {
  /** Send times within the last span, oldest first. */
  readonly #sends: number[] = [];
  readonly #inFlight = new Map<number, number>();
  #cap: ServerCap | undefined;
  #trusted = false;
  /** No call before this instant (after a 429). */
  pausedUntil = 0;
  consecutive429 = 0;

  constructor(readonly budget: GroupBudget) {}

  #prune(now: number): void {
    const from = now - this.budget.spanMs;
    let drop = 0;
    while (drop < this.#sends.length && (this.#sends[drop] as number) <= from) drop++;
    if (drop > 0) this.#sends.splice(0, drop);
    for (const [id, at] of this.#inFlight) if (at <= now - STALE_IN_FLIGHT_MS) this.#inFlight.delete(id);
    if (this.#cap !== undefined && this.#cap.until <= now) {
      // The window the server described is over and the current one is unknown: probe it first.
      this.#cap = undefined;
      this.#trusted = false;
    }
  }

  #probing(): boolean {
    return this.budget.reported && !this.#trusted;
  }

  /** 0 when a call may be sent at `now`; else how long to wait, or `answer` (a probe is in flight). */
  waitMs(now: number): PacerWait {
    this.#prune(now);
    let wait = Math.max(0, this.pausedUntil - now);
    if (this.#cap !== undefined && this.#cap.remaining <= 0) wait = Math.max(wait, this.#cap.until - now);
    const { limit, spanMs } = this.budget;
    if (this.#sends.length >= limit)
      wait = Math.max(wait, (this.#sends[this.#sends.length - limit] as number) + spanMs - now);
    if (wait > 0) return wait;
    return this.#probing() && this.#inFlight.size > 0 ? 'answer' : 0;
  }

  /** Records a call sent at `now` under ticket `id`. */
  take(now: number, id: number): void {
    this.#sends.push(now);
    if (this.#cap !== undefined) this.#cap.remaining -= 1;
    if (this.budget.reported) this.#inFlight.set(id, now);
  }

  /** Forgets an in-flight call (answered, failed or timed out); returns when it was sent. */
  settle(id: number): number | undefined {
    const sentAt = this.#inFlight.get(id);
    this.#inFlight.delete(id);
    return sentAt;
  }

  /**
   * Reads `sec` from an answer read at `now` to a call sent at `sentAt` (undefined when unknown, e.g. a
   * header of another group). Calls still in flight may land after it in the same window, so they are
   * subtracted: a conservative count, never an optimistic one.
   */
  observeRemaining(now: number, sec: number, sentAt: number | undefined): void {
    this.#prune(now);
    const remaining = sec - this.#inFlight.size;
    const until = now + this.budget.windowMs;
    const cap = this.#cap;
    if (cap !== undefined && remaining === cap.remaining)
      // Exactly what our own calls predicted: the same window as the last answer, which ends by then.
      this.#cap = { remaining, until: cap.until, observedAt: now };
    else if (cap !== undefined && (sentAt === undefined || sentAt < cap.observedAt))
      // Overlapping calls answered out of order: keep the tighter count and the later end.
      this.#cap = {
        remaining: Math.min(cap.remaining, remaining),
        until: Math.max(cap.until, until),
        observedAt: now,
      };
    else this.#cap = { remaining, until, observedAt: now };
    this.#trusted = true;
  }

  /** A 429: pause, forget the server count and start conservatively again after the pause. */
  tooMany(now: number, pauseMs: number): void {
    this.consecutive429 += 1;
    this.pausedUntil = Math.max(this.pausedUntil, now + pauseMs);
    this.#cap = { remaining: 0, until: this.pausedUntil, observedAt: now };
    this.#trusted = false;
  }

  /** Forget what the server said (after a 418 ban): the next call is a probe again. */
  distrust(): void {
    this.#cap = undefined;
    this.#trusted = false;
  }

  /** Calls that could be sent at `now` without waiting (health pages, tests). */
  available(now: number): number {
    this.#prune(now);
    if (this.pausedUntil > now) return 0;
    let n = this.budget.limit - this.#sends.length;
    if (this.#cap !== undefined) n = Math.min(n, this.#cap.remaining);
    if (this.#probing()) n = Math.min(n, this.#inFlight.size > 0 ? 0 : 1);
    return Math.max(0, n);
  }

  /** Calls sent and not yet answered. */
  inFlight(): number {
    return this.#inFlight.size;
  }
}
