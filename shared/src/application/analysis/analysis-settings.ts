import { DEFAULT_ENSEMBLE_CONFIG, type EnsembleConfig } from '../../domain/ensemble/ensemble-config';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES, type MarketRules } from '../../domain/market/market-rules';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import { type RiskSettings, riskLimitsFromSettings } from '../../domain/risk/risk-settings';
import type { StrategyParamsByName } from '../../domain/strategies/strategy-params';
import { MS } from '../../domain/time/epoch';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';

/** A strategy as configured: on or off, its ensemble weight and its parameters. */
export interface ConfiguredStrategy<P = unknown> {
  readonly enabled: boolean;
  readonly weight: number;
  readonly params: P;
}

/** Everything the minute analysis needs from the configuration, mapped once by the composition root. */
export interface AnalysisSettings {
  readonly markets: readonly Market[];
  /** Per strategy as configured; runtime settings (dashboard) and toggles are layered on each run. */
  readonly strategies: { readonly [K in StrategyName]: ConfiguredStrategy<StrategyParamsByName[K]> };
  /** Ensemble thresholds and sizing; weights and enable flags come from `strategies` each run. */
  readonly ensemble: EnsembleConfig;
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
  /** A market whose newest closed minute bar closed longer ago than this is skipped (collector down?). */
  readonly staleAfterMs: number;
  /** A snapshot older than this is not caught up bar by bar; the strategies warm up from candles instead. */
  readonly maxCatchUpMs: number;
}

/** The parts of the validated configuration (`AppConfig`) the analysis reads, stated structurally. */
export interface AnalysisConfigView extends RiskSettings {
  readonly markets: readonly Market[];
  readonly strategies: { readonly [K in StrategyName]: ConfiguredStrategy<StrategyParamsByName[K]> };
  readonly analysis: { readonly staleAfterSeconds: number; readonly maxCatchUpMinutes: number };
}

/**
 * Maps the configuration to the analysis settings: the risk limits the executor uses too, Upbit's
 * KRW rules, the configured strategies, and the seed ensemble thresholds.
 */
export function analysisSettingsFromConfig(config: AnalysisConfigView): AnalysisSettings {
  const strategies = {} as Record<StrategyName, ConfiguredStrategy>;
  for (const n of STRATEGY_NAMES) strategies[n] = { ...config.strategies[n] };
  return {
    markets: [...config.markets],
    strategies: strategies as AnalysisSettings['strategies'],
    ensemble: DEFAULT_ENSEMBLE_CONFIG,
    limits: riskLimitsFromSettings(config),
    rules: KRW_MARKET_RULES,
    staleAfterMs: config.analysis.staleAfterSeconds * MS.second,
    maxCatchUpMs: config.analysis.maxCatchUpMinutes * MS.minute,
  };
}
