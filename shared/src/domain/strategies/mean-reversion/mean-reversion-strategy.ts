import { BarAggregator } from '../../indicators/bar-aggregator';
import { BollingerBands } from '../../indicators/bollinger-bands';
import { Macd } from '../../indicators/macd';
import { Rsi } from '../../indicators/rsi';
import { VolumeProfile } from '../../indicators/volume-profile';
import type { Candle } from '../../market/market-data';
import type { Market } from '../../market/market-id';
import { timeframeMs } from '../../market/timeframe';
import { StrategyName } from '../../trading/strategy-name';
import { stepOnClosedBars } from '../aggregated-bars';
import { MarketStates } from '../market-states';
import type { StateNode } from '../state-codec';
import type { Strategy, StrategyContext, StrategySignal } from '../strategy';
import type { MeanReversionParams } from '../strategy-params';
import {
  entrySignal,
  MEAN_REVERSION_MIN_VOTE,
  MEAN_REVERSION_VOTES,
  revertedSignal,
  tradeSide,
} from './mean-reversion-signals';
import { type Divergence, RsiDivergence } from './rsi-divergence';

/** What the strategy saw on the latest bar, for the dashboard and tests. */
export interface MeanReversionReading {
  readonly close: number;
  readonly lower: number;
  readonly middle: number;
  readonly upper: number;
  readonly rsi: number;
  readonly macdHistogram: number;
  readonly divergence: Divergence;
  readonly support: number;
  readonly resistance: number;
}

interface MarketState {
  readonly bars: BarAggregator;
  readonly bands: BollingerBands;
  readonly rsi: Rsi;
  readonly macd: Macd;
  readonly divergence: RsiDivergence;
  readonly profile: VolumeProfile;
  prevHistogram: number;
  prevCloseVsMiddle: number;
  /** Side of the previous bar's trigger: a run of triggering bars emits once (edge trigger). */
  armedSide: number;
  /** Rewritten in place each bar (an object per bar was a measurable share of the backtest's GC). */
  reading?: {
    -readonly [K in Exclude<keyof MeanReversionReading, 'support' | 'resistance'>]: MeanReversionReading[K];
  };
}

/**
 * Mean reversion (the seed's "enhanced" RSI/MACD system plus Bollinger and volume-profile
 * context): buys weakness that looks exhausted, sells strength that looks exhausted.
 *
 * Evidence per closed bar ({@link MEAN_REVERSION_VOTES}): the close at or beyond the lower
 * Bollinger band (the upper; a close, not a wick, so intrabar noise does not count); RSI
 * divergence (price lower low with RSI higher low = bullish, the inverse bearish); RSI ≤ `rsiOversold` / ≥ `rsiOverbought`; a MACD histogram sign change (signal-line
 * crossover); the close within half a band σ above a volume-profile support node (below a
 * resistance node). Evidence for the other side subtracts. A signal needs a trigger on its side
 * (touch, divergence, or RSI extreme + MACD cross the same way) and a net vote of at least
 * {@link MEAN_REVERSION_MIN_VOTE}; strength = |net vote| capped at 1. A run of consecutive
 * triggering bars on one side emits once, at its first bar (the ensemble turns each signal into an
 * order, so a repeat would pile into the same move).
 * Exit: while the strategy holds the market, the close crossing up through the middle band
 * (the mean it bet on) emits `sell` with strength 0.5.
 */
export class MeanReversionStrategy implements Strategy {
  readonly name = StrategyName.meanReversion;
  readonly warmupBars: number;
  private readonly state: MarketStates<MarketState>;

