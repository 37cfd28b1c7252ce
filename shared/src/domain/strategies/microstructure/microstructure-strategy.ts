import { BulkVolumeClassifier, SignedVolumeImbalance } from '../../indicators/bulk-volume-classification';
import { OrderFlowImbalance } from '../../indicators/order-flow-imbalance';
import { TickRule } from '../../indicators/tick-rule';
import { VolumeClock } from '../../indicators/volume-clock';
import type { Candle, OrderbookSnapshot, Trade } from '../../market/market-data';
import type { Market } from '../../market/market-id';
import { StrategyName } from '../../trading/strategy-name';
import { NO_SIGNALS } from '../aggregated-bars';
import { barCloseSignal } from '../bar-signal';
import { MarketStates } from '../market-states';
import type { StateNode } from '../state-codec';
import type { Strategy, StrategyContext, StrategySignal } from '../strategy';
import type { MicrostructureParams } from '../strategy-params';

/** Where a microstructure reading came from: the live book and tape, or the candle-only estimators. */
export const FlowSource = { live: 'live', candles: 'candles' } as const;
/** One of {@link FlowSource}. */
export type FlowSource = (typeof FlowSource)[keyof typeof FlowSource];

/** Latest order-flow reading of one market, for the dashboard and tests. */
export interface FlowReading {
  readonly source: FlowSource;
  /** Combined pressure in [−1, 1] (positive = buying); NaN until warm. */
  readonly imbalance: number;
  /** Live: normalised CKS OFI of the last `ofiWindow` book updates (NaN until seen). */
  readonly ofi: number;
  /** Live: tick-rule buy share over the last `ofiWindow` trade volume bars, in [0, 1] (NaN until seen). */
  readonly buyProbability: number;
  /** Candles: bulk-classified signed-volume imbalance over the last `ofiWindow` volume bars. */
  readonly candleImbalance: number;
  /** Volume-clock bars completed so far (candle clock + trade clock). */
  readonly volumeBars: number;
}

interface MarketState {
  readonly candleClock: VolumeClock;
  readonly bvc: BulkVolumeClassifier;
  readonly candleFlow: SignedVolumeImbalance;
  readonly ofi: OrderFlowImbalance;
  readonly tick: TickRule;
  readonly tradeClock: VolumeClock;
  readonly tradeFlow: SignedVolumeImbalance;
  /** Book updates and completed trade volume bars since the previous bar: live data is flowing. */
  bookEvents: number;
  tradeBars: number;
  /** Side of the last emitted signal while pressure stays beyond the threshold (edge trigger). */
  armedSide: -1 | 0 | 1;
}

/**
 * Microstructure: short-horizon order-flow pressure, traded in its direction (order flow
 * imbalance predicts the next price moves, Cont–Kukanov–Stoikov 2014).
 *
 * Live (book and tape flowing): Cont–Kukanov–Stoikov OFI over the last `ofiWindow` top-of-book
 * updates, normalised to [−1, 1], and the tick-rule buy probability over the last `ofiWindow`
 * volume-clock bars of trades (`volumeBarKrw` each), mapped to 2p − 1; the pressure is their mean.
 *
 * Candle-only (backtests of history: Upbit keeps no historical book): the same volume clock is
 * built from whole candles, each volume bar's volume is split by bulk volume classification
 * (Φ of its log return over σ of the last `bvcWindow` bar returns), and the signed-volume
 * imbalance over the last `ofiWindow` volume bars stands in for OFI.
 *
 * A signal is emitted at a bar close only when new flow arrived (a book update or a completed
 * volume bar since the previous bar) and |pressure| ≥ `threshold`; strength = |pressure| / (2 ×
 * threshold), capped at 1. Decisions are made once per bar, so `onBook`/`onTrade` only update
 * state and return no signals.
 */
export class MicrostructureStrategy implements Strategy {
  readonly name = StrategyName.microstructure;
  readonly warmupBars: number;
  private readonly state: MarketStates<MarketState>;
  private readonly latest = new Map<Market, MutableReading>();
  /**
   * The market of the previous bar with its state and reading record: a run of one market's bars
   * (every single-market backtest, the executor's market) skips the two map lookups per bar.
   * Cleared when a snapshot replaces a state.
   */
  private lastMarket: Market | undefined = undefined;
  private lastState: MarketState | undefined = undefined;
  private lastReading: MutableReading | undefined = undefined;
  /** The candle reason's text after the pressure, the same for every signal of these parameters. */
  private readonly candleReasonTail: string;

