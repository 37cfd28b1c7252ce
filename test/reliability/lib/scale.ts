/**
 * How big each part of the campaign is. `full` is the campaign (1,000 decisions and 100
 * SIGKILLs, 10,000 inputs per fuzz target, 10,000 market paths, one hour of soak); `quick` is the
 * same campaign small enough to run in minutes before a commit; `ci` is what `npm test` runs inside
 * its time budget (each part exercised, nothing at scale).
 */
export interface Scale {
  readonly name: 'full' | 'quick' | 'ci';
  readonly crash: { readonly decisions: number; readonly kills: number };
  readonly redelivery: { readonly decisions: number };
  /** Rounds of every fault phase; `rate` scales the decisions sent during a fault (fewer = a shorter backlog). */
  readonly faults: { readonly rounds: number; readonly rate: number };
  /** Inputs per fuzz target (API, queue consumer, WebSocket decoder, config). */
  readonly fuzzRuns: number;
  readonly riskPaths: number;
  /** Bars per market path (after the strategies' warm-up). */
  readonly riskBars: number;
  /** Wall-clock soak length and how fast the sim runs meanwhile. */
  readonly soak: { readonly minutes: number; readonly speed: number };
}

export const SCALES: Readonly<Record<Scale['name'], Scale>> = {
  full: {
    name: 'full',
    crash: { decisions: 1_000, kills: 100 },
    redelivery: { decisions: 300 },
    faults: { rounds: 3, rate: 1 },
    fuzzRuns: 10_000,
    riskPaths: 10_000,
    riskBars: 240,
    soak: { minutes: 60, speed: 24 },
  },
  quick: {
    name: 'quick',
    crash: { decisions: 100, kills: 10 },
    redelivery: { decisions: 60 },
    faults: { rounds: 1, rate: 1 },
    fuzzRuns: 1_000,
    riskPaths: 500,
    riskBars: 240,
    soak: { minutes: 3, speed: 24 },
  },
  ci: {
    name: 'ci',
    crash: { decisions: 16, kills: 2 },
    redelivery: { decisions: 12 },
    faults: { rounds: 1, rate: 0.35 },
    fuzzRuns: 200,
    riskPaths: 40,
    riskBars: 120,
    soak: { minutes: 0.25, speed: 24 },
  },
};
