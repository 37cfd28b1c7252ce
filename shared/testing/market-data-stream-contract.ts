import type { Market } from '../src/domain/market/market-id';
import type { OrderSide } from '../src/domain/orders/order-types';
import type {
  MarketDataStream,
  MarketDataStreamEvent,
  StreamSubscription,
} from '../src/ports/market-data-stream';
import type { ContractBook } from './trading-venue-contract';

/**
 * How the suite drives a stream: by moving a market (trades, books) and breaking the connection, so
 * the same suite runs against the in-memory stream and against UpbitMarketDataStream on the fake
 * exchange over a real WebSocket. Each factory call is a fresh market listing KRW-BTC and KRW-ETH with
 * no trades, and a stream that is not started yet.
 */
export interface StreamHarness {
  readonly stream: MarketDataStream;
  /** Prints another trader's trade now. */
  printTrade(market: Market, price: string, volume: string, takerSide: OrderSide): Promise<void> | void;
  /** Replaces a market's order book. */
  setBook(market: Market, book: ContractBook): Promise<void> | void;
  /** Cuts the connection the way a network does (no close frame); the stream must heal by itself. */
  dropConnection(): Promise<void> | void;
  /** Makes the stream receive one frame it cannot decode. */
  sendMalformedFrame(): Promise<void> | void;
  /** Waits until anything already in flight has arrived, so the suite can assert that nothing came. */
  settle(): Promise<void>;
  /** Releases what the factory started. */
  dispose?(): Promise<void> | void;
}

/** Builds a fresh harness for each test. */
export type StreamHarnessFactory = () => Promise<StreamHarness> | StreamHarness;

const BTC = 'KRW-BTC' as Market;
const ETH = 'KRW-ETH' as Market;
// Not the fake harness's default book, so a stream echoing some earlier book cannot pass.
const BOOK: ContractBook = {
  bids: [
    ['99100000', '0.7'],
    ['98900000', '1.5'],
  ],
  asks: [
    ['100100000', '0.02'],
    ['100900000', '1.2'],
  ],
};
const EVERYTHING: StreamSubscription = {
  ticker: [BTC],
  trade: [BTC],
  orderbook: { markets: [BTC], depth: 5 },
  candle: { markets: [BTC], timeframe: '1m' },
};
const DATA_TYPES = ['ticker', 'trade', 'orderbook', 'candle'] as const;
type DataType = (typeof DATA_TYPES)[number];
type DataEvent = Extract<MarketDataStreamEvent, { type: DataType }>;

function marketOf(e: DataEvent): Market {
  switch (e.type) {
    case 'ticker':
      return e.ticker.market;
    case 'trade':
      return e.trade.market;
    case 'orderbook':
      return e.book.market;
    case 'candle':
      return e.candle.market;
  }
}

function isData(e: MarketDataStreamEvent): e is DataEvent {
  return (DATA_TYPES as readonly string[]).includes(e.type);
}

/**
 * The behaviour every MarketDataStream must have (PROTOCOL.md §7): one SNAPSHOT per subscribed pair,
 * then REALTIME changes as typed domain events; only what is subscribed; a new subscription replaces
 * the old one; nothing after stop; a dropped connection heals with `resynced` and live data again; an
 * undecodable frame or a throwing listener is counted and never ends the feed.
 */
