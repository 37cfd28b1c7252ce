import type { TickContext } from '../market/tick-rounding';
import type { OrderSide } from '../orders/order-types';
import { MS } from '../time/epoch';
import type { SeededRandom } from './prng';

/** How much history a fake market starts with. */
export interface HistoryShape {
  /** Days of 1-minute candles; the range starts at a UTC midnight, so 2 gives between 2 and 3 days. */
  readonly minuteDays: number;
  /** Day candles before the minute range (weeks, months and years are built from them). */
  readonly dayCount: number;
  /** Trades on the tape just before the start (Upbit's `/trades/ticks` serves up to 500 at once). */
  readonly trades: number;
}

/** Two days of minutes, a year of days, 500 trades. */
export const DEFAULT_HISTORY: HistoryShape = { minuteDays: 2, dayCount: 365, trades: 500 };

/** What the history must join: where and when live trading starts, and how the market behaves. */
export interface HistoryAnchor {
  /** First instant of live trading; every history item is strictly before it. */
  readonly end: number;
  /** Price at `end` (the random walk's start, or the first replayed open): the last trade prints here. */
  readonly endPrice: number;
  /** Daily volatility (fraction) of the backward walk, as the live walk's (or the data's) own. */
  readonly dailyVol: number;
  /** Mean KRW value of one trade. */
  readonly tradeNotional: number;
  /** Mean trades per second. */
  readonly tradesPerSecond: number;
  /** Rounds a float price onto the tick grid in force at `at` (nearest). */
  readonly round: (price: number, at: number) => number;
}

/** One history candle (float64, like every candle in the project). */
export interface HistoryBar {
  readonly start: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly quoteVolume: number;
  readonly lastTradeAt: number;
}

/** One history trade. */
export interface HistoryTrade {
  readonly price: number;
  readonly volume: number;
  readonly takerSide: OrderSide;
  readonly at: number;
}

/**
 * A market's past, oldest first in every list: complete days before the minute range, complete minutes
 * up to the minute of the first trade, then the trades themselves (the tape builds the newest candles,
 * including seconds, from them exactly as from live trades).
 */
export interface SeededHistory {
  readonly days: readonly HistoryBar[];
  readonly minutes: readonly HistoryBar[];
  readonly trades: readonly HistoryTrade[];
}

/** Walks the price backwards from `price` over `steps` sub-steps of `stepMs`; returns the bar it drew. */
function barBackwards(
  start: number,
  lengthMs: number,
  close: number,
  steps: number,
  a: HistoryAnchor,
  rng: SeededRandom,
  notional: number,
): { bar: HistoryBar; open: number } {
  const sigma = a.dailyVol * Math.sqrt(lengthMs / steps / MS.day);
  let p = close;
  let high = close;
  let low = close;
  for (let i = 0; i < steps; i++) {
    p *= Math.exp(-sigma * rng.normal());
    if (p > high) high = p;
    if (p < low) low = p;
  }
  const at = start + lengthMs - 1;
  const [o, h, l, c] = [a.round(p, at), a.round(high, at), a.round(low, at), a.round(close, at)];
  const typical = (o + h + l + c) / 4;
  const volume = Math.max(
    1e-8,
    Math.floor((notional * Math.exp(0.3 * rng.normal() - 0.045) * 1e8) / typical) / 1e8,
  );
  const lastTradeAt = Math.max(start, at - Math.floor(rng.next() * Math.min(lengthMs, 5 * MS.second)));
  return {
    bar: { start, open: o, high: h, low: l, close: c, volume, quoteVolume: volume * typical, lastTradeAt },
    open: p,
  };
}

/**
 * Generates a market's history backwards from where live trading starts, with the live market's own
 * statistics (a geometric random walk of the same daily volatility, trades of the same size and rate),
 * so the past flows into the present without a jump: the last trade prints at `endPrice` just before
 * `end`, every minute closes where the next one opens (up to the tick grid), and the older days close
 * where the minute range opens. Pure and seeded: the same `rng` gives the same past. O(minutes + days).
 */
