import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Clock } from '../../../shared/src/ports/clock';

/**
 * A clock whose sleeps return at once after moving time forward. Fuzz and retry tests use it so the
 * client's 429 back-off and 418 ban run their full logic in virtual time without real waiting.
 */
export class InstantClock implements Clock {
  #now: number;

  constructor(start = Date.UTC(2026, 10, 25, 13)) {
    this.#now = start;
  }

  now(): EpochMs {
    return this.#now as EpochMs;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.#now += Math.max(0, ms);
  }
}
