import { maxDecimal, ZERO } from '../money/decimal';
import { decimalGt } from '../money/decimal-compare';
import { type Krw, krw } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import { kstPeriodKey, type LossPeriod } from '../time/kst-calendar';
import type { RiskLedgerEntry } from '../trading/risk-ledger';

/**
 * The status view over these ledgers lives in loss-status.ts; re-exported here because every
 * caller that keeps the ledgers also evaluates them (one import for the pair).
 */
export {
  evaluateLossLimits,
  evaluateLossLimitsLazily,
  type LossBreach,
  type LossStatus,
  lossBreaches,
  lossStatusWith,
  noBreachAbove,
} from './loss-status';

/** The three loss-limit periods in evaluation order. */
export const LOSS_PERIODS: readonly LossPeriod[] = ['day', 'week', 'month'];

/** The ledger entries of the periods containing one instant. */
export type LedgerSet = Readonly<Record<LossPeriod, RiskLedgerEntry>>;

/** A fresh entry for the period containing `at`: equity now is both the start and the peak. */
export function openLedgerEntry(period: LossPeriod, at: EpochMs, equity: Krw): RiskLedgerEntry {
  // Copied onto an empty object, as every update below copies an entry: a fresh entry and an updated
  // one then share one hidden class. As a literal of its own it had another (a literal's fields sit
  // in the object, a copy's mostly outside it), and the loss tracker, compiled while a period's entry
  // was still the fresh one, threw its code away at the first raised peak of each period (momentum
  // scalping: the week's on day 3, the month's on day 30).
  return Object.assign(
    {},
    {
      period,
      periodKey: kstPeriodKey(period, at),
      startEquity: equity,
      peakEquity: equity,
      realizedPnl: krw(ZERO),
      fees: krw(ZERO),
      fills: 0,
      updatedAt: at,
      version: 0,
    },
  );
}

/**
 * The entry to use at `at`: the stored one while it is still the current KST period, otherwise a new
 * one starting from `equity` (the roll-over). Boundaries are KST midnight, Monday for weeks and the 1st
 * for months (kst-calendar), so 23:59:59.999 KST still belongs to the old day. A new entry keeps the
 * stored entry's version so the write is a compare-and-set against what was read.
 */
export function ledgerEntryAt(
  stored: RiskLedgerEntry | undefined,
  period: LossPeriod,
  at: EpochMs,
  equity: Krw,
): { readonly entry: RiskLedgerEntry; readonly rolled: boolean } {
  const key = kstPeriodKey(period, at);
  if (stored !== undefined && stored.periodKey === key) return { entry: stored, rolled: false };
  return { entry: openLedgerEntry(period, at, equity), rolled: true };
}

/** Adds one fill's realised PnL and fee to an entry. */
export function recordFillInLedger(
  entry: RiskLedgerEntry,
  realizedPnl: Krw,
  fee: Krw,
  at: EpochMs,
): RiskLedgerEntry {
  return Object.assign({}, entry, {
    realizedPnl: krw(entry.realizedPnl.plus(realizedPnl)),
    fees: krw(entry.fees.plus(fee)),
    fills: entry.fills + 1,
    updatedAt: at > entry.updatedAt ? at : entry.updatedAt,
  });
}

/** Raises the peak to `equity` when higher (for the intraday-peak instant-drop reference). */
export function markEquity(entry: RiskLedgerEntry, equity: Krw, at: EpochMs): RiskLedgerEntry {
  if (!decimalGt(equity, entry.peakEquity)) return entry;
  // Object.assign, not a spread (here and in the other entry updates): the same keys, order and
  // values, but V8's spread copies the source's hidden class from its 9th run on, so the entries of
  // an optimizer worker's later runs had another map than the code compiled in its first run.
  return Object.assign({}, entry, { peakEquity: krw(maxDecimal(entry.peakEquity, equity)), updatedAt: at });
}

/**
 * Shifts an entry by a deposit (+) or withdrawal (−) so external transfers are not mistaken for
 * profit or loss. Equity-based loss limits need this; the caller must detect the transfer.
 */
export function rebaseLedgerEntry(entry: RiskLedgerEntry, externalFlow: Krw, at: EpochMs): RiskLedgerEntry {
  return Object.assign({}, entry, {
    startEquity: krw(entry.startEquity.plus(externalFlow)),
    peakEquity: krw(entry.peakEquity.plus(externalFlow)),
    updatedAt: at,
  });
}

/** The period key each entry must have at `at`; used to assert a set is current. */
export function isCurrentLedgerSet(ledgers: LedgerSet, at: EpochMs): boolean {
  return LOSS_PERIODS.every((p) => ledgers[p].periodKey === kstPeriodKey(p, at));
}

/**
 * Brings all three entries to the periods containing `at` (rolling any that ended, starting them at
 * `equity`) and raises their peaks to `equity`. What the scheduled loss check runs before evaluating.
 */
export function advanceLedgers(
  stored: Readonly<Partial<Record<LossPeriod, RiskLedgerEntry>>>,
  at: EpochMs,
  equity: Krw,
): { readonly ledgers: LedgerSet; readonly rolled: readonly LossPeriod[] } {
  const rolled: LossPeriod[] = [];
  const next = (period: LossPeriod): RiskLedgerEntry => {
    const { entry, rolled: r } = ledgerEntryAt(stored[period], period, at, equity);
    if (r) rolled.push(period);
    return markEquity(entry, equity, at);
  };
  return { ledgers: { day: next('day'), week: next('week'), month: next('month') }, rolled };
}
