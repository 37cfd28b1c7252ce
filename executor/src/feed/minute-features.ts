import { ofiEvent, TickRule, type TopOfBookLevels, VolumeClock } from '../../../shared/src/domain/indicators';
import type { OrderbookSnapshot, Trade } from '../../../shared/src/domain/market/market-data';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { type EpochMs, MS } from '../../../shared/src/domain/time/epoch';
import type { MicrostructureFeatures } from '../../../shared/src/ports/market-data-store';

/**
 * Names of the per-minute microstructure features the executor writes (MarketDataStore keeps
 * whatever names it gets; these are the contract with the analysis). Values are float64 and omitted
 * when the minute had no data for them (never NaN):
 * - `ofi`: Cont–Kukanov–Stoikov order-flow imbalance of the minute's book updates, Σeₙ / Σ|eₙ| ∈ [−1, 1];
 * - `ofiSum`: Σeₙ in base-currency units; `bookUpdates`: books received;
 * - `spreadBps`, `depthImbalance` ((bid − ask depth) / total over the 15 levels): of the minute's last book;
 * - `trades`, `buyVolume`, `sellVolume`: taker-side volumes from Upbit's aggressor flag;
 * - `tickUp`, `tickDown`: tick-rule (Lee–Ready) classified trade counts;
 * - `volumeBars`: volume-clock bars (strategies.microstructure.params.volumeBarKrw each) completed in
 *   the minute; `volumeBarBuyShare`: tick-rule buy share of their volume.
 */
export const FEATURE_NAMES = [
  'ofi',
  'ofiSum',
  'bookUpdates',
  'spreadBps',
  'depthImbalance',
  'trades',
  'buyVolume',
  'sellVolume',
  'tickUp',
  'tickDown',
  'volumeBars',
  'volumeBarBuyShare',
] as const;

interface Minute {
  ofiSum: number;
  ofiAbs: number;
  bookUpdates: number;
  spreadBps?: number;
  depthImbalance?: number;
  trades: number;
  buyVolume: number;
  sellVolume: number;
  tickUp: number;
  tickDown: number;
  volumeBars: number;
  barVolume: number;
  barBuyVolume: number;
}

function emptyMinute(): Minute {
  return {
    ofiSum: 0,
    ofiAbs: 0,
    bookUpdates: 0,
    trades: 0,
    buyVolume: 0,
    sellVolume: 0,
    tickUp: 0,
    tickDown: 0,
    volumeBars: 0,
    barVolume: 0,
    barBuyVolume: 0,
  };
}

function topOf(book: OrderbookSnapshot): TopOfBookLevels | undefined {
  const bid = book.bids[0];
  const ask = book.asks[0];
  if (bid === undefined || ask === undefined) return undefined;
  return { bidPrice: bid.price, bidSize: bid.size, askPrice: ask.price, askSize: ask.size };
}

/**
 * Microstructure features of one market per minute, computed live from every book and trade of the
 * feed with the shared streaming indicators (OFI events, tick rule, volume clock). Minutes are bucketed
 * by arrival time of the data (book and trade timestamps); {@link takeClosed} hands them out once.
 */
export class MinuteFeatures {
  readonly #minutes = new Map<number, Minute>();
  readonly #tick = new TickRule();
  readonly #clock: VolumeClock;
  #prevTop: TopOfBookLevels | undefined;

  constructor(
    readonly market: Market,
    volumeBarKrw: number,
  ) {
    this.#clock = new VolumeClock(volumeBarKrw);
  }

  onBook(book: OrderbookSnapshot): void {
    const top = topOf(book);
    if (top === undefined) return;
    const m = this.#minute(book.timestamp);
    if (this.#prevTop !== undefined) {
      const e = ofiEvent(this.#prevTop, top);
      m.ofiSum += e;
      m.ofiAbs += Math.abs(e);
    }
    this.#prevTop = top;
    m.bookUpdates += 1;
    const mid = (top.bidPrice + top.askPrice) / 2;
    if (mid > 0) m.spreadBps = ((top.askPrice - top.bidPrice) / mid) * 10_000;
    let bidDepth = 0;
    let askDepth = 0;
    for (const l of book.bids) bidDepth += l.size;
    for (const l of book.asks) askDepth += l.size;
    if (bidDepth + askDepth > 0) m.depthImbalance = (bidDepth - askDepth) / (bidDepth + askDepth);
  }

  onTrade(trade: Trade): void {
    const m = this.#minute(trade.timestamp);
    m.trades += 1;
    if (trade.takerSide === 'bid') m.buyVolume += trade.volume;
    else m.sellVolume += trade.volume;
    const sign = this.#tick.update(trade.price);
    if (sign > 0) m.tickUp += 1;
    if (sign < 0) m.tickDown += 1;
    const buy = sign > 0 ? trade.volume : sign < 0 ? 0 : trade.volume / 2;
    if (this.#clock.addTrade(trade.price, trade.volume, buy)) {
      const bar = this.#clock.lastBar;
      if (bar !== undefined) {
        m.volumeBars += 1;
        m.barVolume += bar.volume;
        m.barBuyVolume += Number.isNaN(bar.buyVolume) ? 0 : bar.buyVolume;
      }
    }
  }

  /** Features of the minutes that ended at or before `before`, oldest first, removed. */
  takeClosed(before: EpochMs): MicrostructureFeatures[] {
    const out: MicrostructureFeatures[] = [];
    for (const [minute, m] of [...this.#minutes].sort((x, y) => x[0] - y[0])) {
      if (minute + MS.minute > before) break;
      this.#minutes.delete(minute);
      const values: Record<string, number> = {
        ofiSum: m.ofiSum,
        bookUpdates: m.bookUpdates,
        trades: m.trades,
        buyVolume: m.buyVolume,
        sellVolume: m.sellVolume,
        tickUp: m.tickUp,
        tickDown: m.tickDown,
        volumeBars: m.volumeBars,
      };
      if (m.ofiAbs > 0) values.ofi = m.ofiSum / m.ofiAbs;
      else if (m.bookUpdates > 1) values.ofi = 0;
      if (m.spreadBps !== undefined) values.spreadBps = m.spreadBps;
      if (m.depthImbalance !== undefined) values.depthImbalance = m.depthImbalance;
      if (m.barVolume > 0) values.volumeBarBuyShare = m.barBuyVolume / m.barVolume;
      out.push({ market: this.market, minute: minute as EpochMs, values });
    }
    return out;
  }

  #minute(at: number): Minute {
    const minute = Math.floor(at / MS.minute) * MS.minute;
    let m = this.#minutes.get(minute);
    if (m === undefined) {
      m = emptyMinute();
      this.#minutes.set(minute, m);
      // Bound memory if a clock runs wild: keep the latest few minutes only.
      if (this.#minutes.size > 5) {
        const oldest = Math.min(...this.#minutes.keys());
        this.#minutes.delete(oldest);
      }
    }
    return m;
  }
}
