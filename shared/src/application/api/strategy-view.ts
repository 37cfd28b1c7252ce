import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import type { ControlState } from '../../ports/control-store';
import { VersionConflictError } from '../../ports/order-repository';
import type { ParamValue, StrategySettings } from '../../ports/strategy-settings-store';
import { requestStrategyToggle } from '../operator/operator-switches';
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
 * Applies a strategy change: the candidate (stored settings + change over the config) is checked
 * against the config schema's rules for that strategy, written with compare-and-set on the version
 * the client saw (409 when someone changed it meanwhile; the store audits the change), and an
 * on/off change also flips the control toggle and tells the executor, so both switches agree.
 */
export async function patchStrategy(
  deps: ApiDeps,
  name: StrategyName,
  patch: StrategyPatch,
  actor: string,
  commandId: string | undefined,
): Promise<unknown> {
  const configured = deps.settings.strategies[name];
  const stored = await deps.strategySettings.getStrategySettings(name);
  const overrides = { ...(stored?.params ?? {}), ...(patch.params ?? {}) };
  const candidate = {
    enabled: patch.enabled ?? stored?.enabled ?? configured.enabled,
    weight: patch.weight ?? stored?.weight ?? configured.weight,
    params: { ...configured.params, ...overrides },
  };
  const problems = deps.checkStrategy(name, candidate);
  if (problems.length > 0) {
    const fields = problems.map((p) => ({ field: `body.${p.field}`, message: p.message }));
    throw new ApiError(400, 'invalid_request', `${fields[0]?.field}: ${fields[0]?.message}`, fields);
  }
  const current = stored?.version ?? 0;
  const expected = patch.expectedVersion ?? current;
  let saved: StrategySettings;
  try {
    saved = await deps.strategySettings.putStrategySettings(
      {
        strategy: name,
        enabled: candidate.enabled,
        weight: candidate.weight,
        params: overrides,
        updatedAt: deps.clock.now(),
        updatedBy: actor,
      },
      expected,
    );
  } catch (error) {
    if (error instanceof VersionConflictError)
      throw new ApiError(
        409,
        'version_conflict',
        `${name} was changed meanwhile (now version ${current}, you sent ${expected}): reload and try again`,
        [{ field: 'body.expectedVersion', message: `stored version is ${current}` }],
      );
    throw error;
  }
  const control = await deps.store.getControl();
  if (patch.enabled !== undefined && control.strategyEnabled[name] !== patch.enabled) {
    await requestStrategyToggle(operatorDeps(deps), {
      strategy: name,
      enabled: patch.enabled,
      actor,
      ...(commandId === undefined ? {} : { commandId }),
    });
  }
  return strategyJson(name, configured, saved, await deps.store.getControl());
}
