import type { OrderbookSnapshot, Ticker } from '../../../domain/market/market-data';
import type { MarketDataSource } from '../../../ports/market-data-source';
import type { StreamChannel, StreamSubscription } from '../../../ports/market-data-stream';
import type { Balance, TradingVenue, VenueOrder } from '../../../ports/trading-venue';

/** What a `resynced` event carries besides its times: fresh REST state of the channel's subscription. */
export interface ResyncPayload {
  readonly orderbooks?: readonly OrderbookSnapshot[];
  readonly tickers?: readonly Ticker[];
  readonly openOrders?: readonly VenueOrder[];
  readonly balances?: readonly Balance[];
}

/** The REST side the resync reads from; either may be missing (then that part is left out). */
export interface ResyncSources {
  readonly marketData?: MarketDataSource;
  readonly venue?: TradingVenue;
}

function present<K extends keyof ResyncPayload>(key: K, value: ResyncPayload[K] | undefined): ResyncPayload {
  return value === undefined ? {} : { [key]: value };
}

/**
 * Fetches what a channel may have missed while its socket was down, because Upbit never replays:
 * books and tickers of the subscribed markets (public), open orders and balances (private). Throws
 * when REST fails; the caller reports that as `resync_failed`.
 */
export async function fetchResync(
  channel: StreamChannel,
  subscription: StreamSubscription,
  { marketData, venue }: ResyncSources,
): Promise<ResyncPayload> {
  if (channel === 'public') {
    const bookMarkets = subscription.orderbook?.markets ?? [];
    const tickerMarkets = subscription.ticker ?? [];
    const [orderbooks, tickers] = await Promise.all([
      bookMarkets.length > 0 ? marketData?.getOrderbooks(bookMarkets) : undefined,
      tickerMarkets.length > 0 ? marketData?.getTickers(tickerMarkets) : undefined,
    ]);
    return { ...present('orderbooks', orderbooks), ...present('tickers', tickers) };
  }
  const [openOrders, balances] = await Promise.all([venue?.listOpenOrders(), venue?.getBalances()]);
  return { ...present('openOrders', openOrders), ...present('balances', balances) };
}