  constructor(
    private readonly params: MeanReversionParams,
    readonly markets: readonly Market[],
  ) {
    if (!(params.rsiOversold < 50 && params.rsiOverbought > 50))
      throw new RangeError(
        `mean_reversion needs rsiOversold < 50 < rsiOverbought, got ${params.rsiOversold}/${params.rsiOverbought}`,
      );
    const barsNeeded = Math.max(
      params.bollingerPeriod,
      params.rsiPeriod + params.divergenceLookback + 1,
      params.macdSlow + params.macdSignal,
      params.volumeProfileWindow,
    );
    this.warmupBars = barsNeeded * (timeframeMs(params.timeframe) / timeframeMs('1m'));
    this.state = new MarketStates(this.name, params, markets, () => ({
      bars: new BarAggregator(params.timeframe),
      bands: new BollingerBands(params.bollingerPeriod, params.bollingerStdDev),
      rsi: new Rsi(params.rsiPeriod),
      macd: new Macd(params.macdFast, params.macdSlow, params.macdSignal),
      divergence: new RsiDivergence(params.divergenceLookback),
      profile: new VolumeProfile(params.volumeProfileWindow, params.volumeProfileBins),
      prevHistogram: Number.NaN,
      prevCloseVsMiddle: 0,
      armedSide: 0,
    }));
  }

  get stateKey(): string {
    return this.state.stateKey;
  }

  saveMarketState(market: Market): StateNode | undefined {
    return this.state.save(market);
  }

  loadMarketState(market: Market, node: StateNode): void {
    this.state.load(market, node);
  }

  /** Latest reading per market (undefined before the first bar of the strategy's timeframe). */
  reading(market: Market): MeanReversionReading | undefined {
    const st = this.state.get(market);
    const r = st?.reading;
    if (st === undefined || r === undefined) return undefined;
    return {
      ...r,
      support: st.profile.nearestSupport(r.close),
      resistance: st.profile.nearestResistance(r.close),
    };
  }

  onBar(bar: Candle, ctx: StrategyContext): readonly StrategySignal[] {
    return stepOnClosedBars(this.state.get(bar.market), bar, this.params.timeframe, this.stepClosed, ctx);
  }

  // Made once: a closure per bar costs more than the indicators it runs.
  private readonly stepClosed = (st: MarketState, bar: Candle, ctx: StrategyContext) =>
    this.step(st, bar, ctx);

