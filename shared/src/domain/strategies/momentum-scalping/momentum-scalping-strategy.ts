import { BarAggregator } from '../../indicators/bar-aggregator';
import { Sma } from '../../indicators/sma';
import { Wma } from '../../indicators/wma';
import { WmaMomentum } from '../../indicators/wma-momentum';
import type { Candle } from '../../market/market-data';
import type { Market } from '../../market/market-id';
import { type Timeframe, timeframeMs } from '../../market/timeframe';
import { StrategyName } from '../../trading/strategy-name';
import { stepOnClosedBars } from '../aggregated-bars';
import { barCloseSignal } from '../bar-signal';
import { MarketStates } from '../market-states';
import type { StateNode } from '../state-codec';
import type { Strategy, StrategyContext, StrategySignal } from '../strategy';
import type { MomentumScalpingParams } from '../strategy-params';

/** Timeframes a scalper may run on: the seed system's 1–5 minute bars. */
export const SCALPING_TIMEFRAMES: readonly Timeframe[] = ['1m', '3m', '5m'];

/** The fade exit needs the fast WMA falling by at least minMomentumPct ÷ this. */
export const FADE_FRACTION = 3;

/** Latest indicator reading of one market, for the dashboard and tests. */
export interface MomentumReading {
  readonly fastWma: number;
  readonly slowWma: number;
  /** Percent change of the fast WMA over `momentumLookback` bars. */
  readonly momentumPct: number;
  /** Bar volume ÷ average volume of the previous `volumeWindow` bars (NaN until warm). */
  readonly volumeRatio: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface MarketState {
  readonly bars: BarAggregator;
  readonly slow: Wma;
  /** Momentum of the fast WMA, whose WMA is the fast line too (one WMA of the closes, not two). */
  readonly momentum: WmaMomentum;
  readonly volume: Sma;
  /** Whether the previous bar was already fading, so one fade gives one exit. */
  fading: boolean;
  reading?: MomentumReading;
}

/**
 * Momentum scalping on 1, 3 or 5 minute bars (built from the 1m feed by the bar aggregator, so
 * only closed bars count).
 *
 * - Entry (`buy`): fast WMA above slow WMA, fast-WMA momentum over `momentumLookback` bars ≥
 *   `minMomentumPct`, and the bar's volume above `volumeSurgeMultiplier` × the average of the
 *   previous `volumeWindow` bars — a move the market is paying for, not a drift on thin volume.
 * - Breakdown (`sell`): the mirror image (fast below slow, momentum ≤ −min, volume surge); on
 *   spot it can only reduce a holding.
 * - Fade exit (`sell`, strength 0.5): while the strategy holds the market, the fast WMA below the
 *   slow one and falling by ≥ minMomentumPct / {@link FADE_FRACTION} ends the trade even without
 *   a surge (once per fade).
 * Strength grows from 0.5 at the thresholds with how far momentum and volume exceed them.
 */
export class MomentumScalpingStrategy implements Strategy {
  readonly name = StrategyName.momentumScalping;
  readonly warmupBars: number;
  private readonly state: MarketStates<MarketState>;

