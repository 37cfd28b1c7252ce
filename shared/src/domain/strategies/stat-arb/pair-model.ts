import { engleGranger } from '../../stats/engle-granger';
import { fitOrnsteinUhlenbeck } from '../../stats/ornstein-uhlenbeck';
import type { StatArbParams } from '../strategy-params';

/**
 * A pair's calibration from its formation window: the hedge ratio and spread scale used to trade
 * until the next re-test, and why the pair is (not) tradable. Kept for the dashboard as well.
 */
export interface PairModel {
  /** Spread = ln y − beta·ln x − alpha. */
  readonly beta: number;
  readonly alpha: number;
  /** Engle–Granger p-value (statsmodels `coint` semantics). */
  readonly pValue: number;
  readonly adfStatistic: number;
  /** OU half-life of the spread, in bars. */
  readonly halfLifeBars: number;
  /** Mean and population standard deviation of the spread over the formation window. */
  readonly spreadMean: number;
  readonly spreadStd: number;
  readonly tradable: boolean;
  /** Human-readable verdict, e.g. `p=0.012 hl=14.2 bars`. */
  readonly verdict: string;
}

/**
 * Runs the Engle–Granger test and the OU fit on a formation window of log prices. A pair is tradable
 * only when both say the spread reverts soon enough: p ≤ maxPValue (cointegrated) and the half-life
 * fits in maxHalfLifeBars (a slowly reverting spread ties capital up and usually breaks first).
 * A negative hedge ratio is refused too: on spot-only Upbit both legs of such a "pair" would be
 * longs, which is a directional bet, not a spread trade.
 */
export function calibratePair(logY: Float64Array, logX: Float64Array, params: StatArbParams): PairModel {
  const eg = engleGranger(logY, logX);
  const ou = fitOrnsteinUhlenbeck(eg.residuals);
  let mean = 0;
  for (const u of eg.residuals) mean += u;
  mean /= eg.residuals.length;
  let m2 = 0;
  for (const u of eg.residuals) m2 += (u - mean) ** 2;
  const spreadStd = Math.sqrt(m2 / eg.residuals.length);
  const cointegrated = eg.pValue <= params.maxPValue;
  const fastEnough = ou.halfLife <= params.maxHalfLifeBars;
  const positiveHedge = eg.beta > 0;
  const verdict =
    `p=${eg.pValue.toFixed(4)} hl=${Number.isFinite(ou.halfLife) ? ou.halfLife.toFixed(1) : 'inf'} bars ` +
    `beta=${eg.beta.toFixed(4)}` +
    (cointegrated ? '' : ` (p > ${params.maxPValue}: not cointegrated)`) +
    (fastEnough ? '' : ` (half-life > ${params.maxHalfLifeBars} bars)`) +
    (positiveHedge ? '' : ' (negative hedge ratio)');
  return {
    beta: eg.beta,
    alpha: eg.alpha,
    pValue: eg.pValue,
    adfStatistic: eg.statistic,
    halfLifeBars: ou.halfLife,
    spreadMean: mean,
    spreadStd,
    tradable: cointegrated && fastEnough && positiveHedge && spreadStd > 0,
    verdict,
  };
}
