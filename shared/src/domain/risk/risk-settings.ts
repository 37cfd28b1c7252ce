import { Decimal, decimalFromNumber } from '../money/decimal';
import { krw } from '../money/quantities';
import {
  assertRiskLimits,
  DEFAULT_RISK_LIMITS,
  type InstantDropReference,
  type RiskLimits,
} from './risk-limits';

/**
 * The risk-relevant part of the validated config (`shared/src/config/config-schema.ts`), restated
 * structurally because the domain may not import the config layer. Percentages are in percent
 * (5 = 5 %), as operators write them in YAML; the domain works in fractions.
 */
export interface RiskSettings {
  readonly capital: {
    readonly totalKrw: number;
    readonly perStrategyKrw: number;
    readonly perTradeKrw: number;
    readonly perMarketKrw: number;
  };
  readonly lossLimits: {
    readonly dailyPct: number;
    readonly weeklyPct: number;
    readonly monthlyPct: number;
    readonly instantDropPct: number;
    readonly instantDropReference: InstantDropReference;
    readonly dailyAutoRelease: boolean;
    readonly weeklyMonthlyAutoRelease: boolean;
    readonly instantDropAutoRelease: boolean;
  };
  readonly positions: {
    readonly stopLossPct: number;
    readonly takeProfitPct: number;
    readonly maxConcurrent: number;
    readonly minSecondsBetweenTrades: number;
  };
  readonly guards: {
    readonly maxPriceDeviationPct: number;
    readonly maxBookDepthFraction: number;
    readonly slippageBps: number;
  };
  readonly sizing: { readonly kellyFraction: number };
  readonly emergency: { readonly flattenOnTrigger: boolean };
}

const HUNDRED = new Decimal(100);
const BPS = new Decimal(10_000);

function pct(value: number): Decimal {
  return decimalFromNumber(value).div(HUNDRED);
}

/**
 * Builds the engine's limits from config, so the composition roots (functions, executor, backtest)
 * all map the same YAML to the same numbers. Values the config does not expose yet ( Kelly cold start, emergency states) keep {@link DEFAULT_RISK_LIMITS}; the
 * per-market cap is never allowed above the total cap. Throws RiskLimitsError on inconsistent input.
 */
export function riskLimitsFromSettings(s: RiskSettings, base: RiskLimits = DEFAULT_RISK_LIMITS): RiskLimits {
  const total = krw(decimalFromNumber(s.capital.totalKrw));
  return assertRiskLimits({
    ...base,
    maxTotalExposure: total,
    maxStrategyExposure: krw(decimalFromNumber(s.capital.perStrategyKrw)),
    maxMarketExposure: krw(Decimal.min(decimalFromNumber(s.capital.perMarketKrw), total)),
    maxTradeNotional: krw(decimalFromNumber(s.capital.perTradeKrw)),
    maxConcurrentPositions: s.positions.maxConcurrent,
    minMsBetweenTrades: s.positions.minSecondsBetweenTrades * 1000,
    stopLoss: pct(s.positions.stopLossPct),
    takeProfit: pct(s.positions.takeProfitPct),
    loss: {
      daily: pct(s.lossLimits.dailyPct),
      weekly: pct(s.lossLimits.weeklyPct),
      monthly: pct(s.lossLimits.monthlyPct),
      instantDrop: pct(s.lossLimits.instantDropPct),
      instantDropReference: s.lossLimits.instantDropReference,
    },
    release: {
      ...base.release,
      dailyAutoRelease: s.lossLimits.dailyAutoRelease,
      weeklyAutoRelease: s.lossLimits.weeklyMonthlyAutoRelease,
      monthlyAutoRelease: s.lossLimits.weeklyMonthlyAutoRelease,
      instantDropAutoRelease: s.lossLimits.instantDropAutoRelease,
    },
    fatFinger: {
      ...base.fatFinger,
      maxDeviationFromLastTrade: pct(s.guards.maxPriceDeviationPct),
      maxDepthFraction: decimalFromNumber(s.guards.maxBookDepthFraction),
    },
    kelly: { ...base.kelly, fraction: s.sizing.kellyFraction },
    emergency: {
      ...base.emergency,
      flattenOnTrigger: s.emergency.flattenOnTrigger,
      flattenSlippage: decimalFromNumber(s.guards.slippageBps).div(BPS),
    },
  });
}
