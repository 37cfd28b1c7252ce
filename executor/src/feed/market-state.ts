import type { OrderbookSnapshot, Ticker, Trade } from '../../../shared/src/domain/market/market-data';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { baseCurrency } from '../../../shared/src/domain/market/market-id';
import { decimalFromNumber } from '../../../shared/src/domain/money/decimal';
import type { Price } from '../../../shared/src/domain/money/quantities';
import { type MarketView, withWholeWon } from '../../../shared/src/domain/risk/fat-finger';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Touch } from '../execution/pricing';

interface Latest {
  book?: OrderbookSnapshot;
  touch?: Touch;
  lastTradePrice?: Price;
  lastTradeAt?: EpochMs;
  ticker?: Ticker;
  updatedAt?: EpochMs;
  /** Local time the latest book arrived (the exchange's own timestamp can be any sim or replay time). */
  bookReceivedAt?: number;
}

/** When a book counts as stale (executor.staleBookSeconds); without it a book never does. */
export interface BookFreshness {
  readonly now: () => number;
  readonly maxBookAgeMs: number;
}

/**
 * The feed's latest facts per market: book, touch (exact best bid/ask), last trade and ticker. What
 * the risk checks, the execution plans and the equity marks read; written only by the feed.
 *
 * A book older than `freshness.maxBookAgeMs` (no update received: a stalled exchange feed, a socket
 * reconnecting) is not offered for pricing: `touch` and `view` answer as if there were no book, so
 * plans wait and the fat-finger check fails closed until the next update. Equity marks (`bestBids`)
 * and flattening prices (`books`) still use the last book: a stale mark beats no mark.
 */
export class MarketState {
  readonly #latest = new Map<Market, Latest>();

  constructor(
    readonly markets: readonly Market[],
    private readonly freshness?: BookFreshness,
  ) {
    for (const m of markets) this.#latest.set(m, {});
  }

  /** Milliseconds since the market's book last updated, or undefined before its first book. */
  bookAgeMs(market: Market): number | undefined {
    const at = this.#latest.get(market)?.bookReceivedAt;
    return at === undefined || this.freshness === undefined ? undefined : this.freshness.now() - at;
  }

  /** True when the market has had a book but none for longer than the freshness limit. */
  isStale(market: Market): boolean {
    const age = this.bookAgeMs(market);
    return age !== undefined && this.freshness !== undefined && age > this.freshness.maxBookAgeMs;
  }

  /** Markets whose book went stale (see {@link isStale}). */
  staleMarkets(): Market[] {
    return this.markets.filter((m) => this.isStale(m));
  }

  applyBook(book: OrderbookSnapshot): void {
    const l = this.#get(book.market);
    if (l === undefined) return;
    l.book = book;
    const bid = book.bids[0];
    const ask = book.asks[0];
    if (bid !== undefined && ask !== undefined)
      l.touch = { bid: decimalFromNumber(bid.price) as Price, ask: decimalFromNumber(ask.price) as Price };
    else delete l.touch;
    l.updatedAt = book.timestamp;
    if (this.freshness !== undefined) l.bookReceivedAt = this.freshness.now();
  }

  applyTrade(trade: Trade): void {
    const l = this.#get(trade.market);
    if (l === undefined) return;
    if (l.lastTradeAt !== undefined && trade.timestamp < l.lastTradeAt) return;
    l.lastTradePrice = decimalFromNumber(trade.price) as Price;
    l.lastTradeAt = trade.timestamp;
  }

  applyTicker(ticker: Ticker): void {
    const l = this.#get(ticker.market);
    if (l === undefined) return;
    l.ticker = ticker;
    if (l.lastTradeAt === undefined || ticker.timestamp >= l.lastTradeAt) {
      l.lastTradePrice = decimalFromNumber(ticker.tradePrice) as Price;
      l.lastTradeAt = ticker.timestamp;
    }
  }

  /** Exact best bid/ask for pricing; undefined without a two-sided book or when it is stale. */
  touch(market: Market): Touch | undefined {
    return this.isStale(market) ? undefined : this.#latest.get(market)?.touch;
  }

  book(market: Market): OrderbookSnapshot | undefined {
    return this.#latest.get(market)?.book;
  }

  /** What the fat-finger guards need; empty when the feed has nothing (the check then fails closed). */
  view(market: Market): MarketView {
    const l = this.#latest.get(market);
    if (l === undefined) return {};
    return withWholeWon({
      ...(l.book === undefined || this.isStale(market) ? {} : { book: l.book }),
      ...(l.lastTradePrice === undefined ? {} : { lastTradePrice: l.lastTradePrice }),
    });
  }

  /** Latest books of every market that has one (flattening prices sells from them). */
  books(): Map<Market, OrderbookSnapshot> {
    const out = new Map<Market, OrderbookSnapshot>();
    for (const [m, l] of this.#latest) if (l.book !== undefined) out.set(m, l.book);
    return out;
  }

  /** Best bid per market: what a holding is worth now (before the sell fee). */
  bestBids(): Map<Market, Price> {
    const out = new Map<Market, Price>();
    for (const [m, l] of this.#latest) if (l.touch !== undefined) out.set(m, l.touch.bid);
    return out;
  }

  /** Best bid per base currency (`BTC` → bid of KRW-BTC), the marks of `accountEquity`. */
  marks(): Map<string, Price> {
    const out = new Map<string, Price>();
    for (const [m, bid] of this.bestBids()) out.set(baseCurrency(m), bid);
    return out;
  }

  /** Markets without a two-sided book yet. */
  marketsWithoutBook(): Market[] {
    return this.markets.filter((m) => this.#latest.get(m)?.touch === undefined);
  }

  #get(market: Market): Latest | undefined {
    return this.#latest.get(market);
  }
}
