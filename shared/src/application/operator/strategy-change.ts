import type { StrategyName } from '../../domain/trading/strategy-name';
import { VersionConflictError } from '../../ports/order-repository';
import type {
  ParamValue,
  StrategySettings,
  StrategySettingsStore,
} from '../../ports/strategy-settings-store';
import type { ConfiguredStrategy, StrategyRulesCheck } from '../api/api-deps';
import type { FieldProblem } from '../api/http-types';
import type { OperatorCommandDeps } from './operator-commands';
import { requestStrategyToggle } from './operator-switches';

/** A runtime change of one strategy: any of on/off, weight, parameters; `expectedVersion` guards races. */
export interface StrategyChange {
  readonly enabled?: boolean | undefined;
  readonly weight?: number | undefined;
  readonly params?: Readonly<Record<string, ParamValue>> | undefined;
  readonly expectedVersion?: number | undefined;
}

/** What a strategy change needs: the settings store, the configured values and rules, the operator commands. */
export interface StrategyChangeDeps {
  readonly strategySettings: StrategySettingsStore;
  readonly configured: Readonly<Record<StrategyName, ConfiguredStrategy>>;
  readonly checkStrategy: StrategyRulesCheck;
  readonly operator: OperatorCommandDeps;
}

/** The change breaks the configuration's rules for that strategy; fields relative to the strategy. */
export class StrategyChangeRefused extends Error {
  override readonly name = 'StrategyChangeRefused';
  constructor(readonly problems: readonly FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}

/** Someone changed the strategy since the caller read it. */
export class StrategyVersionConflict extends Error {
  override readonly name = 'StrategyVersionConflict';
  constructor(
    readonly strategy: StrategyName,
    readonly current: number,
    readonly expected: number,
  ) {
    super(
      `${strategy} was changed meanwhile (now version ${current}, you sent ${expected}): reload and try again`,
    );
  }
}

/**
 * Applies a strategy change from any operator front end (the dashboard's PATCH, `npm run ops --
 * strategy`): the candidate (stored settings + change over the config) is checked against the config
 * schema's rules for that strategy, written with compare-and-set on the version the operator saw
 * (the store audits it), and an on/off change also flips the control toggle and tells the executor,
 * so both switches agree. Returns the stored settings.
 */
export async function changeStrategy(
  deps: StrategyChangeDeps,
  name: StrategyName,
  change: StrategyChange,
  actor: string,
  commandId: string | undefined,
): Promise<StrategySettings> {
  const configured = deps.configured[name];
  const stored = await deps.strategySettings.getStrategySettings(name);
  const overrides = { ...(stored?.params ?? {}), ...(change.params ?? {}) };
  const candidate = {
    enabled: change.enabled ?? stored?.enabled ?? configured.enabled,
    weight: change.weight ?? stored?.weight ?? configured.weight,
    params: { ...configured.params, ...overrides },
  };
  const problems = deps.checkStrategy(name, candidate);
  if (problems.length > 0) throw new StrategyChangeRefused(problems);
  const current = stored?.version ?? 0;
  const expected = change.expectedVersion ?? current;
  let saved: StrategySettings;
  try {
    saved = await deps.strategySettings.putStrategySettings(
      {
        strategy: name,
        enabled: candidate.enabled,
        weight: candidate.weight,
        params: overrides,
        updatedAt: deps.operator.clock.now(),
        updatedBy: actor,
      },
      expected,
    );
  } catch (error) {
    if (error instanceof VersionConflictError) throw new StrategyVersionConflict(name, current, expected);
    throw error;
  }
  const control = await deps.operator.store.getControl();
  if (change.enabled !== undefined && control.strategyEnabled[name] !== change.enabled)
    await requestStrategyToggle(deps.operator, {
      strategy: name,
      enabled: change.enabled,
      actor,
      ...(commandId === undefined ? {} : { commandId }),
    });
  return saved;
}
