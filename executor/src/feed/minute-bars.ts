import type { Candle, Trade } from '../../../shared/src/domain/market/market-data';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { type EpochMs, MS } from '../../../shared/src/domain/time/epoch';

interface Building {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
}

/** Trades older than this behind the newest minute are too late to change a candle (REST backfill covers gaps). */
const KEEP_MINUTES = 3;

/**
 * 1-minute candles of one market built from the trade tape, Upbit style: a minute without trades has
 * no candle, open/close are the first/last trade in arrival order, volume and KRW value summed
 * (float64: candles never price orders). Minutes stay open a little so late trades still count;
 * {@link takeClosed} hands out the minutes that ended before a given instant, once.
 */
export class MinuteBars {
  readonly #minutes = new Map<number, Building>();
  #newest = Number.NEGATIVE_INFINITY;
  #late = 0;

  constructor(readonly market: Market) {}

  add(trade: Trade): void {
    const minute = Math.floor(trade.timestamp / MS.minute) * MS.minute;
    if (minute < this.#newest - KEEP_MINUTES * MS.minute) {
      this.#late += 1;
      return;
    }
    this.#newest = Math.max(this.#newest, minute);
    const b = this.#minutes.get(minute);
    const value = trade.price * trade.volume;
    if (b === undefined) {
      this.#minutes.set(minute, {
        open: trade.price,
        high: trade.price,
        low: trade.price,
        close: trade.price,
        volume: trade.volume,
        quoteVolume: value,
      });
      return;
    }
    if (trade.price > b.high) b.high = trade.price;
    if (trade.price < b.low) b.low = trade.price;
    b.close = trade.price;
    b.volume += trade.volume;
    b.quoteVolume += value;
  }

  /** Closed candles of minutes ending at or before `before`, oldest first, removed from the builder. */
  takeClosed(before: EpochMs): Candle[] {
    const out: Candle[] = [];
    for (const [minute, b] of [...this.#minutes].sort((x, y) => x[0] - y[0])) {
      if (minute + MS.minute > before) break;
      this.#minutes.delete(minute);
      out.push({ market: this.market, timeframe: '1m', openTime: minute as EpochMs, ...b });
    }
    return out;
  }

  /** Trades that arrived after their minute was given out. */
  get lateTrades(): number {
    return this.#late;
  }
}
