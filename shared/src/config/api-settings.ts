import type { ApiSettings, StrategyRulesCheck } from '../application/api/api-deps';
import { KRW_MARKET_RULES } from '../domain/market/market-rules';
import { riskLimitsFromSettings } from '../domain/risk/risk-settings';
import { STRATEGY_NAMES, type StrategyName } from '../domain/trading/strategy-name';
import type { ParamValue } from '../ports/strategy-settings-store';
import { type AppConfig, configSchema } from './config-schema';

/** The API's view of the validated configuration (every composition root maps it the same way). */
export function apiSettingsFromConfig(config: AppConfig): ApiSettings {
  const strategies = Object.fromEntries(
    STRATEGY_NAMES.map((n) => {
      const s = config.strategies[n];
      return [
        n,
        { enabled: s.enabled, weight: s.weight, params: { ...s.params } as Record<string, ParamValue> },
      ];
    }),
  ) as ApiSettings['strategies'];
  return {
    mode: config.mode,
    exchange: config.exchange,
    markets: config.markets,
    dailyGoalPct: config.dailyGoalPct,
    limits: riskLimitsFromSettings(config),
    rules: KRW_MARKET_RULES,
    strategies,
    maxBodyBytes: config.api.maxBodyBytes,
    heartbeatStaleMs: config.monitor.executorHeartbeatStaleSeconds * 1_000,
  };
}

/**
 * Checks a runtime strategy change with the configuration schema itself: the candidate replaces the
 * strategy's `enabled` and `params` in a copy of the running config and the whole config is parsed
 * again, so the change meets exactly the rules a config file would (types, ranges, unknown
 * parameters, cross-field rules such as exitZ < entryZ < stopZ). The weight keeps its configured
 * value for the parse (the config requires weights to sum to 1; at runtime the ensemble
 * renormalises, and the router has already checked the new weight is within [0, 1]).
 */
export function strategyRulesCheck(config: AppConfig): StrategyRulesCheck {
  return (strategy: StrategyName, candidate) => {
    const current = config.strategies[strategy];
    const trial = {
      ...config,
      strategies: {
        ...config.strategies,
        [strategy]: { enabled: candidate.enabled, weight: current.weight, params: candidate.params },
      },
    };
    const parsed = configSchema.safeParse(trial);
    if (parsed.success) return [];
    return parsed.error.issues.flatMap((issue) => {
      const path = issue.path.map(String);
      const own = path[0] === 'strategies' && path[1] === strategy;
      const base = own ? path.slice(2) : path;
      if (issue.code === 'unrecognized_keys')
        return issue.keys.map((k) => ({
          field: [...base, k].join('.'),
          message: `unknown parameter "${k}"`,
        }));
      return [{ field: base.join('.') || 'params', message: issue.message }];
    });
  };
}
