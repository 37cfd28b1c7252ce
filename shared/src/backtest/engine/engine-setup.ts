import {
  DEFAULT_ENSEMBLE_CONFIG,
  DEFAULT_ENSEMBLE_WEIGHTS,
  type EnsembleConfig,
} from '../../domain/ensemble/ensemble-config';
import type { MarketRules } from '../../domain/market/market-rules';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import type { ShadowSettings } from '../../domain/risk/shadow-ledger';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import type { BacktestInput } from './backtest-input';

/**
 * The shadow ledgers' settings: they trade like a lone signal of the ensemble, with the live exits
 * and fees, as doubles read once at setup (the ledgers run on every bar).
 */
export function shadowSettings(
  rules: MarketRules,
  limits: RiskLimits,
  ensemble: EnsembleConfig,
): ShadowSettings {
  return {
    takerFee: rules.takerFee.toNumber(),
    stopLoss: limits.stopLoss.toNumber(),
    takeProfit: limits.takeProfit.toNumber(),
    minScore: ensemble.minScore,
    perTradeCapKrw: ensemble.perTradeCapKrw,
    minTotal: rules.minTotal.toNumber(),
  };
}

/**
 * The run's ensemble configuration: the defaults under the input's overrides, with exactly the
 * strategies that run enabled (a strategy `all` skipped must not be weighed as if it had voted).
 */
export function ensembleConfig(input: BacktestInput, names: readonly StrategyName[]): EnsembleConfig {
  const enabled = Object.fromEntries(STRATEGY_NAMES.map((n) => [n, names.includes(n)])) as Record<
    StrategyName,
    boolean
  >;
  return {
    ...DEFAULT_ENSEMBLE_CONFIG,
    ...(input.params?.ensemble ?? {}),
    weights: { ...DEFAULT_ENSEMBLE_WEIGHTS, ...(input.params?.weights ?? {}) },
    enabled,
  };
}
