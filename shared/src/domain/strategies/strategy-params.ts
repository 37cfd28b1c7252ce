import type { Timeframe } from '../market/timeframe';

/** Market making: dynamic spread from volatility and book imbalance, layered post-only quotes, inventory skew. */
export interface MarketMakingParams {
  readonly timeframe: Timeframe;
  /** Floor of the half-spread in basis points; must exceed the maker fee to be profitable. */
  readonly minHalfSpreadBps: number;
  /** Bars of returns used for the volatility estimate. */
  readonly volatilityWindow: number;
  /** Half-spread = max(min, volatility × this). */
  readonly volatilityMultiplier: number;
  readonly layers: number;
  readonly layerSpacingBps: number;
  /** Each further layer is this fraction of the previous layer's size. */
  readonly sizeDecay: number;
  /** KRW size of the first layer. */
  readonly baseQuoteKrw: number;
  /** How strongly inventory skews quotes (0 = none, 1 = full half-spread at max inventory). */
  readonly inventorySkew: number;
  /** How strongly book imbalance shifts the reservation price. */
  readonly imbalanceWeight: number;
  /** Maker fee in bps the half-spread must cover; defaults to Upbit's KRW maker fee (5 bps). */
  readonly makerFeeBps?: number;
  /** Profit margin in bps required on top of the maker fee per side (default 2). */
  readonly feeMarginBps?: number;
  /** Book levels per side summed for the imbalance (default 5). */
  readonly imbalanceDepth?: number;
}

/**
 * Statistical arbitrage on cointegrated pairs among the configured markets. Every length is in bars
 * of `timeframe`, so the same numbers mean very different windows on other bar lengths: the defaults
 * are tuned for 1m bars (a 240-bar = 4 h formation window, re-tested hourly, half-life ≤ 2 h). On day
 * bars they would ask for 240 days of cointegration, which crypto pairs rarely show (Bitstamp BTC/ETH
 * 2018–2020 never does at 5 %); there a formation window of about a quarter (lookbackBars 60–90,
 * retestEveryBars ≈ 20) is the usual choice.
 */
export interface StatArbParams {
  readonly timeframe: Timeframe;
  readonly lookbackBars: number;
  readonly entryZ: number;
  readonly exitZ: number;
  readonly stopZ: number;
  /** ADF p-value below which a pair counts as cointegrated. */
  readonly maxPValue: number;
  /** Re-test cointegration every this many bars; pairs that fail are dropped. */
  readonly retestEveryBars: number;
  /** Pairs whose OU half-life exceeds this (in bars) are not traded. */
  readonly maxHalfLifeBars: number;
}

/** Microstructure: order-flow imbalance, volume clock and trade classification. */
export interface MicrostructureParams {
  readonly timeframe: Timeframe;
  /** Events (book updates or bars) in the OFI window. */
  readonly ofiWindow: number;
  /** KRW traded per volume-clock bar. */
  readonly volumeBarKrw: number;
  /** Bars for bulk volume classification's return volatility. */
  readonly bvcWindow: number;
  /** Normalised imbalance needed to signal (0..1). */
  readonly threshold: number;
}

/** Momentum scalping on 1–5 minute bars: WMA momentum confirmed by a volume surge. */
export interface MomentumScalpingParams {
  readonly timeframe: Timeframe;
  readonly fastWma: number;
  readonly slowWma: number;
  readonly momentumLookback: number;
  readonly volumeWindow: number;
  /** Bar volume must exceed the window average × this. */
  readonly volumeSurgeMultiplier: number;
  /** Minimum momentum over the lookback, in percent. */
  readonly minMomentumPct: number;
}

/** Mean reversion: Bollinger touches, RSI divergence and levels, MACD crossovers, volume-profile levels. */
export interface MeanReversionParams {
  readonly timeframe: Timeframe;
  readonly bollingerPeriod: number;
  readonly bollingerStdDev: number;
  readonly rsiPeriod: number;
  readonly rsiOversold: number;
  readonly rsiOverbought: number;
  readonly macdFast: number;
  readonly macdSlow: number;
  readonly macdSignal: number;
  readonly divergenceLookback: number;
  readonly volumeProfileWindow: number;
  readonly volumeProfileBins: number;
}

/** Parameters of every strategy, keyed by strategy name. */
export interface StrategyParamsByName {
  readonly market_making: MarketMakingParams;
  readonly stat_arb: StatArbParams;
  readonly microstructure: MicrostructureParams;
  readonly momentum_scalping: MomentumScalpingParams;
  readonly mean_reversion: MeanReversionParams;
}

/** The seed system's defaults; config/default.yaml repeats them so users see every knob. */
export const DEFAULT_STRATEGY_PARAMS: StrategyParamsByName = {
  market_making: {
    timeframe: '1m',
    minHalfSpreadBps: 8,
    volatilityWindow: 30,
    volatilityMultiplier: 1.5,
    layers: 5,
    layerSpacingBps: 5,
    sizeDecay: 0.7,
    baseQuoteKrw: 100_000,
    inventorySkew: 0.5,
    imbalanceWeight: 0.3,
  },
  stat_arb: {
    timeframe: '1m',
    lookbackBars: 240,
    entryZ: 2,
    exitZ: 0.5,
    stopZ: 3.5,
    maxPValue: 0.05,
    retestEveryBars: 60,
    maxHalfLifeBars: 120,
  },
  microstructure: { timeframe: '1m', ofiWindow: 20, volumeBarKrw: 50_000_000, bvcWindow: 50, threshold: 0.3 },
  momentum_scalping: {
    timeframe: '1m',
    fastWma: 5,
    slowWma: 20,
    momentumLookback: 10,
    volumeWindow: 20,
    volumeSurgeMultiplier: 2,
    minMomentumPct: 0.15,
  },
  mean_reversion: {
    timeframe: '1m',
    bollingerPeriod: 20,
    bollingerStdDev: 2,
    rsiPeriod: 14,
    rsiOversold: 30,
    rsiOverbought: 70,
    macdFast: 12,
    macdSlow: 26,
    macdSignal: 9,
    divergenceLookback: 30,
    volumeProfileWindow: 240,
    volumeProfileBins: 24,
  },
};