export function describeMarketDataStreamContract(name: string, make: StreamHarnessFactory): void {
  describe(`MarketDataStream contract: ${name}`, () => {
    let h: StreamHarness;
    let events: MarketDataStreamEvent[];
    beforeEach(async () => {
      h = await make();
      events = [];
      h.stream.onEvent((e) => events.push(e));
      await h.setBook(BTC, BOOK);
      await h.printTrade(BTC, '100000000', '0.01', 'bid');
    });
    afterEach(async () => {
      await h.stream.stop();
      await h.dispose?.();
    });

    /** Resolves with the first event from `from` on that matches, polling (real sockets need time). */
    async function next<T extends MarketDataStreamEvent>(
      pick: (e: MarketDataStreamEvent) => e is T,
      from = 0,
      timeoutMs = 3_000,
    ): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.slice(from).find(pick);
        if (found !== undefined) return found;
        if (Date.now() > deadline)
          throw new Error(`no matching event in ${timeoutMs} ms; saw ${events.map((e) => e.type).join(',')}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    const data =
      <K extends DataType>(type: K, streamType: 'SNAPSHOT' | 'REALTIME', market = BTC) =>
      (e: MarketDataStreamEvent): e is Extract<MarketDataStreamEvent, { type: K }> =>
        e.type === type && isData(e) && e.streamType === streamType && marketOf(e) === market;
    const dataSince = (from: number) => events.slice(from).filter(isData);

    it('sends one SNAPSHOT per subscribed pair, then REALTIME changes, as typed domain values', async () => {
      h.stream.subscribe(EVERYTHING);
      await h.stream.start();
      const [ticker, trade, book, candle] = await Promise.all([
        next(data('ticker', 'SNAPSHOT')),
        next(data('trade', 'SNAPSHOT')),
        next(data('orderbook', 'SNAPSHOT')),
        next(data('candle', 'SNAPSHOT')),
      ]);
      expect(trade.trade).toMatchObject({ price: 100_000_000, volume: 0.01, takerSide: 'bid' });
      expect(typeof trade.trade.sequentialId).toBe('string');
      expect(ticker.ticker.tradePrice).toBe(100_000_000);
      expect(book.book.bids.map((l) => [l.price, l.size])).toEqual([
        [99_100_000, 0.7],
        [98_900_000, 1.5],
      ]);
      expect(book.book.asks.map((l) => l.price)).toEqual([100_100_000, 100_900_000]);
      expect(candle.candle).toMatchObject({ timeframe: '1m', close: 100_000_000 });
      expect(candle.candle.openTime % 60_000).toBe(0);

      const from = events.length;
      await h.printTrade(BTC, '100100000', '0.02', 'ask');
      const [liveTrade, liveTicker, liveCandle] = await Promise.all([
        next(data('trade', 'REALTIME'), from),
        next(data('ticker', 'REALTIME'), from),
        next(data('candle', 'REALTIME'), from),
      ]);
      expect(liveTrade.trade).toMatchObject({ price: 100_100_000, volume: 0.02, takerSide: 'ask' });
      expect(BigInt(liveTrade.trade.sequentialId)).toBeGreaterThan(BigInt(trade.trade.sequentialId));
      expect(liveTicker.ticker.tradePrice).toBe(100_100_000);
      expect(liveCandle.candle.close).toBe(100_100_000);
      await h.setBook(BTC, { bids: [['99500000', '2']], asks: [['100500000', '3']] });
      // A venue may republish the old book (a trade touched it) before the new one: wait for the new one.
      const isLiveBook = data('orderbook', 'REALTIME');
      const liveBook = await next(
        (e): e is Extract<MarketDataStreamEvent, { type: 'orderbook' }> =>
          isLiveBook(e) && e.book.bids[0]?.price === 99_500_000,
        from,
      );
      expect(liveBook.book.bids).toEqual([{ price: 99_500_000, size: 2 }]);
      expect(liveBook.book.asks).toEqual([{ price: 100_500_000, size: 3 }]);
    });

    it('delivers only the subscribed markets and types', async () => {
      await h.printTrade(ETH, '5000000', '1', 'bid');
      h.stream.subscribe({ trade: [ETH] });
      await h.stream.start();
      await next(data('trade', 'SNAPSHOT', ETH));
      await h.printTrade(BTC, '100200000', '0.01', 'bid');
      await h.printTrade(ETH, '5001000', '1', 'ask');
      await next(data('trade', 'REALTIME', ETH));
      await h.settle();
      expect(dataSince(0).every((e) => e.type === 'trade' && e.trade.market === ETH)).toBe(true);
    });

    it('replaces the subscription as a whole; an empty one stops delivery', async () => {
      h.stream.subscribe({ trade: [BTC] });
      await h.stream.start();
      await next(data('trade', 'SNAPSHOT'));
      await h.printTrade(ETH, '5000000', '1', 'bid');
      const switched = events.length;
      h.stream.subscribe({ trade: [ETH] });
      await next(data('trade', 'SNAPSHOT', ETH), switched);
      await h.printTrade(BTC, '100300000', '0.01', 'bid');
      await h.settle();
      expect(dataSince(switched).some((e) => marketOf(e) === BTC)).toBe(false);

      h.stream.subscribe({});
      await h.settle();
      const emptied = events.length;
      await h.printTrade(ETH, '5002000', '1', 'bid');
      await h.settle();
      expect(dataSince(emptied)).toEqual([]);
    });

    it('closes on stop and delivers nothing after it', async () => {
      h.stream.subscribe({ trade: [BTC] });
      await h.stream.start();
      await next(data('trade', 'SNAPSHOT'));
      await h.stream.stop();
      await next((e): e is MarketDataStreamEvent => e.type === 'connection' && e.state === 'closed');
      const stopped = events.length;
      await h.printTrade(BTC, '100400000', '0.01', 'bid');
      await h.settle();
      expect(dataSince(stopped)).toEqual([]);
    });

    it('heals a dropped connection: reconnects, resubscribes, resyncs from REST, then streams again', async () => {
      h.stream.subscribe({ ticker: [BTC], trade: [BTC], orderbook: { markets: [BTC] } });
      await h.stream.start();
      await next(data('orderbook', 'SNAPSHOT'));
      const before = events.length;
      await h.dropConnection();
      await next((e): e is MarketDataStreamEvent => e.type === 'connection' && e.state === 'closed', before);
      const resynced = await next(
        (e): e is Extract<MarketDataStreamEvent, { type: 'resynced' }> =>
          e.type === 'resynced' && e.channel === 'public' && e.orderbooks !== undefined,
        before,
      );
      expect(resynced.orderbooks?.map((b) => [b.market, b.bids[0]?.price])).toEqual([[BTC, 99_100_000]]);
      expect(resynced.tickers?.map((t) => [t.market, t.tradePrice])).toEqual([[BTC, 100_000_000]]);
      expect(resynced.at).toBeGreaterThanOrEqual(resynced.gapStartedAt);
      const healed = events.length;
      await h.printTrade(BTC, '100500000', '0.03', 'ask');
      const live = await next(data('trade', 'REALTIME'), healed);
      expect(live.trade.price).toBe(100_500_000);
      expect(h.stream.counters().reconnects).toBeGreaterThanOrEqual(1);
      expect(h.stream.counters().resyncs).toBeGreaterThanOrEqual(1);
    });

    it('counts an undecodable frame, delivers nothing for it and keeps streaming', async () => {
      h.stream.subscribe({ trade: [BTC] });
      await h.stream.start();
      await next(data('trade', 'SNAPSHOT'));
      const before = h.stream.counters();
      const from = events.length;
      await h.sendMalformedFrame();
      await h.settle();
      expect(h.stream.counters().framesRejected).toBe(before.framesRejected + 1);
      expect(events.slice(from)).toEqual([]);
      await h.printTrade(BTC, '100600000', '0.01', 'bid');
      await next(data('trade', 'REALTIME'), from);
    });

    it('counts a throwing listener and still serves the others', async () => {
      const unsubscribe = h.stream.onEvent(() => {
        throw new Error('listener bug');
      });
      h.stream.subscribe({ trade: [BTC] });
      await h.stream.start();
      await next(data('trade', 'SNAPSHOT'));
      expect(h.stream.counters().listenerErrors).toBeGreaterThanOrEqual(1);
      unsubscribe();
      const errors = h.stream.counters().listenerErrors;
      await h.printTrade(BTC, '100700000', '0.01', 'bid');
      await next(data('trade', 'REALTIME'));
      expect(h.stream.counters().listenerErrors).toBe(errors);
    });
  });
}
