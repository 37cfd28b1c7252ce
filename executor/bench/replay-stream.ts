import { FrameDecoder, STATUS_UP } from '../../shared/src/adapters/upbit/ws/frame-decoder';
import type {
  MarketDataStream,
  MarketDataStreamListener,
  StreamCounters,
  StreamSubscription,
} from '../../shared/src/ports/market-data-stream';

/**
 * A MarketDataStream that decodes frames pushed by a benchmark with the production FrameDecoder
 * (the part of the Upbit adapter a socket would feed) and hands the events to the listeners: the
 * executor then runs exactly as on a live socket, minus the network.
 */
export class ReplayStream implements MarketDataStream {
  readonly #listeners = new Set<MarketDataStreamListener>();
  readonly #decoder = new FrameDecoder('public');
  #frames = 0;
  #events = 0;
  #rejected = 0;

  subscribe(_subscription: StreamSubscription): void {}

  onEvent(listener: MarketDataStreamListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async start(): Promise<void> {
    for (const l of this.#listeners) l({ type: 'connection', channel: 'public', state: 'open' });
  }

  async stop(): Promise<void> {
    for (const l of this.#listeners)
      l({ type: 'connection', channel: 'public', state: 'closed', reason: 'stopped' });
  }

  /** Decodes one frame and delivers its event. */
  push(frame: Buffer): void {
    this.#frames += 1;
    let event: ReturnType<FrameDecoder['decode']>;
    try {
      event = this.#decoder.decode(frame);
    } catch {
      this.#rejected += 1;
      return;
    }
    if (event === STATUS_UP) return;
    this.#events += 1;
    for (const l of this.#listeners) l(event);
  }

  counters(): StreamCounters {
    return {
      framesReceived: this.#frames,
      eventsEmitted: this.#events,
      framesRejected: this.#rejected,
      serverErrors: 0,
      reconnects: 0,
      resyncs: 0,
      tradeGaps: 0,
      listenerErrors: 0,
    };
  }
}
