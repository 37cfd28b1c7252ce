import { Decimal } from '../money/decimal';
import { type Krw, krw } from '../money/quantities';
import type { EmergencyTrigger } from '../trading/emergency';

/**
 * Which equity the instant-drop rule measures against. `day_start` is stable and easy to explain
 * ("down 3 % today"); `intraday_peak` also protects gains made earlier in the day (a trailing stop
 * on the whole book) but trips more often in choppy markets.
 */
export const InstantDropReference = { dayStart: 'day_start', intradayPeak: 'intraday_peak' } as const;
/** One of {@link InstantDropReference}. */
export type InstantDropReference = (typeof InstantDropReference)[keyof typeof InstantDropReference];

/** Loss limits on the KST calendar, as positive fractions of the period's start equity. */
export interface LossLimits {
  readonly daily: Decimal;
  readonly weekly: Decimal;
  readonly monthly: Decimal;
  /** Instant drop that trips the emergency stop at once. */
  readonly instantDrop: Decimal;
  readonly instantDropReference: InstantDropReference;
}

/**
 * What happens to a loss-limit latch once its period is over: the daily halt may lift itself at the
 * next KST day (only when nothing else is breached); weekly/monthly halts wait for an operator.
 */
export interface ReleasePolicy {
  /**
   * The instant-drop latch is measured on the day's ledger but, being a crash signal, waits for an
   * operator by default. Note that with instantDrop < daily the instant rule trips first on the same
   * equity, so the daily auto-release only applies to latches the daily limit itself set.
   */
  readonly instantDropAutoRelease: boolean;
  readonly dailyAutoRelease: boolean;
  readonly weeklyAutoRelease: boolean;
  readonly monthlyAutoRelease: boolean;
}

/** Fat-finger guards applied to every order before it leaves. */
export interface FatFingerLimits {
  /** Largest distance of a limit price from the last traded price (fraction). */
  readonly maxDeviationFromLastTrade: Decimal;
  /**
   * A limit price must lie inside [best bid × (1 − t), best ask × (1 + t)]: a bid above the ask band
   * or an ask below the bid band is almost always a typo or a unit error.
   */
  readonly bookBandTolerance: Decimal;
  /** Order volume ≤ this fraction of the visible depth on the side the order would take from. */
  readonly maxDepthFraction: Decimal;
}

/** Fractional-Kelly sizing parameters. */
export interface KellyLimits {
  /** Multiplier on full Kelly (0.25 = quarter Kelly): full Kelly is far too aggressive with estimated odds. */
  readonly fraction: number;
  /** Hard cap on the fraction of equity one trade may use, whatever Kelly says. */
  readonly maxFractionOfEquity: number;
  /** Closed trades needed before the strategy's own statistics are trusted. */
  readonly minTrades: number;
  /** Fraction of equity used while a strategy has fewer than `minTrades` trades. */
  readonly coldStartFraction: number;
}

/** Emergency-stop behaviour. */
export interface EmergencyPolicy {
  /** State each trigger latches: `reducing` still lets exits and flattening through, `halted` nothing. */
  readonly stateFor: Readonly<Record<EmergencyTrigger, 'reducing' | 'halted'>>;
  /** Fatal exchange errors within `fatalErrorWindowMs` that trip the stop. */
  readonly fatalErrorThreshold: number;
  readonly fatalErrorWindowMs: number;
  /** Whether a trigger also plans to sell every holding (close-all-positions). */
  readonly flattenOnTrigger: boolean;
  /** Worst price a flattening sell accepts, as a fraction below the best bid (the slippage guard). */
  readonly flattenSlippage: Decimal;
}

/**
 * Every hard limit of the risk engine, as plain data. The domain never reads config: the lead's
 * zod config is mapped onto this shape at the composition root, and {@link DEFAULT_RISK_LIMITS}
 * holds the seed values from the issue.
 */
export interface RiskLimits {
  /** KRW committed across all markets and strategies (holdings at cost + KRW locked by open bids). */
  readonly maxTotalExposure: Krw;
  /** KRW committed by one strategy across markets. */
  readonly maxStrategyExposure: Krw;
  /** KRW committed in one market across strategies (concentration guard). */
  readonly maxMarketExposure: Krw;
  /** Largest order total (price × volume, fee excluded) of one buy. */
  readonly maxTradeNotional: Krw;
  /** Markets held at once (holdings below `dustThreshold` do not count). */
  readonly maxConcurrentPositions: number;
  /** Holdings whose cost is below this are dust: unsellable on Upbit and not a position. */
  readonly dustThreshold: Krw;
  /** Minimum time between two buys in one market from different decisions. */
  readonly minMsBetweenTrades: number;
  /** Position stop-loss, net of fees (fraction of cost). */
  readonly stopLoss: Decimal;
  /** Position take-profit, net of fees (fraction of cost). */
  readonly takeProfit: Decimal;
  readonly loss: LossLimits;
  readonly release: ReleasePolicy;
  readonly fatFinger: FatFingerLimits;
  readonly kelly: KellyLimits;
  readonly emergency: EmergencyPolicy;
}

