import type { Clock } from '../../../shared/src/ports/clock';

/**
 * A token bucket for cancel/replace traffic, refilled at `perSecond`, holding at most one second's
 * worth. Quote maintenance only acts when a token is free, so re-pricing ten layers in five markets
 * never crowds out a directional order or an emergency cancel under Upbit's 12 orders/s (those are
 * counted but never refused: they take the bucket below zero and quotes wait until it refills).
 */
export class OrderBudget {
  #tokens: number;
  #at: number;

  constructor(
    private readonly perSecond: number,
    private readonly clock: Pick<Clock, 'now'>,
  ) {
    this.#tokens = perSecond;
    this.#at = clock.now();
  }

  /** Takes `n` tokens for optional work; false (nothing taken) when they are not there. */
  tryTake(n = 1): boolean {
    this.#refill();
    if (this.#tokens < n) return false;
    this.#tokens -= n;
    return true;
  }

  /** Counts `n` requests that go out regardless (directional, flatten, emergency). */
  spend(n = 1): void {
    this.#refill();
    this.#tokens -= n;
  }

  #refill(): void {
    const now = this.clock.now();
    this.#tokens = Math.min(this.perSecond, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
  }
}
