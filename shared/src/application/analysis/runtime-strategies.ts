import type { EnsembleConfig } from '../../domain/ensemble/ensemble-config';
import type { Market } from '../../domain/market/market-id';
import { createStrategy } from '../../domain/strategies/create-strategy';
import type { StrategyParamsByName } from '../../domain/strategies/strategy-params';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import type { ControlState } from '../../ports/control-store';
import type { StrategySettings } from '../../ports/strategy-settings-store';
import type { AnalysisSettings } from './analysis-settings';

/** The strategies of one run: configuration, runtime settings (dashboard) and toggles combined. */
export interface RuntimeStrategies {
  /** Strategies that can run on these parameters and markets (stepped every minute, on or off). */
  readonly names: readonly StrategyName[];
  readonly params: StrategyParamsByName;
  /** Weights and enable flags for the ensemble: a strategy votes only when nothing switches it off. */
  readonly ensemble: EnsembleConfig;
  /** What was ignored or refused, and why (logged and kept in the run record). */
  readonly notes: readonly string[];
}

/**
 * Layers the runtime settings over the configuration: a strategy is enabled only if the
 * configuration, its stored settings and the control item's toggle all leave it on; its weight and
 * parameter overrides come from the stored settings when present. Overrides naming unknown
 * parameters are ignored, and overrides the strategy refuses fall back to the configured values
 * (both noted), so a bad dashboard edit can never stop the analysis. Disabled strategies are still
 * stepped, so switching one back on needs no warm-up.
 */
export function resolveStrategies(
  settings: AnalysisSettings,
  stored: readonly StrategySettings[],
  control: ControlState,
  markets: readonly Market[],
): RuntimeStrategies {
  const byName = new Map(stored.map((s) => [s.strategy, s]));
  const notes: string[] = [];
  const params = {} as Record<StrategyName, unknown>;
  const weights = {} as Record<StrategyName, number>;
  const enabled = {} as Record<StrategyName, boolean>;
  const names: StrategyName[] = [];
  for (const name of STRATEGY_NAMES) {
    const configured = settings.strategies[name];
    const runtime = byName.get(name);
    const base = configured.params as unknown as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(runtime?.params ?? {})) {
      if (!Object.hasOwn(base, key)) notes.push(`${name}: runtime parameter ${key} is unknown and ignored`);
      else if (typeof value !== typeof base[key])
        notes.push(`${name}: runtime parameter ${key} has the wrong type and is ignored`);
      else merged[key] = value;
    }
    params[name] = merged;
    weights[name] = runtime?.weight ?? configured.weight;
    enabled[name] =
      configured.enabled && (runtime?.enabled ?? true) && control.strategyEnabled[name] !== false;
  }
  const all = params as unknown as StrategyParamsByName;
  for (const name of STRATEGY_NAMES) {
    let refused = tryCreate(name, all, markets);
    if (refused !== undefined && Object.keys(byName.get(name)?.params ?? {}).length > 0) {
      notes.push(`${name}: runtime parameters refused (${refused}); running the configured ones`);
      params[name] = settings.strategies[name].params;
      refused = tryCreate(name, all, markets);
    }
    if (refused === undefined) names.push(name);
    else {
      notes.push(`${name}: cannot run on these markets and parameters (${refused})`);
      enabled[name] = false;
    }
  }
  return { names, params: all, ensemble: { ...settings.ensemble, weights, enabled }, notes };
}

function tryCreate(
  name: StrategyName,
  params: StrategyParamsByName,
  markets: readonly Market[],
): string | undefined {
  try {
    createStrategy(name, params, markets);
    return undefined;
  } catch (error) {
    if (error instanceof RangeError) return error.message;
    throw error;
  }
}
