import type { EpochMs } from '../domain/time/epoch';

/**
 * Time as a dependency. Domain code takes `now` as an argument; application code and adapters get a
 * Clock so tests and backtests control time (a manual clock) instead of sleeping for real.
 */
export interface Clock {
  /** Current instant. */
  now(): EpochMs;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason if aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
