import type { StrategyParamsByName } from '../../domain/strategies/strategy-params';
import type { StrategyName } from '../../domain/trading/strategy-name';

/** An integer parameter drawn uniformly from [min, max] on a `step` grid. */
export interface IntRange {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
  readonly step?: number;
}

/** A real parameter drawn uniformly from [min, max], rounded to `decimals` so configs stay readable. */
export interface FloatRange {
  readonly kind: 'float';
  readonly min: number;
  readonly max: number;
  readonly decimals: number;
}

/** How one parameter may vary. */
export type ParamRange = IntRange | FloatRange;

/**
 * The parameters the optimizer varies for one strategy, plus a validity rule for combinations
 * (an exit band inside the entry band, a fast average faster than the slow one). Parameters not
 * listed keep their defaults; `timeframe` is never searched: it is the data's timeframe.
 */
export interface SearchSpace<S extends StrategyName = StrategyName> {
  readonly ranges: { readonly [K in keyof StrategyParamsByName[S]]?: ParamRange };
  readonly valid?: (params: StrategyParamsByName[S]) => boolean;
}

/** Every strategy's search space, keyed by strategy name. */
export type SearchSpaces = { readonly [S in StrategyName]: SearchSpace<S> };

/**
 * Search spaces around the seed defaults. Bounds keep each parameter inside its config schema and
 * inside values a trader would accept: wide enough to find something, narrow enough that a handful
 * of trials per fold is not pure noise. Kept here (not next to each strategy) because the strategy
 * modules are owned elsewhere; moving a space next to its params changes no behaviour.
 */
export const SEARCH_SPACES: SearchSpaces = {
  market_making: {
    ranges: {
      minHalfSpreadBps: { kind: 'float', min: 6, max: 30, decimals: 1 },
      volatilityWindow: { kind: 'int', min: 10, max: 120, step: 5 },
      volatilityMultiplier: { kind: 'float', min: 0.5, max: 3, decimals: 2 },
      layers: { kind: 'int', min: 1, max: 6 },
      layerSpacingBps: { kind: 'float', min: 2, max: 20, decimals: 1 },
      sizeDecay: { kind: 'float', min: 0.3, max: 1, decimals: 2 },
      inventorySkew: { kind: 'float', min: 0, max: 1, decimals: 2 },
      imbalanceWeight: { kind: 'float', min: 0, max: 1, decimals: 2 },
    },
  },
  stat_arb: {
    ranges: {
      lookbackBars: { kind: 'int', min: 60, max: 720, step: 30 },
      entryZ: { kind: 'float', min: 1.2, max: 3.5, decimals: 2 },
      exitZ: { kind: 'float', min: 0, max: 1.2, decimals: 2 },
      stopZ: { kind: 'float', min: 2.5, max: 6, decimals: 2 },
      maxPValue: { kind: 'float', min: 0.01, max: 0.1, decimals: 3 },
      retestEveryBars: { kind: 'int', min: 30, max: 240, step: 15 },
      maxHalfLifeBars: { kind: 'int', min: 30, max: 360, step: 10 },
    },
    valid: (p) => p.exitZ < p.entryZ && p.entryZ < p.stopZ,
  },
  microstructure: {
    ranges: {
      ofiWindow: { kind: 'int', min: 5, max: 100, step: 5 },
      volumeBarKrw: { kind: 'int', min: 10_000_000, max: 200_000_000, step: 10_000_000 },
      bvcWindow: { kind: 'int', min: 20, max: 200, step: 10 },
      threshold: { kind: 'float', min: 0.1, max: 0.7, decimals: 2 },
    },
  },
  momentum_scalping: {
    ranges: {
      fastWma: { kind: 'int', min: 3, max: 15 },
      slowWma: { kind: 'int', min: 10, max: 60, step: 2 },
      momentumLookback: { kind: 'int', min: 3, max: 30 },
      volumeWindow: { kind: 'int', min: 10, max: 60, step: 5 },
      volumeSurgeMultiplier: { kind: 'float', min: 1.2, max: 4, decimals: 2 },
      minMomentumPct: { kind: 'float', min: 0.05, max: 0.6, decimals: 3 },
    },
    valid: (p) => p.fastWma < p.slowWma,
  },
  mean_reversion: {
    ranges: {
      bollingerPeriod: { kind: 'int', min: 10, max: 60 },
      bollingerStdDev: { kind: 'float', min: 1.5, max: 3, decimals: 2 },
      rsiPeriod: { kind: 'int', min: 7, max: 28 },
      rsiOversold: { kind: 'int', min: 15, max: 40 },
      rsiOverbought: { kind: 'int', min: 60, max: 85 },
      divergenceLookback: { kind: 'int', min: 10, max: 60, step: 5 },
    },
    valid: (p) => p.rsiOversold < p.rsiOverbought && p.macdFast < p.macdSlow,
  },
};
