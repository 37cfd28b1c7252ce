import { compareDecimals } from '../money/decimal-compare';
import { approximately } from '../money/decimal-units';
import type { Krw } from '../money/quantities';
import { emptyRefs } from '../shapes/typed-empty-arrays';
import type { EpochMs } from '../time/epoch';
import type { LossPeriod } from '../time/kst-calendar';
import { nextKstDayStart, nextKstMonthStart, nextKstWeekStart } from '../time/kst-calendar';
import type { RiskLedgerEntry } from '../trading/risk-ledger';
import { advanceLedgers, type LedgerSet, ledgerEntryAt, markEquity } from './loss-ledger';
import { type LossBreach, type LossStatus, lossBreaches, lossStatusWith, noBreachAbove } from './loss-status';
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
  private ledgerSet: LedgerSet | undefined = undefined;
  /** The status of the last mark, built on first read (undefined until then). */
  private current: LossStatus | undefined = undefined;
  private breachList: readonly LossBreach[] = NO_BREACHES;
  private lastAt = Number.NEGATIVE_INFINITY;
  /** First instant at which some period rolls over (the earliest next KST day, week or month start). */
  private until = Number.NEGATIVE_INFINITY;
  /** Each period's next start as of the last roll (see {@link rollTo}). */
  private dayUntil = Number.NEGATIVE_INFINITY;
  private weekUntil = Number.NEGATIVE_INFINITY;
  private monthUntil = Number.NEGATIVE_INFINITY;
  private lastEquity: Krw | undefined = undefined;
  /** {@link noBreachAbove} of {@link floorLedgers} (the ledger set it was worked out for). */
  private floor = Number.POSITIVE_INFINITY;
  private floorLedgers: LedgerSet | undefined = undefined;
  /** The lowest peak of {@link floorLedgers} as a double (NaN when one is not a finite decimal). */
  private lowestPeak = Number.NaN;

  constructor(private readonly limits: LossLimits) {}

  /** The ledgers as of the last {@link mark}; undefined before it. */
  get ledgers(): LedgerSet | undefined {
    return this.ledgerSet;
  }

  /** The status of the last {@link mark} or {@link update}; undefined before the first. */
  get status(): LossStatus | undefined {
    if (this.current === undefined && this.ledgerSet !== undefined)
      this.current = lossStatusWith(this.ledgerSet, this.lastEquity as Krw, this.limits, this.breachList);
    return this.current;
  }

  /** Rolls the ledgers to `at`, raises their peaks to `equity` and evaluates the loss limits. */
  mark(at: EpochMs, equity: Krw): LossStatus {
    this.update(at, equity);
    return this.status as LossStatus;
  }

  /**
   * {@link mark} returning only the status's breaches (strictest first): the status itself, whose
   * loss fractions only a display or an order's check reads, is built when {@link status} is read.
   */
  update(at: EpochMs, equity: Krw): readonly LossBreach[] {
    const last = this.lastEquity;
    const sameEquity = last !== undefined && (equity === last || compareDecimals(equity, last) === 0);
    if (this.ledgerSet !== undefined && at >= this.lastAt && at < this.until && sameEquity) {
      this.lastAt = at;
      return this.breachList;
    }
    const samePeriods = this.ledgerSet !== undefined && at >= this.lastAt && at < this.until;
    const y = approximately(equity);
    const margin = Math.abs(y) * 1e-12;
    // Inside the periods of the last mark no entry rolls over: only the peaks can move (what
    // advanceLedgers does then, without reading the KST calendar three times), and not at all
    // when the equity is clearly below every peak (the doubles are within ~1e-15 of the decimals).
    const ledgers = !samePeriods
      ? this.rollTo(at, equity)
      : y + margin < this.lowestPeak
        ? (this.ledgerSet as LedgerSet)
        : raisePeaks(this.ledgerSet as LedgerSet, at, equity);
    if (ledgers !== this.floorLedgers) {
      this.floor = noBreachAbove(ledgers, this.limits);
      this.lowestPeak = Math.min(
        approximately(ledgers.day.peakEquity),
        approximately(ledgers.week.peakEquity),
        approximately(ledgers.month.peakEquity),
      );
      this.floorLedgers = ledgers;
    }
    // Far above every limit's equity (most marks) the four exact checks would all say no.
    this.breachList = y - margin > this.floor ? NO_BREACHES : lossBreaches(ledgers, equity, this.limits);
    // The same ledger set at most marks: stored only when it is another (a store of a young object
    // into this old one takes the write barrier's slow path even when the object is already there).
    if (ledgers !== this.ledgerSet) this.ledgerSet = ledgers;
    this.current = undefined;
    this.lastAt = at;
    this.lastEquity = equity;
    return this.breachList;
  }

  /**
   * The ledgers at `at` when it is not inside the periods of the last mark: forward in time, each
   * period rolls only if its own boundary passed ({@link rollLedgers}); otherwise (the first mark,
   * or a mark before the last one) everything is worked out again, as advanceLedgers does.
   */
  private rollTo(at: EpochMs, equity: Krw): LedgerSet {
    const set = this.ledgerSet;
    let ledgers: LedgerSet;
    if (set !== undefined && at >= this.lastAt) {
      const ended = {
        day: !(at < this.dayUntil),
        week: !(at < this.weekUntil),
        month: !(at < this.monthUntil),
      };
      ledgers = rollLedgers(set, at, equity, ended);
      if (ended.day) this.dayUntil = nextKstDayStart(at);
      if (ended.week) this.weekUntil = nextKstWeekStart(at);
      if (ended.month) this.monthUntil = nextKstMonthStart(at);
    } else {
      ledgers = advanceLedgers(set ?? {}, at, equity).ledgers;
      this.dayUntil = nextKstDayStart(at);
      this.weekUntil = nextKstWeekStart(at);
      this.monthUntil = nextKstMonthStart(at);
    }
    this.until = Math.min(this.dayUntil, this.weekUntil, this.monthUntil);
    return ledgers;
  }
}

