import type { EpochMs } from '../domain/time/epoch';
import type { Clock } from '../ports/clock';

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

/** Wall-clock time for the CLI (the fake exchange's only real-time source). */
export class SystemClock implements Clock {
  now(): EpochMs {
    return Date.now() as EpochMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

interface Sleeper {
  readonly until: number;
  readonly resolve: () => void;
}

/**
 * A clock that only moves when a test calls {@link advance}/{@link set}; sleepers wake in time order.
 * Lets tests drive the fake market and time-dependent behaviour without real waiting.
 */
export class ManualClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];

  constructor(start: number) {
    this.current = start;
  }

  now(): EpochMs {
    return this.current as EpochMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const sleeper: Sleeper = { until: this.current + Math.max(0, ms), resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(abortReason(signal));
        },
        { once: true },
      );
    });
  }

  /** Moves time forward and wakes every sleeper whose time has come. */
  advance(ms: number): void {
    this.set(this.current + ms);
  }

  /** Jumps to an instant (never backwards) and wakes due sleepers. */
  set(at: number): void {
    if (at < this.current) throw new RangeError('a ManualClock never goes backwards');
    this.current = at;
    const due = this.sleepers.filter((s) => s.until <= at).sort((a, b) => a.until - b.until);
    this.sleepers = this.sleepers.filter((s) => s.until > at);
    for (const s of due) s.resolve();
  }
}
