import { TIMEFRAME_MS } from '../market/timeframe';
import type { OrderSide } from '../orders/order-types';
import { MS } from '../time/epoch';
import type { HistoryBar } from './seeded-history';

/**
 * Candle units Upbit serves: the system's timeframes plus the 10 and 30 minute units the REST API
 * also has (UTC-aligned).
 */
export const CANDLE_UNITS = {
  ...TIMEFRAME_MS,
  '10m': 10 * MS.minute,
  '30m': 30 * MS.minute,
} as const;
/** One of {@link CANDLE_UNITS}. */
export type CandleUnit = keyof typeof CANDLE_UNITS;

/** A candle built from trades. Float64 like every candle in the project (never on the order path). */
export interface TapeCandle {
  readonly start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
  /** Time of the last trade in the candle (Upbit's `timestamp`). */
  lastTradeAt: number;
  /** Close of the previous candle of the same unit (day candles report it). */
  readonly prevClose: number;
}

/** One printed trade as the tape keeps it. */
export interface TapeTrade {
  readonly price: number;
  readonly volume: number;
  readonly takerSide: OrderSide;
  readonly at: number;
  readonly sequentialId: number;
  /** Close of the previous UTC day when the trade printed. */
  readonly prevClose: number;
}

/** Ticker facts (PROTOCOL.md §5.1), relative to the UTC day like Upbit's. */
export interface TapeTicker {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly last: number;
  readonly prevClose: number;
  readonly lastVolume: number;
  readonly lastTakerSide: OrderSide;
  readonly lastTradeAt: number;
  readonly accVolume: number;
  readonly accPrice: number;
  readonly accVolume24h: number;
  readonly accPrice24h: number;
  readonly accAskVolume: number;
  readonly accBidVolume: number;
  readonly high52w: number;
  readonly high52wAt: number;
  readonly low52w: number;
  readonly low52wAt: number;
}

const UNITS = Object.keys(CANDLE_UNITS) as CandleUnit[];

/** Minute bars merged into bars of `len` ms (UTC-aligned), as a tape would have built them. */
function aggregate(minutes: readonly HistoryBar[], len: number): HistoryBar[] {
  if (len === MS.minute) return [...minutes];
  const out: HistoryBar[] = [];
  let cur: { -readonly [K in keyof HistoryBar]: HistoryBar[K] } | undefined;
  for (const m of minutes) {
    const start = Math.floor(m.start / len) * len;
    if (cur !== undefined && cur.start === start) {
      if (m.high > cur.high) cur.high = m.high;
      if (m.low < cur.low) cur.low = m.low;
      cur.close = m.close;
      cur.volume += m.volume;
      cur.quoteVolume += m.quoteVolume;
      cur.lastTradeAt = m.lastTradeAt;
      continue;
    }
    if (cur !== undefined) out.push(cur);
    cur = { ...m, start };
  }
  if (cur !== undefined) out.push(cur);
  return out;
}

/**
 * Trades, candles and ticker of one market, built only from printed trades: a candle exists only if a
 * trade happened in its interval (Upbit never synthesises empty candles). Bounded memory: old trades and
 * candles are dropped beyond the configured limits.
 */
export class MarketTape {
  private readonly trades: TapeTrade[] = [];
  private readonly candles = new Map<CandleUnit, TapeCandle[]>();
  private acc = { day: -1, askVolume: 0, bidVolume: 0 };
  private extremes = { high: 0, highAt: 0, low: Number.POSITIVE_INFINITY, lowAt: 0 };
  private last: TapeTrade | undefined = undefined;

  constructor(
    private readonly maxTrades = 2000,
    private readonly maxCandles = 12_000,
  ) {
    for (const u of UNITS) this.candles.set(u, []);
  }

  /**
   * Fills an empty tape with history (oldest first): day candles before the minute range, then minute
   * candles, from which every longer minute unit and the days they cover are aggregated the way live
   * trades would have built them. Trades after the last minute are then {@link record}ed as usual.
   */
  seed(days: readonly HistoryBar[], minutes: readonly HistoryBar[]): void {
    for (const u of UNITS) {
      if (u === '1s') continue;
      const list = this.candles.get(u) as TapeCandle[];
      list.length = 0;
      const source =
        u === '1d' ? [...days, ...aggregate(minutes, MS.day)] : aggregate(minutes, CANDLE_UNITS[u]);
      let prev: number | undefined;
      for (const bar of source.slice(-this.maxCandles)) {
        list.push({ ...bar, prevClose: prev ?? bar.open });
        prev = bar.close;
      }
    }
    for (const bar of [...days, ...minutes]) {
      if (bar.high > this.extremes.high)
        this.extremes = { ...this.extremes, high: bar.high, highAt: bar.start };
      if (bar.low < this.extremes.low) this.extremes = { ...this.extremes, low: bar.low, lowAt: bar.start };
    }
    const today = this.latestCandle('1d');
    if (today !== undefined)
      this.acc = { day: today.start, askVolume: today.volume / 2, bidVolume: today.volume / 2 };
  }

