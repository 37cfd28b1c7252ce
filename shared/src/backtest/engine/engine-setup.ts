import {
  DEFAULT_ENSEMBLE_CONFIG,
  DEFAULT_ENSEMBLE_WEIGHTS,
  type EnsembleConfig,
} from '../../domain/ensemble/ensemble-config';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import type { BacktestInput } from './backtest-input';

/**
 * The run's ensemble configuration: the defaults under the input's overrides, with exactly the
 * strategies that run enabled (a strategy `all` skipped must not be weighed as if it had voted).
 */
export function ensembleConfig(input: BacktestInput, names: readonly StrategyName[]): EnsembleConfig {
  const enabled = Object.fromEntries(STRATEGY_NAMES.map((n) => [n, names.includes(n)])) as Record<
    StrategyName,
    boolean
  >;
  // `{ ...defaults, ...overrides, weights, enabled }` built with Object.assign (same keys, order and
  // values): a spread of the constant defaults changes hidden class on the 9th run in an isolate
  // (see the engine's rules), a deopt in every optimizer worker.
  return Object.assign({}, DEFAULT_ENSEMBLE_CONFIG, input.params?.ensemble ?? {}, {
    weights: Object.assign({}, DEFAULT_ENSEMBLE_WEIGHTS, input.params?.weights ?? {}),
    enabled,
  });
}
