/** Streaming indicators (O(1) per update) and their batch helpers; one import point for strategies. */
export * from './atr';
export * from './bar-aggregator';
export * from './bollinger-bands';
export * from './ema';
export * from './macd';
export * from './ring-buffer';
export * from './rolling-ols';
export * from './rolling-stats';
export * from './rolling-z-score';
export * from './rsi';
export * from './sma';
export * from './true-range';
export * from './volume-profile';
export * from './vwap';
export * from './wma';
export * from './wma-momentum';