  private step(st: MarketState, bar: Candle, ctx: StrategyContext): StrategySignal | undefined {
    const p = this.params;
    // The bar's fields read once (a backtest's candle reads each from its columns through a getter).
    const close = bar.close;
    // The middle band as the update returns it (BollingerBands.middle's value, one getter call less).
    const middle = st.bands.update(close);
    const rsi = st.rsi.update(close);
    const histogram = st.macd.update(close);
    const divergence = st.divergence.update(close, rsi);
    st.profile.update(bar.high, bar.low, bar.volume);
    // The bands as BollingerBands' getters compute them (middle ∓ k·σ), with σ's square root taken
    // once instead of once per getter.
    const bands = st.bands;
    const std = bands.std;
    const lower = middle - bands.stdDevDown * std;
    const upper = middle + bands.stdDevUp * std;
    const reading = st.reading;
    if (reading === undefined)
      st.reading = { close: close, lower, middle, upper, rsi, macdHistogram: histogram, divergence };
    else {
      reading.close = close;
      reading.lower = lower;
      reading.middle = middle;
      reading.upper = upper;
      reading.rsi = rsi;
      reading.macdHistogram = histogram;
      reading.divergence = divergence;
    }
    const prevHistogram = st.prevHistogram;
    st.prevHistogram = histogram;
    const closeVsMiddle = Math.sign(close - middle);
    const crossedUp = st.prevCloseVsMiddle < 0 && closeVsMiddle >= 0;
    st.prevCloseVsMiddle = closeVsMiddle;
    if (!bands.ready || Number.isNaN(rsi)) return undefined;

    const V = MEAN_REVERSION_VOTES;
    let vote = 0;
    let buyTrigger = false;
    let sellTrigger = false;
    const touchLow = close <= lower;
    const touchHigh = close >= upper;
    if (touchLow !== touchHigh) {
      vote += touchLow ? V.bandTouch : -V.bandTouch;
      buyTrigger ||= touchLow;
      sellTrigger ||= touchHigh;
    }
    if (divergence !== 'none') {
      vote += divergence === 'bullish' ? V.divergence : -V.divergence;
      buyTrigger ||= divergence === 'bullish';
      sellTrigger ||= divergence === 'bearish';
    }
    const oversold = rsi <= p.rsiOversold;
    const overbought = rsi >= p.rsiOverbought;
    if (oversold || overbought) vote += oversold ? V.rsiExtreme : -V.rsiExtreme;
    const crossUp = prevHistogram <= 0 && histogram > 0;
    const crossDown = prevHistogram >= 0 && histogram < 0;
    if (crossUp || crossDown) {
      vote += crossUp ? V.macdCross : -V.macdCross;
      buyTrigger ||= crossUp && oversold;
      sellTrigger ||= crossDown && overbought;
    }
    // Without a trigger nothing below can trade (every side is 0): the run of triggering bars ends,
    // and only the exit remains to check. Most bars skip this block.
    if (!buyTrigger && !sellTrigger) st.armedSide = 0;
    else {
      // Volume-profile levels only add conviction to a trigger, and rebuilding the histogram costs
      // O(window × bins): look them up only when something may be emitted, i.e. when one of the
      // votes they can lead to (computed as below, in the same order) would trade.
      const withSupport = buyTrigger ? vote + V.profileLevel : vote;
      const mayTrade =
        tradeSide(vote, buyTrigger, sellTrigger) !== 0 ||
        tradeSide(withSupport, buyTrigger, sellTrigger) !== 0 ||
        (sellTrigger &&
          (tradeSide(vote - V.profileLevel, buyTrigger, sellTrigger) !== 0 ||
            tradeSide(withSupport - V.profileLevel, buyTrigger, sellTrigger) !== 0));
      // A repeat of the armed side emits nothing, whatever the levels say: with one trigger only, a
      // level can only push the vote further that side's way (support adds, resistance subtracts),
      // so when the vote already trades that side and the side is armed, the lookup is skipped.
      const armedRepeat =
        buyTrigger !== sellTrigger &&
        st.armedSide !== 0 &&
        tradeSide(vote, buyTrigger, sellTrigger) === st.armedSide;
      const lookUp = mayTrade && !armedRepeat;
      const nearBand = 0.5 * std;
      // Only a level within `nearBand` counts, so only the bins in that band are accumulated.
      const support =
        buyTrigger && lookUp ? st.profile.nearestNodeWithin(close, nearBand, 'below') : Number.NaN;
      const resistance =
        sellTrigger && lookUp ? st.profile.nearestNodeWithin(close, nearBand, 'above') : Number.NaN;
      const nearSupport = !Number.isNaN(support);
      const nearResistance = !Number.isNaN(resistance);
      if (nearSupport) vote += V.profileLevel;
      if (nearResistance) vote -= V.profileLevel;
      const side = tradeSide(vote, buyTrigger, sellTrigger);
      const repeat = side !== 0 && side === st.armedSide;
      st.armedSide = side;
      if (side !== 0)
        return repeat
          ? undefined
          : entrySignal(
              p,
              bar,
              close,
              ctx,
              side,
              vote,
              lower,
              upper,
              rsi,
              divergence,
              crossUp,
              crossDown,
              support,
              resistance,
            );
    }
    // The exit, at one call site for both paths: a site first reached once the step is optimised
    // (a position held on a triggering bar) would throw the optimised step away.
    return crossedUp && ctx.positionVolume > DOUBLE_ZERO
      ? revertedSignal(bar, ctx, close, middle)
      : undefined;
  }
}

/**
 * Zero as a heap number, for `positionVolume > DOUBLE_ZERO` (−0 compares equal to 0, so it is
 * `> 0`): V8 records a comparison with it as one of doubles from the first bar, so a held
 * position's fractional volume, first seen when the step is already optimised, does not throw the
 * step's optimised code away (recompiling it costs ~10–20 ms of CPU per run).
 */
const DOUBLE_ZERO = -0;

/** Builds the mean-reversion strategy for `markets` (one bar aggregator and indicator set per market). */
export function createMeanReversion(
  params: MeanReversionParams,
  markets: readonly Market[],
): MeanReversionStrategy {
  return new MeanReversionStrategy(params, markets);
}
