import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import type { ControlState } from '../../ports/control-store';
import type { ParamValue, StrategySettings } from '../../ports/strategy-settings-store';
import { changeStrategy, StrategyChangeRefused, StrategyVersionConflict } from '../operator/strategy-change';
import type { ApiDeps, ConfiguredStrategy } from './api-deps';
import { operatorDeps } from './control-routes';
import { ApiError } from './route-types';

/** One strategy as the dashboard shows it: config, runtime settings and the control toggle layered. */
export function strategyJson(
  name: StrategyName,
  configured: ConfiguredStrategy,
  stored: StrategySettings | undefined,
  control: ControlState,
) {
  const toggle = control.strategyEnabled[name];
  const settingsEnabled = stored?.enabled;
  return {
    name,
    /** Whether it trades now: its settings (or config) say on and no emergency toggle says off. */
    enabled: (settingsEnabled ?? configured.enabled) && toggle !== false,
    configEnabled: configured.enabled,
    settingsEnabled: settingsEnabled ?? null,
    toggle: toggle ?? null,
    weight: stored?.weight ?? configured.weight,
    configWeight: configured.weight,
    params: { ...configured.params, ...(stored?.params ?? {}) },
    overrides: stored?.params ?? {},
    version: stored?.version ?? 0,
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
  };
}

/** `GET /api/strategies`: every strategy with its effective switch, weight and parameters. */
export async function strategiesView(deps: ApiDeps): Promise<unknown> {
  const [stored, control] = await Promise.all([
    deps.strategySettings.listStrategySettings(),
    deps.store.getControl(),
  ]);
  const byName = new Map(stored.map((s) => [s.strategy, s]));
  return {
    strategies: STRATEGY_NAMES.map((n) =>
      strategyJson(n, deps.settings.strategies[n], byName.get(n), control),
    ),
  };
}

/** A `PATCH /api/strategies/{name}` body after validation. */
export interface StrategyPatch {
  readonly enabled?: boolean | undefined;
  readonly weight?: number | undefined;
  readonly params?: Readonly<Record<string, ParamValue>> | undefined;
  readonly expectedVersion?: number | undefined;
}

/**
 * `PATCH /api/strategies/{name}`: the operator layer's {@link changeStrategy} (validated against the
 * config schema's rules, compare-and-set on the version, toggle and executor told on on/off), its
 * refusals as 400 naming the fields and 409 for a lost race.
 */
export async function patchStrategy(
  deps: ApiDeps,
  name: StrategyName,
  patch: StrategyPatch,
  actor: string,
  commandId: string | undefined,
): Promise<unknown> {
  const configured = deps.settings.strategies[name];
  let saved: StrategySettings;
  try {
    saved = await changeStrategy(
      {
        strategySettings: deps.strategySettings,
        configured: deps.settings.strategies,
        checkStrategy: deps.checkStrategy,
        operator: operatorDeps(deps),
      },
      name,
      patch,
      actor,
      commandId,
    );
  } catch (error) {
    if (error instanceof StrategyChangeRefused) {
      const fields = error.problems.map((p) => ({ field: `body.${p.field}`, message: p.message }));
      throw new ApiError(400, 'invalid_request', `${fields[0]?.field}: ${fields[0]?.message}`, fields);
    }
    if (error instanceof StrategyVersionConflict)
      throw new ApiError(409, 'version_conflict', error.message, [
        { field: 'body.expectedVersion', message: `stored version is ${error.current}` },
      ]);
    throw error;
  }
  return strategyJson(name, configured, saved, await deps.store.getControl());
}