export function generateHistory(a: HistoryAnchor, shape: HistoryShape, rng: SeededRandom): SeededHistory {
  if (!(a.endPrice > 0)) throw new RangeError(`history needs a positive end price, got ${a.endPrice}`);
  const trades: HistoryTrade[] = [];
  const perSecondSigma = a.dailyVol * Math.sqrt(MS.second / MS.day);
  const meanGapMs = MS.second / Math.max(1e-6, a.tradesPerSecond);
  let t = a.end - 1 - Math.floor(rng.next() * meanGapMs);
  let p = a.endPrice;
  for (let i = 0; i < shape.trades; i++) {
    const notional = a.tradeNotional * Math.exp(0.8 * rng.normal() - 0.32);
    const price = a.round(p, t);
    const volume = Math.max(1e-8, Math.floor((notional / price) * 1e8) / 1e8);
    const gap = Math.max(1, Math.round(-Math.log(1 - rng.next()) * meanGapMs));
    const before = p * Math.exp(-perSecondSigma * Math.sqrt(gap / MS.second) * rng.normal());
    const takerSide: OrderSide = p > before ? 'bid' : p < before ? 'ask' : rng.next() < 0.5 ? 'bid' : 'ask';
    trades.push({ price, volume, takerSide, at: t });
    p = before;
    t -= gap;
  }
  trades.reverse();
  const firstTradeAt = trades[0]?.at ?? a.end;
  const minuteEnd = Math.floor(firstTradeAt / MS.minute) * MS.minute;
  const minuteStart = Math.floor((a.end - shape.minuteDays * MS.day) / MS.day) * MS.day;
  const perMinute = a.tradeNotional * a.tradesPerSecond * 60;
  const minutes: HistoryBar[] = [];
  for (let start = minuteEnd - MS.minute; start >= minuteStart; start -= MS.minute) {
    const drawn = barBackwards(start, MS.minute, p, 6, a, rng, perMinute);
    minutes.push(drawn.bar);
    p = drawn.open;
  }
  minutes.reverse();
  const days: HistoryBar[] = [];
  for (let i = 1; i <= shape.dayCount; i++) {
    const drawn = barBackwards(minuteStart - i * MS.day, MS.day, p, 24, a, rng, perMinute * 1_440);
    days.push(drawn.bar);
    p = drawn.open;
  }
  days.reverse();
  return { days, minutes, trades };
}

/**
 * Volatility and trade size that make a history look like the candles being replayed: daily
 * volatility from the bars' log returns, mean KRW traded per second from volume × close.
 */
export function calibrateFromBars(
  bars: readonly { readonly close: number; readonly volume: number }[],
  barMs: number,
): { dailyVol: number; krwPerSecond: number } | undefined {
  if (bars.length < 3) return undefined;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  let krw = 0;
  for (let i = 1; i < bars.length; i++) {
    const prev = (bars[i - 1] as { close: number }).close;
    const bar = bars[i] as { close: number; volume: number };
    krw += bar.volume * bar.close;
    if (!(prev > 0 && bar.close > 0)) continue;
    const r = Math.log(bar.close / prev);
    sum += r;
    sumSq += r * r;
    n++;
  }
  if (n < 2) return undefined;
  const variance = Math.max(0, (sumSq - (sum * sum) / n) / (n - 1));
  const dailyVol = Math.sqrt(variance * (MS.day / barMs));
  const krwPerSecond = krw / ((bars.length - 1) * (barMs / MS.second));
  return Number.isFinite(dailyVol) && dailyVol > 0 && krwPerSecond > 0
    ? { dailyVol, krwPerSecond }
    : undefined;
}

/**
 * A float rounding onto the tick grid, for generating thousands of candle prices quickly: the bands of
 * the context's table become plain numbers once. Same grid as `roundToTick(…, 'nearest', ctx)`.
 */
export function numericTickRounder(ctx: TickContext): (price: number) => number {
  const overrides = ctx.asset === undefined ? undefined : ctx.table.overrides[ctx.asset];
  const source =
    ctx.tick !== undefined
      ? [{ from: 0, tick: ctx.tick }]
      : ctx.table.bands.map((b) => ({
          from: b.from.toNumber(),
          tick: overrides?.find((o) => o.from.eq(b.from))?.tick ?? b.tick,
        }));
  const bands = source.map((b) => ({
    from: b.from,
    tick: b.tick.toNumber(),
    places: b.tick.decimalPlaces(),
  }));
  return (price) => {
    const band = bands.find((b) => price >= b.from) ?? bands[bands.length - 1];
    if (band === undefined) return price;
    const rounded = Number((Math.round(price / band.tick) * band.tick).toFixed(band.places));
    return rounded > 0 ? rounded : band.tick;
  };
}
