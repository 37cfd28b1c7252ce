import type { OrderSide } from '../orders/order-types';
import type { SeededRandom } from './prng';

/** One trade of other traders: float64 price (the caller rounds it to the tick grid) and base volume. */
export interface PathPrint {
  readonly price: number;
  readonly volume: number;
  /** `bid` when a buyer lifted the ask (Upbit's `ask_bid`). */
  readonly takerSide: OrderSide;
  /** Sim time of the trade, inside the step's window. */
  readonly at: number;
}

/**
 * What other traders do in one market during one step of the synthetic market: the trades printed
 * (oldest first, possibly none) and where the market stands at the end of the step, which is where
 * the caller centres the synthetic book.
 */
export interface MarketStep {
  readonly prints: readonly PathPrint[];
  readonly price: number;
  readonly takerSide: OrderSide;
}

/** A source of market steps, asked for consecutive windows `[at, at + stepMs)` of sim time. */
export interface PricePath {
  /** The step covering the window; undefined before the data starts (the book is left as it is). */
  step(at: number, stepMs: number): MarketStep | undefined;
}

/** One OHLCV bar to replay (float64 like every candle in the project). */
export interface ReplayBar {
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Typical (median) KRW notional of one synthetic trade; sizes are log-normal around it (σ 0.8). */
export const TRADE_NOTIONAL_KRW = 400_000;
/** Mean KRW notional of one synthetic trade: the log-normal's mean, median × e^(σ²/2). */
export const MEAN_TRADE_NOTIONAL_KRW = TRADE_NOTIONAL_KRW * Math.exp(0.32);
/** Mean trades a random-walk step prints (0, 1 or 2, equally likely). */
export const MEAN_PRINTS_PER_STEP = 1;
/** Daily volatility of the random-walk market (3 % a day). */
export const RANDOM_WALK_DAILY_VOL = 0.03;

function sideOfMove(price: number, before: number, rng: SeededRandom): OrderSide {
  if (price > before) return 'bid';
  if (price < before) return 'ask';
  return rng.next() < 0.5 ? 'bid' : 'ask';
}

/**
 * A seeded geometric random walk: every step moves the price by a normal draw scaled to a daily
 * volatility and prints zero to two trades whose taker side leans with the move. The same seed and
 * step length give the same path, whatever the wall time.
 */
export class RandomWalkPath implements PricePath {
  private price: number;

  constructor(
    start: number,
    private readonly rng: SeededRandom,
    /** Daily volatility as a fraction (0.03 = 3 % a day). */
    private readonly dailyVol = RANDOM_WALK_DAILY_VOL,
  ) {
    if (!(start > 0)) throw new RangeError(`a random walk needs a positive start price, got ${start}`);
    this.price = start;
  }

  step(at: number, stepMs: number): MarketStep {
    const sigma = this.dailyVol * Math.sqrt(stepMs / 86_400_000);
    const before = this.price;
    this.price *= Math.exp(sigma * this.rng.normal());
    const lean = this.price >= before ? 0.7 : 0.3;
    const count = this.rng.int(3);
    const prints: PathPrint[] = [];
    for (let i = 0; i < count; i++)
      prints.push({
        price: this.price,
        volume: (TRADE_NOTIONAL_KRW * Math.exp(0.8 * this.rng.normal())) / this.price,
        takerSide: this.rng.next() < lean ? 'bid' : 'ask',
        at,
      });
    const takerSide = prints[prints.length - 1]?.takerSide ?? (this.price >= before ? 'bid' : 'ask');
    return { prints, price: this.price, takerSide };
  }
}

/** Where inside a bar its four knots print: open at the start, extremes at 1/3 and 2/3, close at the end. */
const KNOTS = [0, 1 / 3, 2 / 3, 1] as const;

/**
 * Replays candles: inside each bar the price runs open → first extreme → second extreme → close
 * (low first on an up bar, high first on a down bar, the usual intrabar assumption) and every knot
 * prints a trade, so the candles the fake builds from its own tape show the replayed OHLC exactly
 * (up to the tick grid). Steps between knots print at the interpolated price. Each bar's volume is
 * shared by the steps it overlaps. Gaps in the data print nothing; after the last bar a seeded random
 * walk takes over from the last close so a long-running sim never freezes.
 */
export class CandleReplayPath implements PricePath {
  private index = 0;
  private last: number | undefined = undefined;
  private tail: RandomWalkPath | undefined = undefined;

  constructor(
    private readonly bars: readonly ReplayBar[],
    private readonly barMs: number,
    private readonly rng: SeededRandom,
  ) {}

  /** Open time of the first bar (where a replay starts its clock). */
  startsAt(): number | undefined {
    return this.bars[0]?.openTime;
  }

  /** Open time just after the last bar (where the replay turns into a random walk). */
  endsAt(): number | undefined {
    const last = this.bars[this.bars.length - 1];
    return last === undefined ? undefined : last.openTime + this.barMs;
  }

  step(at: number, stepMs: number): MarketStep | undefined {
    const end = this.endsAt();
    if (end === undefined) return undefined;
    if (at >= end) return this.afterEnd(at, stepMs);
    const until = at + stepMs;
    while (this.index < this.bars.length && this.barEnd(this.index) <= at) this.index++;
    const prints: PathPrint[] = [];
    for (let i = this.index; i < this.bars.length; i++) {
      const bar = this.bars[i] as ReplayBar;
      if (bar.openTime >= until) break;
      this.printBar(bar, at, until, prints);
    }
    const lastPrint = prints[prints.length - 1];
    if (lastPrint !== undefined) return { prints, price: lastPrint.price, takerSide: lastPrint.takerSide };
    return this.last === undefined ? undefined : { prints, price: this.last, takerSide: 'bid' };
  }

  private barEnd(i: number): number {
    return (this.bars[i] as ReplayBar).openTime + this.barMs;
  }

  private printBar(bar: ReplayBar, from: number, until: number, out: PathPrint[]): void {
    const lo = Math.max(from, bar.openTime);
    const hi = Math.min(until, bar.openTime + this.barMs);
    if (hi <= lo) return;
    const fracs: number[] = [];
    for (const k of KNOTS) {
      const t = bar.openTime + Math.round(k * (this.barMs - 1));
      if (t >= lo && t < hi) fracs.push(k);
    }
    if (fracs.length === 0) fracs.push((lo - bar.openTime) / this.barMs);
    const volume = (bar.volume * ((hi - lo) / this.barMs)) / fracs.length;
    for (const f of fracs) {
      const price = priceInBar(bar, f);
      const takerSide = sideOfMove(price, this.last ?? price, this.rng);
      this.last = price;
      const at = Math.max(lo, bar.openTime + Math.round(f * (this.barMs - 1)));
      if (volume > 0) out.push({ price, volume, takerSide, at });
    }
  }

  private afterEnd(at: number, stepMs: number): MarketStep | undefined {
    if (this.tail === undefined) {
      const last = this.bars[this.bars.length - 1];
      if (last === undefined) return undefined;
      this.tail = new RandomWalkPath(last.close, this.rng);
    }
    return this.tail.step(at, stepMs);
  }
}

/** Price at fraction `f` of a bar along open → first extreme → second extreme → close. */
function priceInBar(bar: ReplayBar, f: number): number {
  const up = bar.close >= bar.open;
  const knots = [bar.open, up ? bar.low : bar.high, up ? bar.high : bar.low, bar.close];
  const x = Math.min(3, Math.max(0, f * 3));
  const i = Math.min(2, Math.floor(x));
  const a = knots[i] as number;
  const b = knots[i + 1] as number;
  return a + (b - a) * (x - i);
}
