import { STRATEGY_NAMES, type StrategyName } from '../trading/strategy-name';

/**
 * How the ensemble turns strategy signals into one decision per market. Weights and enable flags
 * come from config and can change at runtime (operator toggles); the rest are sizing knobs.
 */
export interface EnsembleConfig {
  /** Configured weight per strategy (need not sum to 1: the vote renormalises over enabled ones). */
  readonly weights: Readonly<Record<StrategyName, number>>;
  readonly enabled: Readonly<Record<StrategyName, boolean>>;
  /** |vote score| (0..1) below which the ensemble holds. */
  readonly minScore: number;
  /** KRW traded at score ±1; the notional is |score| × this, before the risk engine's own limits. */
  readonly perTradeCapKrw: number;
  /** |score| at or above which the intent is `aggressive` (taker) instead of `passive` (maker first). */
  readonly aggressiveScore: number;
  /** How long a decision stays valid; a backlog older than this must not trade. */
  readonly decisionTtlMs: number;
}

/** The seed system's 30/20/20/15/15 weights. */
export const DEFAULT_ENSEMBLE_WEIGHTS: Readonly<Record<StrategyName, number>> = {
  market_making: 0.3,
  stat_arb: 0.2,
  microstructure: 0.2,
  momentum_scalping: 0.15,
  mean_reversion: 0.15,
};

/** Defaults: every strategy on, trade at |score| ≥ 0.25, 1,000,000 KRW at full conviction. */
export const DEFAULT_ENSEMBLE_CONFIG: EnsembleConfig = {
  weights: DEFAULT_ENSEMBLE_WEIGHTS,
  enabled: Object.fromEntries(STRATEGY_NAMES.map((n) => [n, true])) as Record<StrategyName, boolean>,
  minScore: 0.25,
  perTradeCapKrw: 1_000_000,
  aggressiveScore: 0.7,
  decisionTtlMs: 55_000,
};

/** Refuses a config the vote cannot use (negative weights, thresholds out of range). */
export function assertEnsembleConfig(config: EnsembleConfig): void {
  for (const name of STRATEGY_NAMES) {
    const w = config.weights[name];
    if (!(Number.isFinite(w) && w >= 0))
      throw new RangeError(`ensemble weight of ${name} must be ≥ 0, got ${w}`);
  }
  if (!(config.minScore >= 0 && config.minScore <= 1))
    throw new RangeError(`ensemble minScore must be in [0, 1], got ${config.minScore}`);
  if (!(config.aggressiveScore >= config.minScore && config.aggressiveScore <= 1))
    throw new RangeError(`ensemble aggressiveScore must be in [minScore, 1], got ${config.aggressiveScore}`);
  if (!(config.perTradeCapKrw >= 0))
    throw new RangeError(`ensemble perTradeCapKrw must be ≥ 0, got ${config.perTradeCapKrw}`);
  if (!(Number.isInteger(config.decisionTtlMs) && config.decisionTtlMs > 0))
    throw new RangeError(`ensemble decisionTtlMs must be a positive integer, got ${config.decisionTtlMs}`);
}

/** The per-strategy part of the `strategies` config section the ensemble needs (structural, so domain stays config-free). */
export interface StrategyToggle {
  readonly enabled: boolean;
  readonly weight: number;
}

/**
 * Builds the ensemble config from the configured per-strategy `enabled`/`weight` entries, keeping
 * `base`'s thresholds; the composition roots call it once after parsing config, and again when an
 * operator toggles a strategy.
 */
export function ensembleConfigFromStrategies(
  entries: Readonly<Record<StrategyName, StrategyToggle>>,
  base: EnsembleConfig = DEFAULT_ENSEMBLE_CONFIG,
): EnsembleConfig {
  const weights = Object.fromEntries(STRATEGY_NAMES.map((n) => [n, entries[n].weight])) as Record<
    StrategyName,
    number
  >;
  const enabled = Object.fromEntries(STRATEGY_NAMES.map((n) => [n, entries[n].enabled])) as Record<
    StrategyName,
    boolean
  >;
  const config = { ...base, weights, enabled };
  assertEnsembleConfig(config);
  return config;
}

/**
 * Runtime toggle (operator command or dashboard): a copy of `config` with one strategy switched
 * on or off. Immutable so a decision in flight keeps the config it was made with.
 */
export function withStrategyEnabled(
  config: EnsembleConfig,
  name: StrategyName,
  enabled: boolean,
): EnsembleConfig {
  return { ...config, enabled: { ...config.enabled, [name]: enabled } };
}
