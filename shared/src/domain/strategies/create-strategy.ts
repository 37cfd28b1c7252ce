import type { Market } from '../market/market-id';
import { STRATEGY_NAMES, StrategyName } from '../trading/strategy-name';
import { createMarketMaking } from './market-making/market-making-strategy';
import { createMeanReversion } from './mean-reversion/mean-reversion-strategy';
import { createMicrostructure } from './microstructure/microstructure-strategy';
import { createMomentumScalping } from './momentum-scalping/momentum-scalping-strategy';
import { createStatArb } from './stat-arb/stat-arb-strategy';
import type { Strategy } from './strategy';
import type { StrategyParamsByName } from './strategy-params';

/**
 * One place that maps a strategy name to its constructor, so the backtester, the minute analysis
 * and the executor build exactly the same strategy from the same config (no name switch copied
 * into each composition root). Throws the strategy's own `RangeError` on inconsistent params.
 */
export function createStrategy(
  name: StrategyName,
  params: StrategyParamsByName,
  markets: readonly Market[],
): Strategy {
  switch (name) {
    case StrategyName.marketMaking:
      return createMarketMaking(params.market_making, markets);
    case StrategyName.statArb:
      return createStatArb(params.stat_arb, markets);
    case StrategyName.microstructure:
      return createMicrostructure(params.microstructure, markets);
    case StrategyName.momentumScalping:
      return createMomentumScalping(params.momentum_scalping, markets);
    case StrategyName.meanReversion:
      return createMeanReversion(params.mean_reversion, markets);
  }
}

/** Builds the named strategies (default: all five, in canonical order) over the same markets. */
export function createStrategies(
  params: StrategyParamsByName,
  markets: readonly Market[],
  names: readonly StrategyName[] = STRATEGY_NAMES,
): Strategy[] {
  return names.map((n) => createStrategy(n, params, markets));
}
