import { RollingStats } from '../../indicators/rolling-stats';
import type { Candle, OrderbookSnapshot } from '../../market/market-data';
import type { Market } from '../../market/market-id';
import { KRW_MARKET_RULES } from '../../market/market-rules';
import type { EpochMs } from '../../time/epoch';
import { StrategyName } from '../../trading/strategy-name';
import { MarketStates } from '../market-states';
import { NO_QUOTE_HINTS, QuoteHints } from '../quote-hints';
import { carryContribution, setCarriedContribution } from '../signal-contribution';
import type { StateNode } from '../state-codec';
import type { Strategy, StrategyContext, StrategySignal } from '../strategy';
import type { MarketMakingParams } from '../strategy-params';
import { buildQuoteLadder, ladderInputSlots } from './quote-ladder';
import { QuoteReasonText } from './quote-reason';

/** Upbit's KRW maker fee in bps (0.05 % = 5 bps), the default the half-spread must cover. */
export const UPBIT_MAKER_FEE_BPS = KRW_MARKET_RULES.makerFee.times(1e4).toNumber();
const DEFAULT_FEE_MARGIN_BPS = 2;
const DEFAULT_IMBALANCE_DEPTH = 5;
// Parkinson (1980): E[(ln H/L)²] = 4·ln2·σ² for a driftless Brownian bar.
const PARKINSON = 4 * Math.LN2;

interface MarketState {
  readonly rangeVariance: RollingStats;
  lastClose: number;
}

/** The fields of a market's signal that its every quote rewrites (the rest never change). */
type QuoteSignal = StrategySignal & { at: EpochMs; priceHint: number };

/**
 * A market's quote columns, its signal and the one-signal list `onBar` returns, all refilled by the
 * market's every quote: no object per bar. Valid until the strategy's next signal for the market,
 * the rule of the hints (QuoteHints) and of the strategy context; a reader that keeps a signal past
 * its step copies it (every production reader reads it while deciding the step, see quote()).
 */
interface QuoteSlot {
  readonly hints: QuoteHints;
  readonly signal: QuoteSignal;
  readonly list: readonly StrategySignal[];
}

/**
 * Market making: layered post-only quotes around a skewed reservation price.
 *
 * - Half-spread = max(minHalfSpreadBps, makerFee + margin, volatilityMultiplier × σ), σ being the
 *   Parkinson per-bar volatility from candle high/low over `volatilityWindow` bars: wide when the
 *   market moves (adverse selection), never narrower than what pays the maker fee.
 * - Reservation shift = halfSpread × (imbalanceWeight × I − inventorySkew × q): I ∈ [−1, 1] is the
 *   top-of-book size imbalance (bids heavier → price likely to tick up → quote higher), q ∈ [0, 1]
 *   the share of the strategy's cap already held as inventory (more held → quote lower to sell it).
 * - On candles (backtests) the close is the mid and I = 0; with `onBook` the real best bid/ask and
 *   imbalance are used, which is how it runs live.
 * The signal's direction is always `flat`: market making has no directional view, only quotes.
 */
export class MarketMakingStrategy implements Strategy {
  readonly name = StrategyName.marketMaking;
  readonly warmupBars: number;
  private readonly state: MarketStates<MarketState>;
  private readonly minHalfSpreadBps: number;
  private readonly depth: number;
  /** Every signal's reason text, with the last bar's number texts kept (see quote-reason.ts). */
  private readonly reasonText = new QuoteReasonText();
  /**
   * Each market's quote columns, signal and signal list, refilled by its every signal (QuoteSlot):
   * not in the market's indicator state, whose layout is the snapshot's key.
   */
  private readonly slots = new Map<Market, QuoteSlot>();
  private readonly ladderInput = ladderInputSlots();

