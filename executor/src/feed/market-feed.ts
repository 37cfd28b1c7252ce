import type { OrderbookSnapshot, Trade } from '../../../shared/src/domain/market/market-data';
import type { Market } from '../../../shared/src/domain/market/market-id';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import type {
  ConnectionState,
  MarketDataStream,
  MarketDataStreamEvent,
  MyOrderEvent,
  StreamChannel,
} from '../../../shared/src/ports/market-data-stream';
import { describeError } from '../runtime/periodic';
import { MarketState } from './market-state';

/** Who listens to the feed; every callback must be cheap and must not throw (errors are counted). */
export interface FeedListener {
  onBook?(book: OrderbookSnapshot): void;
  onTrade?(trade: Trade): void;
  onMyOrder?(event: MyOrderEvent): void;
  /** The end of a gap on a channel: state before it may be stale; books/trades in it were applied. */
  onResynced?(event: Extract<MarketDataStreamEvent, { type: 'resynced' }>): void;
  onConnection?(channel: StreamChannel, state: ConnectionState): void;
}

/** Options of {@link MarketFeed}. */
export interface MarketFeedOptions {
  readonly stream: MarketDataStream;
  readonly markets: readonly Market[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** Subscribe to our own orders (a keyed venue: Upbit or the sim). */
  readonly privateChannel: boolean;
  /** A book not updated for this long is not used for pricing (executor.staleBookSeconds); none = never. */
  readonly maxBookAgeMs?: number;
}

/**
 * The one consumer of the market-data stream: subscribes ticker, trade and 15-level books for the
 * configured markets (plus our order events when keyed), keeps {@link MarketState} current and routes
 * each event to the listeners (paper venue, candles and features, tape, order tracker, plans). A
 * `resynced` event's books and trades are routed exactly like live ones, so nothing downstream needs a
 * second code path for gaps.
 */
export class MarketFeed {
  readonly state: MarketState;
  readonly #options: MarketFeedOptions;
  readonly #listeners: FeedListener[] = [];
  readonly #connection: Record<StreamChannel, ConnectionState> = { public: 'closed', private: 'closed' };
  #unsubscribe: (() => void) | undefined;
  #listenerErrors = 0;
  #routed = 0;
  #lastEventAt = 0;

  constructor(options: MarketFeedOptions) {
    this.#options = options;
    this.state = new MarketState(
      options.markets,
      options.maxBookAgeMs === undefined
        ? undefined
        : { now: () => options.clock.now(), maxBookAgeMs: options.maxBookAgeMs },
    );
  }

  /** Adds a listener (before start, so it sees the first snapshots). */
  listen(listener: FeedListener): void {
    this.#listeners.push(listener);
  }

  async start(): Promise<void> {
    const { stream, markets } = this.#options;
    this.#unsubscribe = stream.onEvent((e) => this.route(e));
    stream.subscribe({
      ticker: markets,
      trade: markets,
      orderbook: { markets, depth: 15 },
      ...(this.#options.privateChannel ? { myOrder: true as const, myAsset: true } : {}),
    });
    await stream.start();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await this.#options.stream.stop();
  }

  /** Resolves once every market has a two-sided book, or after `timeoutMs` (then returns the missing ones). */
  async waitForBooks(timeoutMs: number, signal?: AbortSignal): Promise<Market[]> {
    const deadline = this.#options.clock.now() + timeoutMs;
    for (;;) {
      const missing = this.state.marketsWithoutBook();
      if (missing.length === 0 || this.#options.clock.now() >= deadline || signal?.aborted) return missing;
      await this.#options.clock.sleep(50, signal).catch(() => undefined);
    }
  }

  connectionState(channel: StreamChannel): ConnectionState {
    return this.#connection[channel];
  }

  /** Routes one stream event (public so benchmarks and tests can drive the router directly). */
  route(event: MarketDataStreamEvent): void {
    this.#routed += 1;
    this.#lastEventAt = this.#options.clock.now();
    switch (event.type) {
      case 'orderbook':
        this.state.applyBook(event.book);
        for (const l of this.#listeners) if (l.onBook !== undefined) this.#call(() => l.onBook?.(event.book));
        return;
      case 'trade':
        this.state.applyTrade(event.trade);
        for (const l of this.#listeners)
          if (l.onTrade !== undefined) this.#call(() => l.onTrade?.(event.trade));
        return;
      case 'ticker':
        this.state.applyTicker(event.ticker);
        return;
      case 'myOrder':
        for (const l of this.#listeners)
          if (l.onMyOrder !== undefined) this.#call(() => l.onMyOrder?.(event.order));
        return;
      case 'resynced':
        for (const b of event.orderbooks ?? [])
          this.route({ type: 'orderbook', book: b, streamType: 'SNAPSHOT' });
        for (const t of event.tickers ?? []) this.state.applyTicker(t);
        for (const t of event.trades ?? []) this.route({ type: 'trade', trade: t, streamType: 'REALTIME' });
        for (const l of this.#listeners)
          if (l.onResynced !== undefined) this.#call(() => l.onResynced?.(event));
        return;
      case 'connection':
        this.#connection[event.channel] = event.state;
        this.#options.logger.info('market data connection', {
          channel: event.channel,
          state: event.state,
          ...(event.reason === undefined ? {} : { reason: event.reason }),
        });
        for (const l of this.#listeners)
          if (l.onConnection !== undefined) this.#call(() => l.onConnection?.(event.channel, event.state));
        return;
      case 'error':
        this.#options.logger.warn('market data stream error', {
          channel: event.channel,
          code: event.code,
          error: event.message,
        });
        return;
      default:
        return;
    }
  }

  /** Events routed, listener failures and when the last event arrived (health and metrics). */
  stats(): { readonly routed: number; readonly listenerErrors: number; readonly lastEventAt: number } {
    return { routed: this.#routed, listenerErrors: this.#listenerErrors, lastEventAt: this.#lastEventAt };
  }

  #call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.#listenerErrors += 1;
      if (this.#listenerErrors % 1000 === 1)
        this.#options.logger.warn('feed listener failed', {
          error: describeError(error),
          count: this.#listenerErrors,
        });
    }
  }
}