/** Seed values from issue 6; the per-market cap, fat-finger and Kelly numbers are this module's choice (docs/risk.md). */
export const DEFAULT_RISK_LIMITS: RiskLimits = {
  maxTotalExposure: krw('10000000'),
  maxStrategyExposure: krw('2000000'),
  maxMarketExposure: krw('3000000'),
  maxTradeNotional: krw('500000'),
  maxConcurrentPositions: 5,
  dustThreshold: krw('5000'),
  minMsBetweenTrades: 60_000,
  stopLoss: new Decimal('0.003'),
  takeProfit: new Decimal('0.005'),
  loss: {
    daily: new Decimal('0.05'),
    weekly: new Decimal('0.10'),
    monthly: new Decimal('0.15'),
    instantDrop: new Decimal('0.03'),
    instantDropReference: 'day_start',
  },
  release: {
    instantDropAutoRelease: false,
    dailyAutoRelease: true,
    weeklyAutoRelease: false,
    monthlyAutoRelease: false,
  },
  fatFinger: {
    maxDeviationFromLastTrade: new Decimal('0.03'),
    bookBandTolerance: new Decimal('0.01'),
    maxDepthFraction: new Decimal('0.2'),
  },
  kelly: { fraction: 0.25, maxFractionOfEquity: 0.05, minTrades: 30, coldStartFraction: 0.01 },
  emergency: {
    stateFor: {
      instant_drop: 'reducing',
      daily_loss: 'reducing',
      weekly_loss: 'reducing',
      monthly_loss: 'reducing',
      manual: 'reducing',
      invariant: 'halted',
      exchange_fatal: 'halted',
    },
    fatalErrorThreshold: 3,
    fatalErrorWindowMs: 5 * 60_000,
    flattenOnTrigger: false,
    flattenSlippage: new Decimal('0.01'),
  },
};

/** Why a limits object is unusable; thrown at start so a bad config never reaches trading. */
export class RiskLimitsError extends Error {
  override readonly name = 'RiskLimitsError';
}

function positiveFraction(name: string, value: Decimal, max = 1): void {
  if (!value.gt(0) || value.gt(max))
    throw new RiskLimitsError(`${name} must be in (0, ${max}], got ${value}`);
}

/**
 * Checks the internal consistency the checks rely on (e.g. a trade never larger than a strategy's
 * budget). The zod schema checks shapes; this checks relations, so call it once after mapping.
 */
export function assertRiskLimits(l: RiskLimits): RiskLimits {
  for (const [name, v] of [
    ['maxTotalExposure', l.maxTotalExposure],
    ['maxStrategyExposure', l.maxStrategyExposure],
    ['maxMarketExposure', l.maxMarketExposure],
    ['maxTradeNotional', l.maxTradeNotional],
  ] as const)
    if (!v.gt(0)) throw new RiskLimitsError(`${name} must be positive, got ${v}`);
  if (l.maxStrategyExposure.gt(l.maxTotalExposure))
    throw new RiskLimitsError('maxStrategyExposure must not exceed maxTotalExposure');
  if (l.maxTradeNotional.gt(l.maxStrategyExposure))
    throw new RiskLimitsError('maxTradeNotional must not exceed maxStrategyExposure');
  if (!Number.isInteger(l.maxConcurrentPositions) || l.maxConcurrentPositions < 1)
    throw new RiskLimitsError('maxConcurrentPositions must be a positive integer');
  if (!(l.minMsBetweenTrades >= 0)) throw new RiskLimitsError('minMsBetweenTrades must be ≥ 0');
  positiveFraction('stopLoss', l.stopLoss);
  positiveFraction('takeProfit', l.takeProfit, 10);
  positiveFraction('loss.daily', l.loss.daily);
  positiveFraction('loss.weekly', l.loss.weekly);
  positiveFraction('loss.monthly', l.loss.monthly);
  positiveFraction('loss.instantDrop', l.loss.instantDrop);
  positiveFraction('fatFinger.maxDeviationFromLastTrade', l.fatFinger.maxDeviationFromLastTrade);
  positiveFraction('fatFinger.bookBandTolerance', l.fatFinger.bookBandTolerance);
  positiveFraction('fatFinger.maxDepthFraction', l.fatFinger.maxDepthFraction);
  if (l.emergency.flattenSlippage.isNegative() || !l.emergency.flattenSlippage.lt(1))
    throw new RiskLimitsError(
      `emergency.flattenSlippage must be in [0, 1), got ${l.emergency.flattenSlippage}`,
    );
  const k = l.kelly;
  if (!(k.fraction > 0 && k.fraction <= 1)) throw new RiskLimitsError('kelly.fraction must be in (0, 1]');
  if (!(k.maxFractionOfEquity > 0 && k.maxFractionOfEquity <= 1))
    throw new RiskLimitsError('kelly.maxFractionOfEquity must be in (0, 1]');
  if (!(k.coldStartFraction >= 0 && k.coldStartFraction <= k.maxFractionOfEquity))
    throw new RiskLimitsError('kelly.coldStartFraction must be in [0, maxFractionOfEquity]');
  if (!Number.isInteger(k.minTrades) || k.minTrades < 0)
    throw new RiskLimitsError('kelly.minTrades must be a non-negative integer');
  if (!Number.isInteger(l.emergency.fatalErrorThreshold) || l.emergency.fatalErrorThreshold < 1)
    throw new RiskLimitsError('emergency.fatalErrorThreshold must be a positive integer');
  return l;
}
