import { quantile } from '../../../bench/lib/measure';
import { medianGrowth, type Point, slopePerHour } from './process-sampler';
import { atMost, type Figure, info } from './report';

/** One look at the running stack. */
export interface SoakSample {
  /** Hours since the stack was ready. */
  readonly hours: number;
  /** Resident memory (bytes) and open descriptors per role (stack, executor, emulators). */
  readonly rss: Readonly<Record<string, number>>;
  readonly fds: Readonly<Record<string, number>>;
  /** The executor's live resources (sockets, timers, handles) by its own count. */
  readonly executorResources?: number;
  /** The executor's event-loop delay p99 over the window since the previous sample (seconds). */
  readonly lagP99?: number;
  readonly lagMax?: number;
}

/** The targets the soak is judged against, stated once (README and report quote them). */
export const SOAK_TARGETS = {
  /** RSS slope after the warm-up, MB per hour: flat within what GC noise allows. */
  rssSlopeMbPerHour: 10,
  /** Growth of descriptors / live resources from the first to the last quarter (medians). */
  handleGrowth: 5,
  /** Worst executor event-loop delay p99 of any sampling window, seconds. */
  lagP99Seconds: 1,
  /** Shortest judged window after the warm-up: shorter runs report slopes without judging them. */
  minJudgedMinutes: 10,
} as const;

/**
 * Whose memory is judged, and why the others are only reported: the executor is the process that runs
 * 24/7 in production (the VM). The stack process also hosts the fake exchange, which keeps every
 * order it was sent and up to 12,000 candles per unit and market (like Upbit's history), so its heap
 * grows with the orders by design (heap diffs of the stack during a soak: 4 more Decimal objects per
 * order placed, about 30 MB/h of heap at speed 24);
 * the emulators are DynamoDB Local's JVM, which grows its heap up to its cap. Descriptors are judged
 * for the executor and the stack alike: nothing there should grow.
 */
const RSS_JUDGED = ['executor'] as const;
const FDS_JUDGED = ['executor', 'stack'] as const;
const WHY_NOT_JUDGED: Readonly<Record<string, string>> = {
  stack:
    'reported only: this process hosts the sim, which keeps every order (and its candle history) by design',
  emulators: 'reported only: test emulators (DynamoDB Local JVM)',
};

const mb = (bytes: number) => Math.round((bytes / 1024 ** 2) * 10) / 10;
/** Rounded, and never -0 (a flat line fits a slope of -0.0001). */
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits || 0;

/**
 * The soak figures from its samples: RSS slope (least squares after the warm-up) and descriptor
 * growth per role, the executor's live-resource growth and event-loop lag. Slopes and growth are
 * judged only when the window after the warm-up is long enough to mean something; shorter runs
 * (quick, ci) report them with a note instead.
 */
export function soakFigures(samples: readonly SoakSample[], warmUpHours: number): Figure[] {
  const steady = samples.filter((s) => s.hours >= warmUpHours);
  const windowMinutes = steady.length < 2 ? 0 : ((steady.at(-1)?.hours ?? 0) - (steady[0]?.hours ?? 0)) * 60;
  const judged = windowMinutes >= SOAK_TARGETS.minJudgedMinutes;
  const short = `window of ${windowMinutes.toFixed(1)} min after the warm-up is too short to judge (needs ${SOAK_TARGETS.minJudgedMinutes})`;
  const figures: Figure[] = [
    info('samples after warm-up', steady.length, undefined, `${windowMinutes.toFixed(1)} min`),
  ];
  const series = (pick: (s: SoakSample) => number | undefined): Point[] =>
    steady.flatMap((s) => {
      const v = pick(s);
      return v === undefined || !Number.isFinite(v) ? [] : [{ hours: s.hours, value: v }];
    });
  const roles = [...new Set(samples.flatMap((s) => Object.keys(s.rss)))];
  for (const role of roles) {
    const rss = series((s) => (s.rss[role] === undefined ? undefined : mb(s.rss[role])));
    const fit = slopePerHour(rss);
    const first = rss[0]?.value ?? Number.NaN;
    const last = rss.at(-1)?.value ?? Number.NaN;
    figures.push(info(`${role} RSS after warm-up → end`, `${first} → ${last}`, 'MB'));
    const slope = fit === undefined ? 'unavailable' : round(fit.slope, 2);
    const note = fit === undefined ? 'too few samples' : `± ${round(fit.se, 2)} (standard error)`;
    const rssJudged = judged && (RSS_JUDGED as readonly string[]).includes(role);
    figures.push(
      rssJudged
        ? { ...atMost(`${role} RSS slope`, slope, SOAK_TARGETS.rssSlopeMbPerHour, 'MB/h'), note }
        : info(
            `${role} RSS slope`,
            slope,
            'MB/h',
            judged ? `${note}; ${WHY_NOT_JUDGED[role] ?? 'reported only'}` : short,
          ),
    );
    const fds = medianGrowth(series((s) => s.fds[role]));
    figures.push(
      judged && (FDS_JUDGED as readonly string[]).includes(role)
        ? atMost(`${role} open descriptors growth`, fds, SOAK_TARGETS.handleGrowth)
        : info(`${role} open descriptors growth`, fds, undefined, judged ? 'reported only' : short),
    );
  }
  const resources = medianGrowth(series((s) => s.executorResources));
  figures.push(
    judged
      ? atMost('executor live resources growth', resources, SOAK_TARGETS.handleGrowth)
      : info('executor live resources growth', resources, undefined, short),
  );
  const lags = samples.flatMap((s) => (s.lagP99 === undefined ? [] : [s.lagP99])).sort((a, b) => a - b);
  const worst = lags.at(-1);
  figures.push(
    info(
      'executor event-loop lag p99 (median window)',
      lags.length === 0 ? 'unavailable' : round(quantile(lags, 0.5) * 1000, 1),
      'ms',
    ),
    atMost(
      'executor event-loop lag p99 (worst window)',
      worst === undefined ? 'unavailable' : round(worst * 1000, 1),
      SOAK_TARGETS.lagP99Seconds * 1000,
      'ms',
    ),
    info(
      'executor event-loop lag max',
      round(Math.max(0, ...samples.map((s) => s.lagMax ?? 0)) * 1000, 1),
      'ms',
    ),
  );
  return figures;
}