  constructor(
    private readonly params: MomentumScalpingParams,
    readonly markets: readonly Market[],
  ) {
    if (!SCALPING_TIMEFRAMES.includes(params.timeframe))
      throw new RangeError(`momentum_scalping runs on 1m, 3m or 5m bars, got ${params.timeframe}`);
    if (!(params.fastWma < params.slowWma))
      throw new RangeError(
        `momentum_scalping needs fastWma < slowWma, got ${params.fastWma}/${params.slowWma}`,
      );
    if (!(params.volumeSurgeMultiplier > 0 && params.minMomentumPct >= 0))
      throw new RangeError('momentum_scalping volumeSurgeMultiplier must be > 0 and minMomentumPct ≥ 0');
    const barsNeeded = Math.max(
      params.slowWma,
      params.fastWma + params.momentumLookback,
      params.volumeWindow + 1,
    );
    this.warmupBars = barsNeeded * (timeframeMs(params.timeframe) / timeframeMs('1m'));
    this.reasonText = reasonParts(params);
    this.state = new MarketStates(this.name, params, markets, () => ({
      bars: new BarAggregator(params.timeframe),
      slow: new Wma(params.slowWma),
      momentum: new WmaMomentum(params.fastWma, params.momentumLookback),
      volume: new Sma(params.volumeWindow),
      fading: false,
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
  reading(market: Market): MomentumReading | undefined {
    const r = this.state.get(market)?.reading;
    return r === undefined ? undefined : { ...r };
  }

  onBar(bar: Candle, ctx: StrategyContext): readonly StrategySignal[] {
    return stepOnClosedBars(this.state.get(bar.market), bar, this.params.timeframe, this.stepClosed, ctx);
  }

  /**
   * The parameter parts of a signal's reason, written once: `WMA5 > WMA20 on 1m, momentum ` (or
   * `<`), then the momentum, ` % (min …), volume ×`, the volume ratio and ` (surge ×…)`.
   */
  private readonly reasonText: ReasonParts;

  // Made once: a closure per bar costs more than the indicators it runs.
  private readonly stepClosed = (st: MarketState, bar: Candle, ctx: StrategyContext) =>
    this.step(st, bar, ctx);

  private step(st: MarketState, bar: Candle, ctx: StrategyContext): StrategySignal | undefined {
    const p = this.params;
    const avgVolume = st.volume.value;
    st.volume.update(bar.volume);
    const mom = st.momentum.update(bar.close);
    const fast = st.momentum.wmaValue;
    const slow = st.slow.update(bar.close);
    const volumeRatio = avgVolume > 0 ? bar.volume / avgVolume : Number.NaN;
    // Rewritten in place: a new reading per bar (an object and four boxed doubles) costs more
    // than the indicators; `reading()` hands out copies.
    const r = st.reading as Mutable<MomentumReading> | undefined;
    if (r === undefined) st.reading = { fastWma: fast, slowWma: slow, momentumPct: mom, volumeRatio };
    else {
      r.fastWma = fast;
      r.slowWma = slow;
      r.momentumPct = mom;
      r.volumeRatio = volumeRatio;
    }
    if (Number.isNaN(slow) || Number.isNaN(mom) || Number.isNaN(avgVolume)) return undefined;
    const trend = Math.sign(fast - slow);
    // Fading = fast below slow AND the fast WMA falling by a third of the entry momentum: a WMA
    // cross on flat noise alone is not a fade. Edge-triggered, so one exit per fade.
    const fading = trend < 0 && mom <= -p.minMomentumPct / FADE_FRACTION;
    const fadeStarted = fading && !st.fading;
    st.fading = fading;
    const surge = volumeRatio > p.volumeSurgeMultiplier;
    // The reason text is built only for a signal: formatting it on every bar would cost more than
    // the indicators.
    if (surge && trend > 0 && mom >= p.minMomentumPct)
      return this.emit(
        bar,
        ctx,
        'buy',
        this.strength(mom, volumeRatio),
        'momentum up',
        trend,
        mom,
        volumeRatio,
      );
    if (surge && trend < 0 && mom <= -p.minMomentumPct)
      return this.emit(
        bar,
        ctx,
        'sell',
        this.strength(mom, volumeRatio),
        'momentum down',
        trend,
        mom,
        volumeRatio,
      );
    if (fadeStarted && ctx.positionVolume > 0)
      return this.emit(bar, ctx, 'sell', 0.5, 'momentum faded, exit', trend, mom, volumeRatio);
    return undefined;
  }

  private strength(m: number, volumeRatio: number): number {
    const p = this.params;
    const momentumExcess = p.minMomentumPct > 0 ? Math.abs(m) / p.minMomentumPct - 1 : 1;
    const volumeExcess = volumeRatio / p.volumeSurgeMultiplier - 1;
    return Math.min(1, 0.5 + 0.25 * Math.min(1, momentumExcess) + 0.25 * Math.min(1, volumeExcess));
  }

  private emit(
    bar: Candle,
    ctx: StrategyContext,
    direction: 'buy' | 'sell',
    strength: number,
    cause: string,
    trend: number,
    mom: number,
    volumeRatio: number,
  ): StrategySignal {
    const t = this.reasonText;
    const text = `${trend > 0 ? t.up : t.down}${mom.toFixed(3)}${t.mid}${volumeRatio.toFixed(2)}${t.tail}`;
    return barCloseSignal(StrategyName.momentumScalping, bar, ctx, direction, strength, `${cause}: ${text}`);
  }
}

/** The constant parts of a signal's reason (see `reasonText`). */
interface ReasonParts {
  readonly up: string;
  readonly down: string;
  readonly mid: string;
  readonly tail: string;
}

function reasonParts(p: MomentumScalpingParams): ReasonParts {
  return {
    up: `WMA${p.fastWma} > WMA${p.slowWma} on ${p.timeframe}, momentum `,
    down: `WMA${p.fastWma} < WMA${p.slowWma} on ${p.timeframe}, momentum `,
    mid: ` % (min ${p.minMomentumPct}), volume ×`,
    tail: ` (surge ×${p.volumeSurgeMultiplier})`,
  };
}

/** Builds the momentum-scalping strategy for `markets` (one bar aggregator and indicator set per market). */
export function createMomentumScalping(
  params: MomentumScalpingParams,
  markets: readonly Market[],
): MomentumScalpingStrategy {
  return new MomentumScalpingStrategy(params, markets);
}
