import type { Candle, OrderbookSnapshot, Ticker, Trade } from '../domain/market/market-data';
import type { Market } from '../domain/market/market-id';
import type { Timeframe } from '../domain/market/timeframe';
import type { Decimal } from '../domain/money/decimal';
import type { Krw, Price, Volume } from '../domain/money/quantities';
import type { OrderSide, OrdType, TimeInForce } from '../domain/orders/order-types';
import type { EpochMs } from '../domain/time/epoch';
import type { Balance, VenueOrder } from './trading-venue';

/** Orderbook depths Upbit streams (`KRW-BTC.15`); anything else is sent as 30. */
export type OrderbookDepth = 1 | 5 | 15 | 30;

/**
 * What to stream. Sending a subscription replaces the previous one as a whole (Upbit semantics), so
 * callers always pass the full set they want.
 */
export interface StreamSubscription {
  readonly ticker?: readonly Market[];
  readonly trade?: readonly Market[];
  readonly orderbook?: { readonly markets: readonly Market[]; readonly depth?: OrderbookDepth };
  readonly candle?: { readonly markets: readonly Market[]; readonly timeframe: Exclude<Timeframe, '1d'> };
  /** Own order events; `true` = all markets. Needs API keys. */
  readonly myOrder?: true | readonly Market[];
  /** Own balance changes. Needs API keys. */
  readonly myAsset?: boolean;
}

/** `SNAPSHOT` = first frame per code after subscribing; `REALTIME` = a live change. */
export type StreamType = 'SNAPSHOT' | 'REALTIME';

/** Order-event states on the private stream; `trade` means a fill happened (`price`/`volume` are the fill's). */
export type MyOrderState = 'wait' | 'watch' | 'trade' | 'done' | 'cancel' | 'prevented';

/** One event about one of our orders, in exact decimals. */
export interface MyOrderEvent {
  readonly market: Market;
  readonly uuid: string;
  readonly identifier?: string;
  readonly side: OrderSide;
  readonly ordType: OrdType;
  readonly state: MyOrderState;
  /** The order's price, or the fill's price on a `trade` event. */
  readonly price?: Price;
  readonly avgPrice?: Price;
  /** The order's volume, or the fill's volume on a `trade` event. */
  readonly volume?: Volume;
  readonly remainingVolume?: Volume;
  readonly executedVolume: Volume;
  readonly executedFunds?: Krw;
  readonly tradesCount: number;
  readonly reservedFee: Krw;
  readonly remainingFee: Krw;
  readonly paidFee: Krw;
  readonly locked: Decimal;
  readonly timeInForce?: TimeInForce;
  /** Set on `trade` events: the venue's trade id, so a fill is applied once. */
  readonly tradeUuid?: string;
  readonly tradeFee?: Krw;
  readonly isMaker?: boolean;
  readonly tradeTimestamp?: EpochMs;
  readonly orderTimestamp?: EpochMs;
  readonly timestamp: EpochMs;
}

/** One currency's balance after a change, from the private stream. */
export interface AssetChange {
  readonly currency: string;
  readonly balance: Decimal;
  readonly locked: Decimal;
}

/** Which connection an event concerns: public market data or the private (keyed) one. */
export type StreamChannel = 'public' | 'private';

/** Connection states, reported so health checks and the executor know whether data is live. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * Everything the stream emits, as a discriminated union on `type`. Data events carry domain types; the
 * status events let consumers distrust their state during a gap: after a reconnect the adapter
 * fetches REST snapshots and emits `resynced`, which is the point from which state is whole again.
 */
export type MarketDataStreamEvent =
  | { readonly type: 'ticker'; readonly ticker: Ticker; readonly streamType: StreamType }
  | { readonly type: 'trade'; readonly trade: Trade; readonly streamType: StreamType }
  | { readonly type: 'orderbook'; readonly book: OrderbookSnapshot; readonly streamType: StreamType }
  | { readonly type: 'candle'; readonly candle: Candle; readonly streamType: StreamType }
  | { readonly type: 'myOrder'; readonly order: MyOrderEvent }
  | { readonly type: 'myAsset'; readonly assets: readonly AssetChange[]; readonly timestamp: EpochMs }
  | {
      readonly type: 'connection';
      readonly channel: StreamChannel;
      readonly state: ConnectionState;
      /** Why it closed, for logs. */
      readonly reason?: string;
    }
  | {
      readonly type: 'resynced';
      readonly channel: StreamChannel;
      /** When the gap began (last time the channel was known good). */
      readonly gapStartedAt: EpochMs;
      readonly at: EpochMs;
      /** Public: fresh books and tickers for the subscribed markets. */
      readonly orderbooks?: readonly OrderbookSnapshot[];
      readonly tickers?: readonly Ticker[];
      /** Private: open orders and balances, since private streams never replay missed events. */
      readonly openOrders?: readonly VenueOrder[];
      readonly balances?: readonly Balance[];
      /**
       * Public: trades the stream skipped (a gap in a market's `sequential_id`s), fetched from REST
       * `/trades/ticks`, oldest first, none of them delivered before. Apply them as if they had come live.
       */
      readonly trades?: readonly Trade[];
    }
  | {
      readonly type: 'error';
      readonly channel: StreamChannel;
      /**
       * Upbit's error name (`INVALID_AUTH`, `WRONG_FORMAT`, `TOO_MANY_REQUESTS`…) or ours (`resync_failed`,
       * `rate_limit_banned`: reconnecting waits out a 418 ban, `too_many_requests`: an upgrade got 429).
       */
      readonly code: string;
      readonly message: string;
    };

/** Receives events; must not throw (a throwing listener is logged and counted, not allowed to kill the feed). */
export type MarketDataStreamListener = (event: MarketDataStreamEvent) => void;

/** Health counters of a stream, exposed for dashboards and tests. */
export interface StreamCounters {
  readonly framesReceived: number;
  readonly eventsEmitted: number;
  /** Frames that could not be decoded (malformed JSON, wrong shape): logged and dropped. */
  readonly framesRejected: number;
  /** `{"error":…}` frames from the server. */
  readonly serverErrors: number;
  readonly reconnects: number;
  readonly resyncs: number;
  /** Trades out of sequence on the trade stream: skipped ids, repeats (dropped) and late arrivals. */
  readonly tradeGaps: number;
  readonly listenerErrors: number;
}

/**
 * Streaming market data and own-order events (Upbit WebSocket, the fake exchange, or an in-memory
 * fake). Reconnection, keep-alive and resynchronisation are the adapter's job; consumers just react
 * to events and treat `connection`/`resynced` as the boundaries of trustworthy state.
 */
export interface MarketDataStream {
  /** Replaces the whole subscription; takes effect at once if connected, else on connect. */
  subscribe(subscription: StreamSubscription): void;
  /** Adds a listener; returns the function that removes it. */
  onEvent(listener: MarketDataStreamListener): () => void;
  /** Connects (resolves when the first connection attempt has opened or failed; retries continue). */
  start(): Promise<void>;
  /** Closes connections and stops reconnecting. */
  stop(): Promise<void>;
  counters(): StreamCounters;
}