  /** Records a trade (must not be older than the newest candle's start of each unit). */
  record(price: number, volume: number, takerSide: OrderSide, at: number, sequentialId: number): TapeTrade {
    const dayList = this.candles.get('1d') as TapeCandle[];
    const day = dayList[dayList.length - 1];
    const dayStart = Math.floor(at / MS.day) * MS.day;
    const prevClose = day === undefined ? price : day.start === dayStart ? day.prevClose : day.close;
    const trade: TapeTrade = { price, volume, takerSide, at, sequentialId, prevClose };
    this.trades.push(trade);
    if (this.trades.length > this.maxTrades) this.trades.splice(0, this.trades.length - this.maxTrades);
    for (const u of UNITS) this.addToCandle(u, trade);
    if (this.acc.day !== dayStart) this.acc = { day: dayStart, askVolume: 0, bidVolume: 0 };
    if (takerSide === 'ask') this.acc.askVolume += volume;
    else this.acc.bidVolume += volume;
    if (price > this.extremes.high) this.extremes = { ...this.extremes, high: price, highAt: at };
    if (price < this.extremes.low) this.extremes = { ...this.extremes, low: price, lowAt: at };
    this.last = trade;
    return trade;
  }

  private addToCandle(unit: CandleUnit, t: TapeTrade): void {
    const list = this.candles.get(unit) as TapeCandle[];
    const len = CANDLE_UNITS[unit];
    const start = Math.floor(t.at / len) * len;
    const cur = list[list.length - 1];
    if (cur !== undefined && cur.start === start) {
      if (t.price > cur.high) cur.high = t.price;
      if (t.price < cur.low) cur.low = t.price;
      cur.close = t.price;
      cur.volume += t.volume;
      cur.quoteVolume += t.price * t.volume;
      cur.lastTradeAt = t.at;
      return;
    }
    if (cur !== undefined && start < cur.start) return; // late trade: keep candles monotonic
    list.push({
      start,
      open: t.price,
      high: t.price,
      low: t.price,
      close: t.price,
      volume: t.volume,
      quoteVolume: t.price * t.volume,
      lastTradeAt: t.at,
      prevClose: cur?.close ?? t.price,
    });
    if (list.length > this.maxCandles) list.splice(0, list.length - this.maxCandles);
  }

  /** Up to `count` candles starting strictly before `to` (all when omitted), newest first like Upbit. */
  candlesBefore(unit: CandleUnit, count: number, to?: number): TapeCandle[] {
    const list = this.candles.get(unit) as TapeCandle[];
    let end = list.length;
    if (to !== undefined) {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((list[mid] as TapeCandle).start < to) lo = mid + 1;
        else hi = mid;
      }
      end = lo;
    }
    const out: TapeCandle[] = [];
    for (let i = end - 1; i >= 0 && out.length < count; i--) out.push(list[i] as TapeCandle);
    return out;
  }

  /** The newest candle of a unit (for WebSocket candle frames). */
  latestCandle(unit: CandleUnit): TapeCandle | undefined {
    const list = this.candles.get(unit) as TapeCandle[];
    return list[list.length - 1];
  }

  /** Up to `count` most recent trades, newest first; `beforeSeq` continues from a cursor. */
  recentTrades(count: number, beforeSeq?: number): TapeTrade[] {
    const out: TapeTrade[] = [];
    for (let i = this.trades.length - 1; i >= 0 && out.length < count; i--) {
      const t = this.trades[i] as TapeTrade;
      if (beforeSeq === undefined || t.sequentialId < beforeSeq) out.push(t);
    }
    return out;
  }

  /** The newest trade, if any. */
  lastTrade(): TapeTrade | undefined {
    return this.last;
  }

  /** Ticker as of `now`; undefined before the first trade. */
  ticker(now: number): TapeTicker | undefined {
    const last = this.last;
    if (last === undefined) return undefined;
    const day = this.latestCandle('1d') as TapeCandle;
    let v24 = 0;
    let p24 = 0;
    const minutes = this.candles.get('1m') as TapeCandle[];
    for (let i = minutes.length - 1; i >= 0; i--) {
      const c = minutes[i] as TapeCandle;
      if (c.start < now - MS.day) break;
      v24 += c.volume;
      p24 += c.quoteVolume;
    }
    return {
      open: day.open,
      high: day.high,
      low: day.low,
      last: last.price,
      prevClose: day.prevClose,
      lastVolume: last.volume,
      lastTakerSide: last.takerSide,
      lastTradeAt: last.at,
      accVolume: day.volume,
      accPrice: day.quoteVolume,
      accVolume24h: v24,
      accPrice24h: p24,
      accAskVolume: this.acc.askVolume,
      accBidVolume: this.acc.bidVolume,
      high52w: this.extremes.high,
      high52wAt: this.extremes.highAt,
      low52w: this.extremes.low,
      low52wAt: this.extremes.lowAt,
    };
  }
}