/**
 * `advanceLedgers(ledgers, at, equity).ledgers` at or after the last mark when some period may
 * have ended (a KST day, week or month boundary): an entry whose own period has not ended keeps
 * its key, so only the ended periods read the KST calendar (one a day, not three).
 */
function rollLedgers(
  ledgers: LedgerSet,
  at: EpochMs,
  equity: Krw,
  ended: { readonly day: boolean; readonly week: boolean; readonly month: boolean },
): LedgerSet {
  return {
    day: ended.day ? entryAt(ledgers.day, 'day', at, equity) : markEquity(ledgers.day, equity, at),
    week: ended.week ? entryAt(ledgers.week, 'week', at, equity) : markEquity(ledgers.week, equity, at),
    month: ended.month ? entryAt(ledgers.month, 'month', at, equity) : markEquity(ledgers.month, equity, at),
  };
}

/** advanceLedgers' entry of one period: the current one (rolled over if it ended), peak raised. */
function entryAt(stored: RiskLedgerEntry, period: LossPeriod, at: EpochMs, equity: Krw): RiskLedgerEntry {
  return markEquity(ledgerEntryAt(stored, period, at, equity).entry, equity, at);
}

/**
 * The breaches of a mark that breaches nothing (shared: callers only read them). Not frozen, and
 * with the element kind of a list of breaches: a frozen array has a hidden class of its own, so the
 * run's first breach (a market-making year's latch, ~day 330) handed the optimised per-bar mark a
 * list it had never seen and threw it away, with the engine's step it was inlined in.
 */
const NO_BREACHES: readonly LossBreach[] = emptyRefs();

/** `advanceLedgers(ledgers, at, equity).ledgers` when no entry rolls over at `at`. */
function raisePeaks(ledgers: LedgerSet, at: EpochMs, equity: Krw): LedgerSet {
  const day = markEquity(ledgers.day, equity, at);
  const week = markEquity(ledgers.week, equity, at);
  const month = markEquity(ledgers.month, equity, at);
  // Below every peak (most marks) nothing changed: the same set, no new object.
  if (day === ledgers.day && week === ledgers.week && month === ledgers.month) return ledgers;
  return { day, week, month };
}
