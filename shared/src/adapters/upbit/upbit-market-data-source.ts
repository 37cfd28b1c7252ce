import type { Candle, OrderbookSnapshot, Ticker, Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { CandleQuery, MarketDataSource } from '../../ports/market-data-source';
import type { UpbitQuotationApi } from './rest/upbit-quotation-api';

const TRADES_PER_PAGE = 500;

/**
 * Upbit Quotation REST behind the MarketDataSource port. Upbit answers newest first; the port
 * promises oldest first, so pages are reversed here and nowhere else.
 */
export class UpbitMarketDataSource implements MarketDataSource {
  constructor(private readonly api: UpbitQuotationApi) {}

  async getCandles(query: CandleQuery): Promise<Candle[]> {
    const page = await this.api.getCandles(query.market, query.timeframe, query.count, query.to);
    return page.reverse();
  }

  async getRecentTrades(market: Market, count: number): Promise<Trade[]> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`trade count must be ≥ 1, got ${count}`);
    const newestFirst: Trade[] = [];
    let cursor: string | undefined;
    while (newestFirst.length < count) {
      const want = Math.min(TRADES_PER_PAGE, count - newestFirst.length);
      const page = await this.api.getTrades(market, want, cursor);
      newestFirst.push(...page);
      const last = page[page.length - 1];
      if (page.length < want || last === undefined) break;
      cursor = last.sequentialId;
    }
    return newestFirst.reverse();
  }

  getOrderbooks(markets: readonly Market[]): Promise<OrderbookSnapshot[]> {
    return this.api.getOrderbooks(markets);
  }

  getTickers(markets: readonly Market[]): Promise<Ticker[]> {
    return this.api.getTickers(markets);
  }
}
