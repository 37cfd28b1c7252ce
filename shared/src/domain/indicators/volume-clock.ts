import { assertFinite } from './ring-buffer';

/** One completed volume-clock bar (a fixed amount of quote currency traded, however long it took). */
export interface VolumeBar {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Base-currency volume. */
  readonly volume: number;
  /** Quote (KRW) value traded; ≥ the clock's bar size. */
  readonly quoteVolume: number;
  /** Base volume classified as buyer-initiated (tick rule on trades); NaN when the input had no classification. */
  readonly buyVolume: number;
  /** Inputs (trades or candles) merged into this bar. */
  readonly inputs: number;
}

/**
 * Volume clock (Easley, López de Prado and O'Hara 2012): samples the market every `barQuoteVolume`
 * of quote currency traded instead of every minute, so busy periods give more bars and quiet ones
 * fewer, and returns per bar are closer to i.i.d. normal — which bulk volume classification
 * assumes. Inputs are trades (live) or candles (history); an input is never split, so a bar closes
 * on the input that takes it to at least `barQuoteVolume` and on candle data the clock cannot tick
 * faster than once per candle. Allocation-free: the completed bar is a reused object.
 */
export class VolumeClock {
  private open = Number.NaN;
  private high = Number.NEGATIVE_INFINITY;
  private low = Number.POSITIVE_INFINITY;
  private close = Number.NaN;
  private volume = 0;
  private quote = 0;
  private buy = 0;
  private classified = true;
  private inputs = 0;
  private readonly done = {
    open: Number.NaN,
    high: Number.NaN,
    low: Number.NaN,
    close: Number.NaN,
    volume: 0,
    quoteVolume: 0,
    buyVolume: Number.NaN,
    inputs: 0,
  };
  private completed = 0;

  constructor(readonly barQuoteVolume: number) {
    if (!(Number.isFinite(barQuoteVolume) && barQuoteVolume > 0))
      throw new RangeError(`volume bar size must be a positive number, got ${barQuoteVolume}`);
  }

  /** True once the first volume bar has completed. */
  get ready(): boolean {
    return this.completed > 0;
  }

  /** Volume bars completed so far. */
  get barsCompleted(): number {
    return this.completed;
  }

  /** The latest completed bar (reused object: copy what you keep); undefined before the first. */
  get lastBar(): VolumeBar | undefined {
    return this.completed > 0 ? this.done : undefined;
  }

  /** Quote volume accumulated in the bar being built. */
  get pendingQuoteVolume(): number {
    return this.quote;
  }

  /** Adds one trade; `buyVolume` is the part classified as buyer-initiated. True when it closed a bar. */
  addTrade(price: number, volume: number, buyVolume: number): boolean {
    return this.add(price, price, price, price, volume, price * volume, buyVolume);
  }

  /** Adds one candle (no buy/sell split: bulk volume classification supplies it later). True when it closed a bar. */
  addCandle(
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    quoteVolume: number,
  ): boolean {
    return this.add(open, high, low, close, volume, quoteVolume, Number.NaN);
  }

  /** Forgets all history. */
  reset(): void {
    this.clearBuilding();
    this.completed = 0;
  }

  private add(
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    quote: number,
    buy: number,
  ): boolean {
    assertFinite(close, 'volume-clock price');
    assertFinite(volume, 'volume-clock volume');
    assertFinite(quote, 'volume-clock quote volume');
    if (volume < 0 || quote < 0) throw negativeVolumeError(volume, quote);
    if (this.inputs === 0) this.open = open;
    this.high = Math.max(this.high, high);
    this.low = Math.min(this.low, low);
    this.close = close;
    this.volume += volume;
    this.quote += quote;
    if (Number.isNaN(buy)) this.classified = false;
    else this.buy += buy;
    this.inputs++;
    return this.quote < this.barQuoteVolume ? false : this.complete();
  }

  /**
   * Closes the bar being built into the completed-bar record. Apart from `add` so that `add` stays
   * small enough for V8 to inline into its caller: a call it does not inline passes every double
   * argument boxed, a heap number each (six per candle, every candle).
   */
  private complete(): true {
    const d = this.done;
    d.open = this.open;
    d.high = this.high;
    d.low = this.low;
    d.close = this.close;
    d.volume = this.volume;
    d.quoteVolume = this.quote;
    d.buyVolume = this.classified ? this.buy : Number.NaN;
    d.inputs = this.inputs;
    this.completed++;
    this.clearBuilding();
    return true;
  }

  private clearBuilding(): void {
    this.open = Number.NaN;
    this.high = Number.NEGATIVE_INFINITY;
    this.low = Number.POSITIVE_INFINITY;
    this.close = Number.NaN;
    this.volume = 0;
    this.quote = 0;
    this.buy = 0;
    this.classified = true;
    this.inputs = 0;
  }
}

/** The error of a negative input volume (built apart from the per-input path, see `complete`). */
function negativeVolumeError(volume: number, quote: number): RangeError {
  return new RangeError(`volume-clock volumes must be ≥ 0, got ${volume}/${quote}`);
}
