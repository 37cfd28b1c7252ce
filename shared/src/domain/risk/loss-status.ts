import { type Decimal, maxDecimal, ZERO } from '../money/decimal';
import { decimalGt, decimalGte, shortfallReaches } from '../money/decimal-compare';
import { approximately } from '../money/decimal-units';
import { type Krw, krw } from '../money/quantities';
import { emptyRefs } from '../shapes/typed-empty-arrays';
import type { LossPeriod } from '../time/kst-calendar';
import type { EmergencyTrigger } from '../trading/emergency';
import type { RiskLedgerEntry } from '../trading/risk-ledger';
import type { LedgerSet } from './loss-ledger';
import type { LossLimits } from './risk-limits';

/*
 * The loss limits' status view: how far equity is below each period's reference and which limits
 * are breached, read from the ledgers that loss-ledger.ts keeps. Evaluated on every equity change
 * (the backtest marks every bar), so the per-mark path decides on doubles unless close and builds
 * the fractions a display reads only when read.
 */

/** One limit that is breached. */
export interface LossBreach {
  readonly trigger: EmergencyTrigger;
  readonly periodKey: string;
  /** Loss as a positive fraction of the reference equity. */
  readonly loss: Decimal;
  readonly limit: Decimal;
  readonly reference: Krw;
  readonly equity: Krw;
}

/** Result of evaluating the loss limits; `breaches` strictest first (the one to latch). */
export interface LossStatus {
  readonly breaches: readonly LossBreach[];
  /** Loss fraction per period (negative = gain), for the dashboard. */
  readonly lossByPeriod: Readonly<Record<LossPeriod, Decimal>>;
  readonly instantDrop: Decimal;
}

function lossFraction(reference: Krw, equity: Krw): Decimal {
  if (!decimalGt(reference, ZERO)) return ZERO;
  return reference.minus(equity).div(reference);
}

/**
 * Evaluates the loss limits on equity = cash + holdings at liquidation value, i.e. realised and
 * unrealised PnL together, against each period's start equity. A loss equal to the limit is a breach.
 * The instant-drop rule uses the day's start or its peak (see {@link LossLimits}); the caller should
 * pass entries already updated with {@link markEquity}. Order: instant drop, month, week, day — the
 * first is the one to latch, chosen so a latch never records a trigger that releases more easily
 * than another one that is breached at the same time.
 */
export function evaluateLossLimits(ledgers: LedgerSet, equity: Krw, limits: LossLimits): LossStatus {
  const day = lossFraction(ledgers.day.startEquity, equity);
  const week = lossFraction(ledgers.week.startEquity, equity);
  const month = lossFraction(ledgers.month.startEquity, equity);
  const instantRef = instantReference(ledgers, limits);
  const instant = lossFraction(instantRef, equity);
  const breaches: LossBreach[] = [];
  const check = (
    trigger: EmergencyTrigger,
    entry: RiskLedgerEntry,
    reference: Krw,
    loss: Decimal,
    limit: Decimal,
  ) => {
    if (loss.gte(limit))
      breaches.push({ trigger, periodKey: entry.periodKey, loss, limit, reference, equity });
  };
  check('instant_drop', ledgers.day, instantRef, instant, limits.instantDrop);
  check('monthly_loss', ledgers.month, ledgers.month.startEquity, month, limits.monthly);
  check('weekly_loss', ledgers.week, ledgers.week.startEquity, week, limits.weekly);
  check('daily_loss', ledgers.day, ledgers.day.startEquity, day, limits.daily);
  return { breaches, lossByPeriod: { day, week, month }, instantDrop: instant };
}

/**
 * {@link evaluateLossLimits} for a caller that marks equity at every bar (the backtest's tracker):
 * the same status, but each limit is decided by {@link lossReaches} (doubles unless close, then the
 * same decimal division), and the loss fractions, which only a display reads, are computed on first
 * read (own enumerable getters, so a spread or JSON sees the same values).
 */
export function evaluateLossLimitsLazily(ledgers: LedgerSet, equity: Krw, limits: LossLimits): LossStatus {
  return lossStatusWith(ledgers, equity, limits, lossBreaches(ledgers, equity, limits));
}

/** The breaches of {@link evaluateLossLimitsLazily}'s status (each decided by {@link lossReaches}). */
export function lossBreaches(ledgers: LedgerSet, equity: Krw, limits: LossLimits): LossBreach[] {
  return breachesOf(ledgers, equity, limits, instantReference(ledgers, limits));
}

/**
 * {@link evaluateLossLimitsLazily}'s status with its breaches already decided (`breaches` must be
 * {@link lossBreaches} of the same arguments, or an equal list): a caller that needs only the
 * breaches on most marks builds the status when someone reads it.
 */
export function lossStatusWith(
  ledgers: LedgerSet,
  equity: Krw,
  limits: LossLimits,
  breaches: readonly LossBreach[],
): LossStatus {
  return new LazyLossStatus(ledgers, equity, limits, breaches);
}

let lazyFractions: PropertyDescriptorMap;

/**
 * {@link lossStatusWith}'s status: the breaches and two own enumerable getters, as an object literal
 * with getters would have (JSON, spreads and `toEqual` see the same keys in the same order), but
 * defined from descriptors shared by every status over private fields: V8 builds a literal with
 * accessors on its slow path (~0.9 µs against ~0.45 µs here), and the backtest's tracker builds a
 * status for every changed mark that something reads (each bar of market making).
 */
