import { TradingError } from '../../domain/errors/trading-error';
import type { Candle, OrderbookSnapshot, Ticker, Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { bucketStart, TIMEFRAMES, type Timeframe } from '../../domain/market/timeframe';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { Clock } from '../../ports/clock';
import type { CandleQuery, MarketDataSource } from '../../ports/market-data-source';

/** Set-up of the in-memory source. */
export interface MemoryMarketDataSourceOptions {
  /** Listed markets; queries for others fail like Upbit's 404 `Code not found`. */
  readonly markets: readonly Market[];
  /** "Now" for tickers (timestamp and the 24 h window). */
  readonly clock: Clock;
}

/** Upbit's page size for one candle request. */
const MAX_CANDLES_PER_CALL = 200;
/** Upbit shows at most 30 levels per side. */
const BOOK_DEPTH = 30;

interface MarketData {
  readonly candles: Map<Timeframe, Candle[]>;
  readonly trades: Trade[];
  book: OrderbookSnapshot | undefined;
  ticker: Ticker | undefined;
}

function checkCount(count: number, max: number, what: string): void {
  if (!Number.isInteger(count) || count < 1 || count > max)
    throw new RangeError(`${what} count must be an integer 1–${max}, got ${count}`);
}

/** Index of the first candle whose bucket starts at or after `at` (list sorted by openTime). */
function firstAtOrAfter(list: readonly Candle[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as Candle).openTime < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The candle of `tf` after adding one trade to `current` (or a new candle when it is undefined). */
function withTrade(current: Candle | undefined, t: Trade, tf: Timeframe, start: number): Candle {
  if (current === undefined)
    return {
      market: t.market,
      timeframe: tf,
      openTime: start as EpochMs,
      open: t.price,
      high: t.price,
      low: t.price,
      close: t.price,
      volume: t.volume,
      quoteVolume: t.price * t.volume,
    };
  return {
    ...current,
    high: Math.max(current.high, t.price),
    low: Math.min(current.low, t.price),
    close: t.price,
    volume: current.volume + t.volume,
    quoteVolume: current.quoteVolume + t.price * t.volume,
  };
}

/**
 * MarketDataSource over data the caller loads: recorded or synthetic candles ({@link loadCandles}),
 * public trades ({@link recordTrade}, which also builds every timeframe's candle and the ticker the way
 * Upbit does: a candle exists only if a trade happened in it), books and explicit tickers. Answers
 * follow the port (oldest first) and Upbit's limits (1–200 candles per call, 30 book levels), so code
 * tested against it behaves the same against the Quotation API.
 */
export class MemoryMarketDataSource implements MarketDataSource {
  readonly #clock: Clock;
  readonly #markets = new Map<string, MarketData>();

  constructor(options: MemoryMarketDataSourceOptions) {
    this.#clock = options.clock;
    for (const m of options.markets)
      this.#markets.set(m, { candles: new Map(), trades: [], book: undefined, ticker: undefined });
  }

  /** Adds candles (any order, any timeframes); a candle with the same market, timeframe and start replaces the old one. */
  loadCandles(candles: Iterable<Candle>): void {
    for (const c of candles) {
      const list = this.#candleList(this.#require(c.market), c.timeframe);
      const i = firstAtOrAfter(list, c.openTime);
      if (list[i]?.openTime === c.openTime) list[i] = c;
      else list.splice(i, 0, c);
    }
  }

  /**
   * Records a public trade and folds it into the candles of every timeframe. Trades must come in time
   * order; one older than a timeframe's newest candle is kept in the trade list but not in that candle,
   * as the exchange never rewrites a closed candle.
   */
  recordTrade(trade: Trade): void {
    const data = this.#require(trade.market);
    const last = data.trades[data.trades.length - 1];
    if (last !== undefined && trade.timestamp < last.timestamp)
      throw new RangeError(`trades must be recorded in time order: ${trade.timestamp} < ${last.timestamp}`);
    data.trades.push(trade);
    for (const tf of TIMEFRAMES) {
      const list = this.#candleList(data, tf);
      const start = bucketStart(trade.timestamp, tf);
      const cur = list[list.length - 1];
      if (cur !== undefined && cur.openTime === start)
        list[list.length - 1] = withTrade(cur, trade, tf, start);
      else if (cur === undefined || cur.openTime < start) list.push(withTrade(undefined, trade, tf, start));
    }
  }

  /** Replaces the book of a market (Upbit always sends whole books). */
  setOrderbook(snapshot: OrderbookSnapshot): void {
    this.#require(snapshot.market).book = snapshot;
  }

  /** Pins the ticker of a market; without one it is derived from the recorded trades. */
  setTicker(ticker: Ticker): void {
    this.#require(ticker.market).ticker = ticker;
  }

  async getCandles(query: CandleQuery): Promise<Candle[]> {
    checkCount(query.count, MAX_CANDLES_PER_CALL, 'candle');
    const list = this.#require(query.market).candles.get(query.timeframe) ?? [];
    const end = query.to === undefined ? list.length : firstAtOrAfter(list, query.to);
    return list.slice(Math.max(0, end - query.count), end);
  }

  async getRecentTrades(market: Market, count: number): Promise<Trade[]> {
    checkCount(count, Number.MAX_SAFE_INTEGER, 'trade');
    const trades = this.#require(market).trades;
    return trades.slice(Math.max(0, trades.length - count));
  }

  async getOrderbooks(markets: readonly Market[]): Promise<OrderbookSnapshot[]> {
    const out: OrderbookSnapshot[] = [];
    for (const m of markets) {
      const book = this.#require(m).book;
      if (book !== undefined)
        out.push({ ...book, asks: book.asks.slice(0, BOOK_DEPTH), bids: book.bids.slice(0, BOOK_DEPTH) });
    }
    return out;
  }

  async getTickers(markets: readonly Market[]): Promise<Ticker[]> {
    const out: Ticker[] = [];
    for (const m of markets) {
      const data = this.#require(m);
      const ticker = data.ticker ?? this.#derivedTicker(m, data.trades);
      if (ticker !== undefined) out.push(ticker);
    }
    return out;
  }

  /** Ticker as Upbit computes it: the UTC day of the last trade, previous close, rolling 24 h totals. */
  #derivedTicker(market: Market, trades: readonly Trade[]): Ticker | undefined {
    const last = trades[trades.length - 1];
    if (last === undefined) return undefined;
    const now = this.#clock.now();
    const dayStart = bucketStart(last.timestamp, '1d');
    let open: number | undefined;
    let high = last.price;
    let low = last.price;
    let prevClose: number | undefined;
    let volume24h = 0;
    let price24h = 0;
    for (const t of trades) {
      if (t.timestamp < dayStart) prevClose = t.price;
      else {
        open ??= t.price;
        high = Math.max(high, t.price);
        low = Math.min(low, t.price);
      }
      if (t.timestamp >= now - MS.day) {
        volume24h += t.volume;
        price24h += t.price * t.volume;
      }
    }
    return {
      market,
      timestamp: now,
      tradePrice: last.price,
      openingPrice: open ?? last.price,
      highPrice: high,
      lowPrice: low,
      prevClosingPrice: prevClose ?? open ?? last.price,
      accTradeVolume24h: volume24h,
      accTradePrice24h: price24h,
    };
  }

  #candleList(data: MarketData, tf: Timeframe): Candle[] {
    let list = data.candles.get(tf);
    if (list === undefined) {
      list = [];
      data.candles.set(tf, list);
    }
    return list;
  }

  #require(market: string): MarketData {
    const data = this.#markets.get(market);
    if (data === undefined)
      throw new TradingError(
        'rejected',
        `market ${market} is not listed in this data source (Code not found)`,
        {
          code: '404',
          status: 404,
        },
      );
    return data;
  }
}
