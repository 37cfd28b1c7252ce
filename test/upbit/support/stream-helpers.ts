import { SystemClock } from '../../../shared/src/adapters/system/system-clock';
import {
  UpbitMarketDataStream,
  type UpbitMarketDataStreamOptions,
} from '../../../shared/src/adapters/upbit/ws/upbit-market-data-stream';
import type { MarketDataStreamEvent } from '../../../shared/src/ports/market-data-stream';
import type { Harness } from './fake-harness';

/** Fast keep-alive and reconnect timings so liveness and reconnects show within a test's second. */
export const FAST_TIMINGS = {
  pingIntervalMs: 100,
  pongTimeoutMs: 1_000,
  silenceTimeoutMs: 5_000,
  reconnectBaseMs: 20,
  reconnectMaxMs: 200,
} as const;

/** A stream pointed at the fake (as with `UPBIT_WS_URL`) plus every event it emitted, in order. */
export interface RecordedStream {
  readonly stream: UpbitMarketDataStream;
  readonly events: MarketDataStreamEvent[];
  /** Resolves with the first event (from index `from`) matching `pick`, or rejects after `timeoutMs`. */
  next<T extends MarketDataStreamEvent>(
    pick: (e: MarketDataStreamEvent) => e is T,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<T>;
}

/** Builds the production stream against the harness's fake, with REST resync through the same client. */
export function recordStream(
  h: Harness,
  { noLimiter = false, ...options }: Partial<UpbitMarketDataStreamOptions> & { noLimiter?: boolean } = {},
): RecordedStream {
  const stream = new UpbitMarketDataStream({
    publicUrl: h.fake.wsUrl,
    privateUrl: h.fake.privateWsUrl,
    clock: new SystemClock(),
    authenticator: h.authenticator,
    marketData: h.marketData,
    venue: h.venue,
    ...(noLimiter ? {} : { limiter: h.client.limiter }),
    tradeHistory: (market, count, cursor) => h.quotation.getTrades(market, count, cursor),
    denseTradeIds: true,
    timings: FAST_TIMINGS,
    random: () => 0.5,
    ...options,
  });
  const events: MarketDataStreamEvent[] = [];
  stream.onEvent((e) => events.push(e));
  const next = async <T extends MarketDataStreamEvent>(
    pick: (e: MarketDataStreamEvent) => e is T,
    { from = 0, timeoutMs = 3_000 }: { from?: number; timeoutMs?: number } = {},
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.slice(from).find(pick);
      if (found !== undefined) return found;
      if (Date.now() > deadline)
        throw new Error(
          `no matching event within ${timeoutMs} ms; saw ${events.map((e) => e.type).join(',')}`,
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { stream, events, next };
}

/** Type guard factory for one event type (optionally with a predicate on it). */
export function isEvent<K extends MarketDataStreamEvent['type']>(
  type: K,
  extra: (e: Extract<MarketDataStreamEvent, { type: K }>) => boolean = () => true,
): (e: MarketDataStreamEvent) => e is Extract<MarketDataStreamEvent, { type: K }> {
  return (e): e is Extract<MarketDataStreamEvent, { type: K }> =>
    e.type === type && extra(e as Extract<MarketDataStreamEvent, { type: K }>);
}
