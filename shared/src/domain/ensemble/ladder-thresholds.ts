import type { MarketRules } from '../market/market-rules';
import { approximately, numberOf } from '../money/decimal-units';
import type { RiskLimits } from '../risk/risk-limits';

/** The per-run thresholds of the ladder checks (checkLadder) as doubles (numberOf / approximately of each). */
export interface Thresholds {
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
  readonly maxDev: number;
  readonly tol: number;
  readonly fraction: number;
  readonly fee: number;
  readonly maxTrade: number;
  readonly maxTotalExp: number;
  readonly maxStrategyExp: number;
  readonly maxMarketExp: number;
  readonly maxTotal: number;
}

// The last limits and rules asked: a run checks every ladder against the same two objects, whose
// decimals are immutable, so their doubles are converted once instead of ten times a bar.
let lastThresholds: Thresholds | undefined;

export function thresholdsOf(limits: RiskLimits, rules: MarketRules): Thresholds {
  const last = lastThresholds;
  if (last !== undefined && last.limits === limits && last.rules === rules) return last;
  const ff = limits.fatFinger;
  const t: Thresholds = {
    limits,
    rules,
    maxDev: numberOf(ff.maxDeviationFromLastTrade),
    tol: numberOf(ff.bookBandTolerance),
    fraction: numberOf(ff.maxDepthFraction),
    fee: approximately(rules.takerFee),
    maxTrade: approximately(limits.maxTradeNotional),
    maxTotalExp: approximately(limits.maxTotalExposure),
    maxStrategyExp: approximately(limits.maxStrategyExposure),
    maxMarketExp: approximately(limits.maxMarketExposure),
    maxTotal: approximately(rules.maxTotal),
  };
  lastThresholds = t;
  return t;
}
