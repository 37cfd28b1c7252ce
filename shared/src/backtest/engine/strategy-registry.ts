import type { Market } from '../../domain/market/market-id';
import type { Timeframe } from '../../domain/market/timeframe';
import { createStrategy } from '../../domain/strategies/create-strategy';
import type { Strategy } from '../../domain/strategies/strategy';
import { DEFAULT_STRATEGY_PARAMS, type StrategyParamsByName } from '../../domain/strategies/strategy-params';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';

/** Partial parameter overrides per strategy (what the optimizer and config snippets supply). */
export type StrategyParamOverrides = {
  readonly [K in StrategyName]?: Partial<StrategyParamsByName[K]>;
};

type Factory = (params: StrategyParamsByName, markets: readonly Market[]) => Strategy;

function factoryOf(name: StrategyName): Factory {
  return (params, markets) => createStrategy(name, params, markets);
}

// Every strategy the domain's factory builds (the same constructor the live analysis uses). Kept as a
// table so a strategy can be withheld from backtests by removing one line, and --help lists the rest.
const FACTORIES: Readonly<Partial<Record<StrategyName, Factory>>> = Object.fromEntries(
  STRATEGY_NAMES.map((n) => [n, factoryOf(n)]),
);

/** Why a strategy selection cannot run; the message lists what can. */
export class StrategySelectionError extends Error {
  override readonly name = 'StrategySelectionError';
}

/** Strategies this build can backtest, in canonical order. */
export function availableStrategies(): StrategyName[] {
  return STRATEGY_NAMES.filter((n) => FACTORIES[n] !== undefined);
}

/** The names a selection stands for: `all` is every available strategy. */
export function selectedStrategies(selection: 'all' | readonly StrategyName[]): StrategyName[] {
  if (selection === 'all') return availableStrategies();
  const unknown = selection.filter((n) => FACTORIES[n] === undefined);
  if (unknown.length > 0)
    throw new StrategySelectionError(
      `strategy ${unknown.join(', ')} is not implemented in this build; available: ${availableStrategies().join(', ')}`,
    );
  if (selection.length === 0) throw new StrategySelectionError('select at least one strategy');
  return STRATEGY_NAMES.filter((n) => selection.includes(n));
}

/**
 * Defaults overlaid with the overrides, every strategy's timeframe forced to the backtest's:
 * strategies ignore bars of another timeframe, so a mismatch would silently trade nothing.
 */
export function resolveStrategyParams(
  overrides: StrategyParamOverrides | undefined,
  timeframe: Timeframe,
): StrategyParamsByName {
  const out: Record<string, unknown> = {};
  // The same keys, order and values as `{ ...defaults, ...overrides, timeframe }`, built up from `{}`
  // rather than cloned from the defaults object: a clone shares the defaults' hidden class, which
  // each run's overrides changed again (a new class per parameter set), so every optimizer trial
  // threw away the strategy code compiled for the trial before (see optimize/param-shapes.ts).
  for (const name of STRATEGY_NAMES)
    out[name] = Object.assign({}, DEFAULT_STRATEGY_PARAMS[name], overrides?.[name], { timeframe });
  return out as unknown as StrategyParamsByName;
}

/** Strategies built for a run, and the ones `all` had to leave out with the reason. */
export interface BuiltStrategies {
  readonly strategies: Strategy[];
  readonly skipped: Readonly<Partial<Record<StrategyName, string>>>;
}

/**
 * Fresh instances (fresh indicator state) of the selected strategies over `markets`. With
 * `skipUnfit`, a strategy whose constructor refuses the parameters (e.g. momentum scalping on day
 * bars) is left out and reported instead of failing the run — that is what `--strategy all` means;
 * a strategy named explicitly still fails loudly.
 */
export function createStrategies(
  names: readonly StrategyName[],
  params: StrategyParamsByName,
  markets: readonly Market[],
  skipUnfit = false,
): BuiltStrategies {
  const strategies: Strategy[] = [];
  const skipped: Partial<Record<StrategyName, string>> = {};
  for (const n of names) {
    const factory = FACTORIES[n];
    if (factory === undefined) throw new StrategySelectionError(`strategy ${n} is not implemented`);
    try {
      strategies.push(factory(params, markets));
    } catch (error) {
      if (!skipUnfit || !(error instanceof RangeError)) throw error;
      skipped[n] = error.message;
    }
  }
  if (strategies.length === 0)
    throw new StrategySelectionError(
      `no selected strategy can run with these settings: ${Object.values(skipped).join('; ')}`,
    );
  return { strategies, skipped };
}