  constructor(
    private readonly params: MicrostructureParams,
    readonly markets: readonly Market[],
  ) {
    if (!(params.threshold >= 0 && params.threshold <= 1))
      throw new RangeError(`microstructure threshold must be in [0, 1], got ${params.threshold}`);
    // Candle path: bvcWindow + 1 volume bars for σ, then ofiWindow classified bars (≥ 1 candle each).
    this.warmupBars = params.bvcWindow + params.ofiWindow;
    this.candleReasonTail = ` over ${params.ofiWindow} volume bars (${params.volumeBarKrw} KRW each) vs ±${params.threshold}`;
    this.state = new MarketStates(this.name, params, markets, () => ({
      candleClock: new VolumeClock(params.volumeBarKrw),
      bvc: new BulkVolumeClassifier(params.bvcWindow),
      candleFlow: new SignedVolumeImbalance(params.ofiWindow),
      ofi: new OrderFlowImbalance(params.ofiWindow),
      tick: new TickRule(),
      tradeClock: new VolumeClock(params.volumeBarKrw),
      tradeFlow: new SignedVolumeImbalance(params.ofiWindow),
      bookEvents: 0,
      tradeBars: 0,
      armedSide: 0 as -1 | 0 | 1,
    }));
  }

  get stateKey(): string {
    return this.state.stateKey;
  }

  saveMarketState(market: Market): StateNode | undefined {
    return this.state.save(market);
  }

  loadMarketState(market: Market, node: StateNode): void {
    this.lastMarket = undefined;
    this.lastState = undefined;
    this.lastReading = undefined;
    this.state.load(market, node);
  }

  /** Latest reading per market (undefined before its first bar). */
  reading(market: Market): FlowReading | undefined {
    const r = this.latest.get(market);
    return r === undefined ? undefined : { ...r };
  }

  onBar(bar: Candle, ctx: StrategyContext): readonly StrategySignal[] {
    const market = bar.market;
    const st = market === this.lastMarket ? this.lastState : this.state.get(market);
    if (st === undefined || bar.timeframe !== this.params.timeframe) return NO_SIGNALS;
    // Each field read once: a backtest's candle is a view whose fields are getters over columns.
    const close = bar.close;
    const volume = bar.volume;
    const quoteVolume = bar.quoteVolume;
    if (!(close > 0 && volume >= 0 && quoteVolume >= 0))
      throw new RangeError(`microstructure: bad candle for ${market} at ${bar.openTime}`);
    let candleTick = false;
    if (st.candleClock.addCandle(bar.open, bar.high, bar.low, close, volume, quoteVolume)) {
      const vb = st.candleClock.lastBar;
      const share = vb === undefined ? Number.NaN : st.bvc.update(vb.close);
      if (vb !== undefined && !Number.isNaN(share)) {
        st.candleFlow.update(vb.volume * share, vb.volume * (1 - share));
        candleTick = true;
      }
    }
    const live = st.bookEvents > 0 || st.tradeBars > 0;
    st.bookEvents = 0;
    st.tradeBars = 0;
    const reading = this.read(st, live, market);
    const fresh = live || candleTick;
    const p = reading.imbalance;
    if (!fresh) return NO_SIGNALS;
    const t = this.params.threshold;
    const side = Number.isNaN(p) || Math.abs(p) < t || p === 0 ? 0 : p > 0 ? 1 : -1;
    const already = side !== 0 && side === st.armedSide;
    st.armedSide = side;
    if (side === 0 || already) return NO_SIGNALS;
    return [flowSignal(bar, ctx, reading, this.params, this.candleReasonTail)];
  }

  onBook(book: OrderbookSnapshot, _ctx: StrategyContext): readonly StrategySignal[] {
    const st = this.state.get(book.market);
    const bid = book.bids[0];
    const ask = book.asks[0];
    if (st === undefined || bid === undefined || ask === undefined) return NO_SIGNALS;
    st.ofi.update({ bidPrice: bid.price, bidSize: bid.size, askPrice: ask.price, askSize: ask.size });
    st.bookEvents++;
    return NO_SIGNALS;
  }

