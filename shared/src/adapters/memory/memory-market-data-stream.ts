import type {
  MarketDataStream,
  MarketDataStreamEvent,
  MarketDataStreamListener,
  StreamCounters,
  StreamSubscription,
} from '../../ports/market-data-stream';

/**
 * In-memory MarketDataStream for tests and backtests: the test pushes events with {@link emit} and
 * reads back what was subscribed. Same listener-isolation rule as the real adapter: a throwing
 * listener is counted and never stops delivery to the others.
 */
export class MemoryMarketDataStream implements MarketDataStream {
  readonly #listeners = new Set<MarketDataStreamListener>();
  #subscription: StreamSubscription = {};
  #running = false;
  #counters = {
    framesReceived: 0,
    eventsEmitted: 0,
    framesRejected: 0,
    serverErrors: 0,
    reconnects: 0,
    resyncs: 0,
    listenerErrors: 0,
  };
  /** Every subscription sent, oldest first. */
  readonly subscriptions: StreamSubscription[] = [];

  subscribe(subscription: StreamSubscription): void {
    this.#subscription = subscription;
    this.subscriptions.push(subscription);
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
    this.#running = true;
    this.emit({ type: 'connection', channel: 'public', state: 'open' });
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.emit({ type: 'connection', channel: 'public', state: 'closed', reason: 'stopped' });
  }

  /** Delivers an event to every listener, as the real adapter does for a decoded frame. */
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

  counters(): StreamCounters {
    return { ...this.#counters };
  }
}
