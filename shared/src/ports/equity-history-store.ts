import type { Krw } from '../domain/money/quantities';
import type { EpochMs } from '../domain/time/epoch';

/**
 * The account marked to market at one instant. Only the executor can write it (it alone sees the
 * venue's balances: Upbit keys never leave the VM), once a minute and on every fill; the risk
 * function, the daily report and the dashboard's equity chart read it.
 */
export interface EquityPoint {
  readonly at: EpochMs;
  /** cash + holdings: what the account would be worth if liquidated now (domain `accountEquity`). */
  readonly equity: Krw;
  readonly cash: Krw;
  readonly holdings: Krw;
  /** Coins that had no mark and were left out of `holdings` (never guessed). */
  readonly unpriced: readonly string[];
}

/**
 * Equity history, minute resolution. Writing a point for an instant that is already stored replaces
 * it (the executor's retries are idempotent); `latest` only ever moves forward in time, so a delayed
 * retry of an old point never makes the account look older than it is.
 */
export interface EquityHistoryStore {
  putPoint(point: EquityPoint): Promise<void>;
  /** The newest point written, or undefined before the first one. */
  latestPoint(): Promise<EquityPoint | undefined>;
  /** Points with `from <= at < to`, oldest first. */
  listPoints(range: { readonly from: EpochMs; readonly to: EpochMs }): Promise<EquityPoint[]>;
  /**
   * The points of {@link listPoints}, one KST day per batch (days without points yield nothing), so
   * a year-long summary holds 1,440 points at a time instead of half a million: a Lambda reading a
   * year of minute equity at once would run out of memory.
   */
  pointsByDay(range: { readonly from: EpochMs; readonly to: EpochMs }): AsyncIterable<readonly EquityPoint[]>;
}