  onTrade(trade: Trade, _ctx: StrategyContext): readonly StrategySignal[] {
    const st = this.state.get(trade.market);
    if (st === undefined) return NO_SIGNALS;
    const sign = st.tick.update(trade.price);
    // Before the first price change the side is unknown: count it half and half.
    const buy = sign > 0 ? trade.volume : sign < 0 ? 0 : trade.volume / 2;
    if (st.tradeClock.addTrade(trade.price, trade.volume, buy)) {
      const vb = st.tradeClock.lastBar;
      if (vb !== undefined) st.tradeFlow.update(vb.buyVolume, vb.volume - vb.buyVolume);
      st.tradeBars++;
    }
    return NO_SIGNALS;
  }

  /**
   * The market's reading after this bar, written into the market's one reading record (a new
   * object per bar, with five boxed doubles, cost more than the flow estimators); `reading()`
   * hands out copies.
   */
  private read(st: MarketState, live: boolean, market: Market): FlowReading {
    const ofi = st.ofi.normalized;
    const flow = st.tradeFlow.value;
    const candleImbalance = st.candleFlow.value;
    const volumeBars = st.candleClock.barsCompleted + st.tradeClock.barsCompleted;
    const buyProbability = Number.isNaN(flow) ? Number.NaN : (flow + 1) / 2;
    const imbalance = !live
      ? candleImbalance
      : Number.isNaN(ofi)
        ? flow
        : Number.isNaN(flow)
          ? ofi
          : (ofi + flow) / 2;
    const r = market === this.lastMarket ? this.lastReading : this.latest.get(market);
    if (r === undefined) {
      const made: FlowReading = {
        source: live ? 'live' : 'candles',
        imbalance,
        ofi,
        buyProbability,
        candleImbalance,
        volumeBars,
      };
      this.latest.set(market, made);
      this.remember(market, st, made);
      return made;
    }
    if (market !== this.lastMarket) this.remember(market, st, r);
    r.source = live ? 'live' : 'candles';
    r.imbalance = imbalance;
    r.ofi = ofi;
    r.buyProbability = buyProbability;
    r.candleImbalance = candleImbalance;
    r.volumeBars = volumeBars;
    return r;
  }

  private remember(market: Market, st: MarketState, reading: MutableReading): void {
    this.lastMarket = market;
    this.lastState = st;
    this.lastReading = reading;
  }
}

type MutableReading = { -readonly [K in keyof FlowReading]: FlowReading[K] };

/**
 * The signal of a bar whose pressure passed the threshold: strength |pressure| / (2 × threshold),
 * capped at 1. A function of its own, off the per-bar path V8 optimises with the flow estimators.
 */
function flowSignal(
  bar: Candle,
  ctx: StrategyContext,
  reading: FlowReading,
  params: MicrostructureParams,
  candleReasonTail: string,
): StrategySignal {
  const p = reading.imbalance;
  const t = params.threshold;
  const strength = t > 0 ? Math.min(1, Math.abs(p) / (2 * t)) : Math.min(1, Math.abs(p));
  return barCloseSignal(
    StrategyName.microstructure,
    bar,
    ctx,
    p > 0 ? 'buy' : 'sell',
    strength,
    describe(reading, params, candleReasonTail),
  );
}

/** A pressure with its sign (made once: tsx names every closure it creates, per call). */
function sign(x: number): string {
  return x >= 0 ? `+${x.toFixed(2)}` : x.toFixed(2);
}

function describe(r: FlowReading, p: MicrostructureParams, candleTail: string): string {
  if (r.source === 'live')
    return (
      `live: OFI ${Number.isNaN(r.ofi) ? 'n/a' : sign(r.ofi)} (${p.ofiWindow} book updates), ` +
      `tick-rule buy share ${Number.isNaN(r.buyProbability) ? 'n/a' : r.buyProbability.toFixed(2)} → ` +
      `pressure ${sign(r.imbalance)} vs ±${p.threshold}`
    );
  return `candles: BVC signed-volume imbalance ${sign(r.imbalance)}${candleTail}`;
}

/** Builds the microstructure strategy for `markets` (one flow state per market). */
export function createMicrostructure(
  params: MicrostructureParams,
  markets: readonly Market[],
): MicrostructureStrategy {
  return new MicrostructureStrategy(params, markets);
}
