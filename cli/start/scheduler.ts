import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import type { Clock } from '../../shared/src/ports/clock';
import type { Logger } from '../../shared/src/ports/logger';

/** One recurring job of the local scheduler. */
export interface ScheduledJob {
  readonly name: string;
  /** The first run time strictly after `now`. */
  next(now: EpochMs): EpochMs;
  run(at: EpochMs): Promise<void>;
}

/**
 * The executor writes a minute's candle 2 s after the minute ends; the analysis of that minute runs
 * a few seconds later so the bar is there (EventBridge's `rate(1 minute)` fires at no fixed second).
 */
export const MINUTE_JOB_DELAY_MS = 8 * MS.second;

/** Every minute, `delayMs` after the minute closes. */
export function everyMinute(delayMs: number = MINUTE_JOB_DELAY_MS): (now: EpochMs) => EpochMs {
  return (now) => {
    const at = Math.floor(now / MS.minute) * MS.minute + delayMs;
    return (at > now ? at : at + MS.minute) as EpochMs;
  };
}

/**
 * Daily at 00:00 UTC = 09:00 KST (serverless.yml's `cron(0 0 * * ? *)`), `delayMs` later so the
 * executor's last equity point of the KST day is stored.
 */
export function dailyAtNineKst(delayMs: number = MINUTE_JOB_DELAY_MS): (now: EpochMs) => EpochMs {
  return (now) => {
    const at = Math.floor(now / MS.day) * MS.day + delayMs;
    return (at > now ? at : at + MS.day) as EpochMs;
  };
}

/**
 * The local stand-in for EventBridge: each job runs at its times on the clock (a manual clock in
 * tests), one run at a time; a run that takes longer than its period skips the times it missed (as a
 * Lambda would be throttled, never stacked) and a failing run is logged and tried again next time.
 */
export class Scheduler {
  private readonly stopping = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly o: {
      readonly clock: Clock;
      readonly logger: Logger;
      readonly jobs: readonly ScheduledJob[];
    },
  ) {}

  start(): void {
    if (this.loops.length === 0) this.loops = this.o.jobs.map((job) => this.loop(job));
  }

  /** Stops waiting and lets a run in progress finish. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.loops);
  }

  private async loop(job: ScheduledJob): Promise<void> {
    const { signal } = this.stopping;
    let previous: EpochMs | undefined;
    while (!signal.aborted) {
      const now = this.o.clock.now();
      if (previous !== undefined && job.next(previous) < now)
        this.o.logger.warn('scheduled run skipped: the previous one ran past it', { job: job.name });
      const at = job.next(now);
      try {
        await this.o.clock.sleep(at - now, signal);
      } catch {
        return;
      }
      previous = at;
      try {
        await job.run(at);
      } catch (error) {
        this.o.logger.error('scheduled run failed; next run at its usual time', {
          job: job.name,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}
