import type { Krw } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import { nextKstDayStart, nextKstMonthStart, nextKstWeekStart } from '../time/kst-calendar';
import { advanceLedgers, evaluateLossLimits, type LedgerSet, type LossStatus } from './loss-ledger';
import type { LossLimits } from './risk-limits';

/**
 * {@link advanceLedgers} then {@link evaluateLossLimits}, for a caller that marks equity at every
 * bar in time order (the backtest): the same ledgers and the same status, with the work done only
 * when it can change them. Between two KST period boundaries the ledgers' keys cannot change, and
 * an equity equal to the one marked last can neither raise a peak (the peak is already at least
 * that equity) nor change a loss fraction, so both stay as they are; the KST calendar is read only
 * when a boundary is crossed, not at every bar.
 */
export class LossLimitTracker {
  private ledgerSet: LedgerSet | undefined;
  private current: LossStatus | undefined;
  private lastAt = Number.NEGATIVE_INFINITY;
  /** First instant at which some period rolls over (the earliest next KST day, week or month start). */
  private until = Number.NEGATIVE_INFINITY;
  private lastEquity: Krw | undefined;

  constructor(private readonly limits: LossLimits) {}

  /** The ledgers as of the last {@link mark}; undefined before it. */
  get ledgers(): LedgerSet | undefined {
    return this.ledgerSet;
  }

  /** The status of the last {@link mark}; undefined before it. */
  get status(): LossStatus | undefined {
    return this.current;
  }

  /** Rolls the ledgers to `at`, raises their peaks to `equity` and evaluates the loss limits. */
  mark(at: EpochMs, equity: Krw): LossStatus {
    const last = this.lastEquity;
    const sameEquity = last !== undefined && (equity === last || equity.eq(last));
    if (this.current !== undefined && at >= this.lastAt && at < this.until && sameEquity) {
      this.lastAt = at;
      return this.current;
    }
    const ledgers = advanceLedgers(this.ledgerSet ?? {}, at, equity).ledgers;
    if (!(at >= this.lastAt && at < this.until))
      this.until = Math.min(nextKstDayStart(at), nextKstWeekStart(at), nextKstMonthStart(at));
    this.ledgerSet = ledgers;
    this.current = evaluateLossLimits(ledgers, equity, this.limits);
    this.lastAt = at;
    this.lastEquity = equity;
    return this.current;
  }
}
