/** The five strategies of the ensemble, with the names used in config, logs and reports. */
export const StrategyName = {
  marketMaking: 'market_making',
  statArb: 'stat_arb',
  microstructure: 'microstructure',
  momentumScalping: 'momentum_scalping',
  meanReversion: 'mean_reversion',
} as const;
/** One of {@link StrategyName}. */
export type StrategyName = (typeof StrategyName)[keyof typeof StrategyName];

/** All strategy names in their canonical order (weights 30/20/20/15/15 by default). */
export const STRATEGY_NAMES: readonly StrategyName[] = Object.values(StrategyName);

/** Narrows a string to a strategy name. */
export function isStrategyName(text: string): text is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(text);
}
