import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { type EpochMs, MS, toIsoUtc } from '../../domain/time/epoch';
import type { ComponentStatus } from '../../ports/component-status-store';
import type { MarketBars } from './load-candles';
import type { StrategyBook, WarmUpNeed } from './strategy-book';

/** A market the run did not analyse, and why. */
export interface SkippedMarket {
  readonly market: Market;
  readonly reason: string;
}

/** The run record (also stored as the `analysis` component status). */
export interface AnalysisRun {
  readonly at: EpochMs;
  /** Close of the minute bar decided on. */
  readonly decisionAt: EpochMs;
  readonly analysed: readonly Market[];
  readonly skipped: readonly SkippedMarket[];
  /** Markets whose state already includes this minute (a retried run): nothing to do for them. */
  readonly alreadyAnalysed: readonly Market[];
  /**
   * Fresh markets without a bar for this minute (no trade in it, or the collector has not written it
   * yet): no decision this minute; a late bar is folded in next minute.
   */
  readonly noBarThisMinute: readonly Market[];
  readonly warmedUp: readonly WarmUpNeed[];
  readonly decisionsSent: number;
  readonly duplicateDecisions: number;
  readonly signals: number;
  readonly notes: readonly string[];
  readonly durationMs: number;
}

/** The run as the `analysis` component status the dashboard and the risk function read. */
export function statusOf(run: AnalysisRun, configured: number): ComponentStatus {
  const { analysed, skipped, alreadyAnalysed } = run;
  return {
    component: 'analysis',
    at: run.at,
    healthy: skipped.length === 0,
    summary:
      skipped.length > 0
        ? `${skipped.length} of ${configured} markets skipped`
        : analysed.length === 0 && alreadyAnalysed.length > 0
          ? 'minute already analysed (retried run)'
          : `${analysed.length} markets analysed, ${run.decisionsSent} decisions sent`,
    details: runDetails(run),
  };
}

/** The staleness verdict of a market whose state already includes the minute. */
export const ALREADY_ANALYSED = 'already analysed this minute';

/** Why a market cannot be analysed this minute, or undefined when it can. */
export function staleness(
  book: StrategyBook,
  market: Market,
  bars: MarketBars | undefined,
  decisionAt: EpochMs,
  staleAfterMs: number,
): string | undefined {
  const newest = bars?.fresh[bars.fresh.length - 1];
  const newestClose = newest === undefined ? book.lastBarAt(market) : newest.openTime + MS.minute;
  if (newestClose === undefined) return 'no candles stored for the market';
  if (newest === undefined && newestClose >= decisionAt) return ALREADY_ANALYSED;
  const age = decisionAt - newestClose;
  if (age > staleAfterMs)
    return `newest closed bar ended ${toIsoUtc(newestClose as EpochMs)}, ${Math.round(age / 1000)} s ago (limit ${Math.round(staleAfterMs / 1000)} s)`;
  return undefined;
}

/** Fresh bars merged into time steps: those before the decision minute (catch-up) and the decision step. */
export function splitSteps(
  markets: ReadonlyMap<Market, MarketBars>,
  decisionOpen: EpochMs,
): { catchUp: Candle[][]; decisionBars: Candle[] } {
  const steps = new Map<number, Candle[]>();
  for (const market of [...markets.keys()].sort())
    for (const bar of (markets.get(market) as MarketBars).fresh) {
      const list = steps.get(bar.openTime) ?? [];
      list.push(bar);
      steps.set(bar.openTime, list);
    }
  const times = [...steps.keys()].sort((a, b) => a - b);
  return {
    catchUp: times.filter((t) => t < decisionOpen).map((t) => steps.get(t) as Candle[]),
    decisionBars: steps.get(decisionOpen) ?? [],
  };
}

/** Every flag of `enabled` off (no decisions without an equity point). */
export function noneEnabled<T extends string>(enabled: Readonly<Record<T, boolean>>): Record<T, boolean> {
  const out = {} as Record<T, boolean>;
  for (const k of Object.keys(enabled) as T[]) out[k] = false;
  return out;
}

/** Items grouped by a key, in first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k) ?? [];
    list.push(item);
    out.set(k, list);
  }
  return out;
}

/** What a run did, as JSON: the status details and the analyze function's answer are the same record. */
export function runDetails(run: AnalysisRun) {
  return {
    decisionAt: run.decisionAt,
    analysed: [...run.analysed],
    skipped: run.skipped.map((s) => ({ market: s.market, reason: s.reason })),
    alreadyAnalysed: [...run.alreadyAnalysed],
    noBarThisMinute: [...run.noBarThisMinute],
    warmedUp: run.warmedUp.length,
    decisionsSent: run.decisionsSent,
    duplicateDecisions: run.duplicateDecisions,
    signals: run.signals,
    notes: [...run.notes],
    durationMs: run.durationMs,
  };
}