  constructor(
    private readonly params: MarketMakingParams,
    readonly markets: readonly Market[],
  ) {
    const fee = params.makerFeeBps ?? UPBIT_MAKER_FEE_BPS;
    const margin = params.feeMarginBps ?? DEFAULT_FEE_MARGIN_BPS;
    if (!(fee >= 0 && margin >= 0))
      throw new RangeError(`market_making fee (${fee}) and margin (${margin}) must be ≥ 0`);
    if (!(params.sizeDecay > 0 && params.sizeDecay <= 1))
      throw new RangeError(`market_making sizeDecay must be in (0, 1], got ${params.sizeDecay}`);
    this.minHalfSpreadBps = Math.max(params.minHalfSpreadBps, fee + margin);
    this.depth = params.imbalanceDepth ?? DEFAULT_IMBALANCE_DEPTH;
    this.warmupBars = params.volatilityWindow;
    this.state = new MarketStates(this.name, params, markets, () => ({
      rangeVariance: new RollingStats(params.volatilityWindow),
      lastClose: Number.NaN,
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

  onBar(bar: Candle, ctx: StrategyContext): readonly StrategySignal[] {
    const st = this.state.get(bar.market);
    if (st === undefined || bar.timeframe !== this.params.timeframe) return [];
    if (!(bar.low > 0 && bar.high >= bar.low && bar.close > 0))
      throw new RangeError(
        `market_making: bad candle for ${bar.market} at ${bar.openTime} (low ${bar.low}, high ${bar.high})`,
      );
    st.rangeVariance.update(Math.log(bar.high / bar.low) ** 2 / PARKINSON);
    st.lastClose = bar.close;
    if (!st.rangeVariance.ready) return [];
    return this.quote(bar.market, st, bar.close, bar.close, bar.close, 0, ctx, 'candle');
  }

  onBook(book: OrderbookSnapshot, ctx: StrategyContext): readonly StrategySignal[] {
    const st = this.state.get(book.market);
    const bestBid = book.bids[0]?.price;
    const bestAsk = book.asks[0]?.price;
    if (st === undefined || !st.rangeVariance.ready || bestBid === undefined || bestAsk === undefined)
      return [];
    // A locked or crossed book cannot be quoted passively on both sides; pull quotes until it clears.
    if (!(bestBid > 0 && bestAsk > bestBid))
      return [
        {
          ...this.base(book.market, ctx.now),
          reason: `book crossed/locked (bid ${bestBid} ≥ ask ${bestAsk}): no quotes`,
          quotes: NO_QUOTE_HINTS,
        },
      ];
    return this.quote(
      book.market,
      st,
      (bestBid + bestAsk) / 2,
      bestBid,
      bestAsk,
      bookImbalance(book, this.depth),
      ctx,
      'book',
    );
  }

  private quote(
    market: Market,
    st: MarketState,
    mid: number,
    bestBid: number,
    bestAsk: number,
    imbalance: number,
    ctx: StrategyContext,
    source: 'candle' | 'book',
  ): readonly StrategySignal[] {
    const p = this.params;
    const sigmaBps = Math.sqrt(Math.max(0, st.rangeVariance.value)) * 1e4;
    const halfSpreadBps = Math.max(this.minHalfSpreadBps, p.volatilityMultiplier * sigmaBps);
    const heldKrw = Math.max(0, ctx.positionVolume) * mid;
    const capKrw = heldKrw + Math.max(0, ctx.availableKrw);
    const inventory = capKrw > 0 ? heldKrw / capKrw : 0;
    const skewBps = halfSpreadBps * (p.imbalanceWeight * imbalance - p.inventorySkew * inventory);
    const slot = this.slots.get(market) ?? this.newSlot(market);
    // The strategy's one ladder input, every field set (see ladderInputSlots).
    const input = this.ladderInput;
    input.mid = mid;
    input.bestBid = bestBid;
    input.bestAsk = bestAsk;
    input.halfSpreadBps = halfSpreadBps;
    input.skewBps = skewBps;
    input.layers = p.layers;
    input.layerSpacingBps = p.layerSpacingBps;
    input.sizeDecay = p.sizeDecay;
    input.baseQuoteKrw = p.baseQuoteKrw;
    input.availableKrw = ctx.availableKrw;
    input.positionVolume = ctx.positionVolume;
    buildQuoteLadder(input, slot.hints);
    // toFixed's very text, made when it is read (the imbalance's and inventory's texts kept while
    // their doubles repeat): a QuoteReason, one per quote (quote-reason.ts).
    const reason = this.reasonText.reasonOf(
      source,
      halfSpreadBps,
      sigmaBps,
      skewBps,
      imbalance,
      inventory * 100,
    );
    // The market's one signal, refilled (see QuoteSlot). Its readers: the ensemble's ladder and
    // quotes decision read it (hints included) while deciding this step and keep copies (the
    // bar's immutable QuoteReason, integer columns); the signal tallies and shadow ledgers read
    // its strategy, direction and strength; the minute analysis writes its records from it before the book's
    // strategies see another bar; collectSignals copies it into the step's list (the object, read
    // at once). Tests that keep signals across bars copy them (shared/testing/kept-signals.ts).
    const signal = slot.signal;
    signal.at = ctx.now;
    // The signal's `reason` reads this one's text; the ladder path's quotes decision takes the
    // reason itself as the signal's contribution (see QuoteReason), without reading its text.
    setCarriedContribution(signal, reason);
    signal.priceHint = mid;
    return slot.list;
  }

  /** A market's slot on its first quote; its signal's fields are set by every quote. */
  private newSlot(market: Market): QuoteSlot {
    const hints = new QuoteHints(2 * this.params.layers);
    const reason = this.reasonText.reasonOf('candle', Number.NaN, Number.NaN, Number.NaN, 0, 0);
    // The keys in the order of the literal every signal used to be (its JSON text is unchanged);
    // NaN, not 0, so that `at` and `priceHint` are double fields from the start, rewritten in place.
    // `reason` is an enumerable getter reading the carried QuoteReason's text (carryContribution):
    // JSON and spread copies read the text, as they read the string field it was.
    const head = {
      strategy: StrategyName.marketMaking,
      market,
      at: Number.NaN as EpochMs,
      direction: 'flat' as const,
      strength: 0,
    };
    carryContribution(head, reason);
    const signal = head as QuoteSignal & { quotes: QuoteHints };
    signal.priceHint = Number.NaN;
    signal.quotes = hints;
    const slot: QuoteSlot = { hints, signal, list: [signal] };
    this.slots.set(market, slot);
    return slot;
  }

  private base(market: Market, at: EpochMs) {
    return { strategy: StrategyName.marketMaking, market, at, direction: 'flat' as const, strength: 0 };
  }
}

/**
 * Size imbalance of the top `depth` levels, (bid size − ask size)/(bid size + ask size) ∈ [−1, 1];
 * exported for tests and the dashboard.
 */
export function bookImbalance(book: OrderbookSnapshot, depth: number): number {
  let bid = 0;
  let ask = 0;
  for (let i = 0; i < depth && i < book.bids.length; i++) bid += (book.bids[i] as { size: number }).size;
  for (let i = 0; i < depth && i < book.asks.length; i++) ask += (book.asks[i] as { size: number }).size;
  return bid + ask > 0 ? (bid - ask) / (bid + ask) : 0;
}

/** Builds the market-making strategy for `markets` (one quote ladder per market). */
export function createMarketMaking(
  params: MarketMakingParams,
  markets: readonly Market[],
): MarketMakingStrategy {
  return new MarketMakingStrategy(params, markets);
}