class LazyLossStatus implements LossStatus {
  readonly breaches: readonly LossBreach[];
  declare readonly lossByPeriod: Readonly<Record<LossPeriod, Decimal>>;
  declare readonly instantDrop: Decimal;
  readonly #ledgers: LedgerSet;
  readonly #equity: Krw;
  readonly #limits: LossLimits;
  #byPeriod: Readonly<Record<LossPeriod, Decimal>> | undefined;
  #instant: Decimal | undefined;

  constructor(ledgers: LedgerSet, equity: Krw, limits: LossLimits, breaches: readonly LossBreach[]) {
    this.breaches = breaches;
    this.#ledgers = ledgers;
    this.#equity = equity;
    this.#limits = limits;
    Object.defineProperties(this, lazyFractions);
  }

  static {
    lazyFractions = {
      lossByPeriod: {
        get(this: LazyLossStatus) {
          const ledgers = this.#ledgers;
          const equity = this.#equity;
          this.#byPeriod ??= {
            day: lossFraction(ledgers.day.startEquity, equity),
            week: lossFraction(ledgers.week.startEquity, equity),
            month: lossFraction(ledgers.month.startEquity, equity),
          };
          return this.#byPeriod;
        },
        enumerable: true,
        configurable: true,
      },
      instantDrop: {
        get(this: LazyLossStatus) {
          this.#instant ??= lossFraction(instantReference(this.#ledgers, this.#limits), this.#equity);
          return this.#instant;
        },
        enumerable: true,
        configurable: true,
      },
    };
  }
}

/** `lossFraction(reference, equity).gte(limit)`, decided on doubles unless close. */
function lossReaches(reference: Krw, equity: Krw, limit: Decimal): boolean {
  if (!decimalGt(reference, ZERO)) return decimalGte(ZERO, limit);
  return shortfallReaches(reference, equity, limit);
}

/**
 * An equity, as a double, above which no loss limit can be breached with these ledgers: an equity
 * whose {@link approximately} double y has y − 1e-12·|y| above it breaches none (each limit L with
 * reference R > 0 needs E ≤ R·(1 − L); the doubles of R, L and E are within ~1e-15 of them, far
 * inside the 1e-9 margin). +∞ when some limit is breached at any equity (a reference ≤ 0 with a
 * limit ≤ 0) or a value is not a double well inside its range: every mark then decides exactly.
 * For a caller that marks equity at every bar and keeps the ledgers between marks (the backtest's
 * tracker): most marks are then decided without the four checks.
 */
export function noBreachAbove(ledgers: LedgerSet, limits: LossLimits): number {
  return Math.max(
    floorOf(instantReference(ledgers, limits), limits.instantDrop),
    floorOf(ledgers.month.startEquity, limits.monthly),
    floorOf(ledgers.week.startEquity, limits.weekly),
    floorOf(ledgers.day.startEquity, limits.daily),
  );
}

/** The equity at or below which a loss from `reference` may reach `limit`, with a margin (see above). */
function floorOf(reference: Krw, limit: Decimal): number {
  if (!decimalGt(reference, ZERO))
    return decimalGte(ZERO, limit) ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  const x = approximately(reference);
  const l = approximately(limit);
  if (!(x >= 1e-250 && x < 1e250 && Math.abs(l) < 1e250)) return Number.POSITIVE_INFINITY;
  const margin = 1e-9 * x * (1 + Math.abs(l));
  return x * (1 - l) + margin;
}

function instantReference(ledgers: LedgerSet, limits: LossLimits): Krw {
  return limits.instantDropReference === 'intraday_peak'
    ? krw(maxDecimal(ledgers.day.peakEquity, ledgers.day.startEquity))
    : ledgers.day.startEquity;
}

/** The breaches in {@link evaluateLossLimits}'s order, each decided by {@link lossReaches}. */
function breachesOf(ledgers: LedgerSet, equity: Krw, limits: LossLimits, instantRef: Krw): LossBreach[] {
  // Called on every mark whose equity moved: no closure per call (under tsx each one is also named).
  // Made with the element kind it holds, as the tracker's shared empty list (see loss-tracker.ts):
  // a `[]` that stays empty would be a third hidden class for the same readers.
  const breaches: LossBreach[] = emptyRefs();
  checkLimit(breaches, equity, 'instant_drop', ledgers.day, instantRef, limits.instantDrop);
  checkLimit(breaches, equity, 'monthly_loss', ledgers.month, ledgers.month.startEquity, limits.monthly);
  checkLimit(breaches, equity, 'weekly_loss', ledgers.week, ledgers.week.startEquity, limits.weekly);
  checkLimit(breaches, equity, 'daily_loss', ledgers.day, ledgers.day.startEquity, limits.daily);
  return breaches;
}

/** Appends the breach of one limit to `breaches` when the loss from `reference` reaches it. */
function checkLimit(
  breaches: LossBreach[],
  equity: Krw,
  trigger: EmergencyTrigger,
  entry: RiskLedgerEntry,
  reference: Krw,
  limit: Decimal,
): void {
  if (lossReaches(reference, equity, limit))
    breaches.push({
      trigger,
      periodKey: entry.periodKey,
      loss: lossFraction(reference, equity),
      limit,
      reference,
      equity,
    });
}
