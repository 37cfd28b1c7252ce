import type { OrderbookSnapshot, Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { EpochMs } from '../../domain/time/epoch';
import type {
  MarketDataStream,
  MarketDataStreamEvent,
  MarketDataStreamListener,
  StreamCounters,
  StreamSubscription,
  StreamType,
} from '../../ports/market-data-stream';
import type { MemoryMarketDataSource } from './memory-market-data-source';

/**
 * In-memory MarketDataStream for tests and backtests. Raw events can be pushed with {@link emit}; given
 * a market (the {@link MemoryMarketDataSource} that plays Upbit's REST side, which builds candles and
 * tickers from trades) it also has Upbit's stream semantics: a SNAPSHOT per subscribed pair on
 * (re)subscribe, REALTIME events for {@link printTrade} and {@link setBook}, nothing for pairs not
 * subscribed, and a reconnect with a REST `resynced` on {@link drop}. Events are delivered in order
 * but asynchronously, like a socket's; {@link settled} waits for them. A throwing listener is counted
 * and never stops delivery to the others, as in the real adapter.
 */
export class MemoryMarketDataStream implements MarketDataStream {
  readonly #listeners = new Set<MarketDataStreamListener>();
  readonly #market: MemoryMarketDataSource | undefined;
  #subscription: StreamSubscription = {};
  #running = false;
  #queue: Promise<void> = Promise.resolve();
  #counters = {
    framesReceived: 0,
    eventsEmitted: 0,
    framesRejected: 0,
    serverErrors: 0,
    reconnects: 0,
    resyncs: 0,
    listenerErrors: 0,
    tradeGaps: 0,
  };
  /** Every subscription sent, oldest first. */
  readonly subscriptions: StreamSubscription[] = [];

  constructor(market?: MemoryMarketDataSource) {
    this.#market = market;
  }

  subscribe(subscription: StreamSubscription): void {
    this.#subscription = subscription;
    this.subscriptions.push(subscription);
    if (this.#running) this.#later(() => this.#snapshots());
  }

  /** The subscription in force. */
  get subscription(): StreamSubscription {
    return this.#subscription;
  }

  /** True between start() and stop(). */
  get running(): boolean {
    return this.#running;
  }

  onEvent(listener: MarketDataStreamListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.emit({ type: 'connection', channel: 'public', state: 'open' });
    this.#later(() => this.#snapshots());
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    await this.settled();
    this.emit({ type: 'connection', channel: 'public', state: 'closed', reason: 'stopped' });
  }

  /** Resolves once every event caused so far has been delivered. */
  settled(): Promise<void> {
    return this.#queue;
  }

  /** Delivers an event to every listener at once, as the real adapter does for a decoded frame. */
  emit(event: MarketDataStreamEvent): void {
    this.#counters.framesReceived += 1;
    if (event.type === 'resynced') this.#counters.resyncs += 1;
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        this.#counters.listenerErrors += 1;
      }
    }
    this.#counters.eventsEmitted += 1;
  }

  /** Records a rejected frame, so consumers' health logic can be tested against the counters. */
  rejectFrame(): void {
    this.#counters.framesReceived += 1;
    this.#counters.framesRejected += 1;
  }

  /** A trade prints in the market: trade, ticker and candle streams of its market move. */
  printTrade(trade: Trade): void {
    this.#requireMarket().recordTrade(trade);
    this.#later(async () => {
      const sub = this.#subscription;
      if (sub.trade?.includes(trade.market)) this.emit({ type: 'trade', trade, streamType: 'REALTIME' });
      await this.#derived(trade.market, 'REALTIME');
    });
  }

  /** Replaces a market's book (Upbit streams whole books, never deltas). */
  setBook(book: OrderbookSnapshot): void {
    this.#requireMarket().setOrderbook(book);
    this.#later(async () => {
      if (this.#subscription.orderbook?.markets.includes(book.market))
        await this.#book(book.market, 'REALTIME');
    });
  }

  /**
   * Simulates a dropped connection: closed, reconnecting, open, `resynced` with the subscription's
   * books and tickers read from the market, then fresh snapshots (the resubscription).
   */
  drop(reason: string, at: EpochMs): void {
    const market = this.#requireMarket();
    this.#later(async () => {
      this.emit({ type: 'connection', channel: 'public', state: 'closed', reason });
      this.#counters.reconnects += 1;
      this.emit({ type: 'connection', channel: 'public', state: 'connecting' });
      this.emit({ type: 'connection', channel: 'public', state: 'open' });
      const sub = this.#subscription;
      const [orderbooks, tickers] = await Promise.all([
        sub.orderbook === undefined ? undefined : market.getOrderbooks(sub.orderbook.markets),
        sub.ticker === undefined ? undefined : market.getTickers(sub.ticker),
      ]);
      this.emit({
        type: 'resynced',
        channel: 'public',
        gapStartedAt: at,
        at,
        ...(orderbooks === undefined ? {} : { orderbooks: orderbooks.map((b) => this.#depth(b)) }),
        ...(tickers === undefined ? {} : { tickers }),
      });
      await this.#snapshots();
    });
  }

  counters(): StreamCounters {
    return { ...this.#counters };
  }

  #requireMarket(): MemoryMarketDataSource {
    if (this.#market === undefined)
      throw new Error(
        'this MemoryMarketDataStream has no market: construct it with a MemoryMarketDataSource',
      );
    return this.#market;
  }

  // Runs after everything queued before it, only while started, like frames on one socket.
  #later(work: () => Promise<void> | void): void {
    this.#queue = this.#queue.then(async () => {
      if (this.#running) await work();
    });
  }

  #depth(book: OrderbookSnapshot): OrderbookSnapshot {
    const depth = this.#subscription.orderbook?.depth ?? 30;
    return { ...book, asks: book.asks.slice(0, depth), bids: book.bids.slice(0, depth) };
  }

  async #book(market: Market, streamType: StreamType): Promise<void> {
    const [book] = (await this.#market?.getOrderbooks([market])) ?? [];
    if (book !== undefined) this.emit({ type: 'orderbook', book: this.#depth(book), streamType });
  }

  // Ticker and candle of a market as the market now has them, if subscribed.
  async #derived(market: Market, streamType: StreamType): Promise<void> {
    const sub = this.#subscription;
    if (sub.ticker?.includes(market)) {
      const [ticker] = (await this.#market?.getTickers([market])) ?? [];
      if (ticker !== undefined) this.emit({ type: 'ticker', ticker, streamType });
    }
    if (sub.candle?.markets.includes(market)) {
      const query = { market, timeframe: sub.candle.timeframe, count: 1 };
      const [candle] = (await this.#market?.getCandles(query)) ?? [];
      if (candle !== undefined) this.emit({ type: 'candle', candle, streamType });
    }
  }

  async #snapshots(): Promise<void> {
    if (this.#market === undefined) return;
    const sub = this.#subscription;
    for (const m of sub.trade ?? []) {
      const [trade] = await this.#market.getRecentTrades(m, 1);
      if (trade !== undefined) this.emit({ type: 'trade', trade, streamType: 'SNAPSHOT' });
    }
    for (const m of sub.orderbook?.markets ?? []) await this.#book(m, 'SNAPSHOT');
    const derived = new Set([...(sub.ticker ?? []), ...(sub.candle?.markets ?? [])]);
    for (const m of derived) await this.#derived(m, 'SNAPSHOT');
  }
}
