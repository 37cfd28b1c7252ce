import { randomUUID } from 'node:crypto';
import type WebSocket from 'ws';
import { epochMs } from '../../../domain/time/epoch';
import type { Clock } from '../../../ports/clock';
import type { Logger } from '../../../ports/logger';
import type { MarketDataSource } from '../../../ports/market-data-source';
import type {
  MarketDataStream,
  MarketDataStreamEvent,
  MarketDataStreamListener,
  StreamChannel,
  StreamCounters,
  StreamSubscription,
} from '../../../ports/market-data-stream';
import type { TradingVenue } from '../../../ports/trading-venue';
import type { UpbitAuthenticator } from '../auth/upbit-jwt';
import type { UpbitRateLimiter } from '../rest/rate-limiter';
import { FrameDecoder, STATUS_UP } from './frame-decoder';
import { fetchResync } from './rest-resync';
import { SnapshotWatch } from './snapshot-watch';
import { buildSubscriptionMessage, type WsFormat } from './subscription-message';
import { TradeContinuity } from './trade-continuity';
import type { TradePageFetcher } from './trade-gap-filler';
import { type SocketFactory, UpbitWsConnection } from './upbit-ws-connection';
import type { WsTimings } from './ws-timings';

/** Options for {@link UpbitMarketDataStream}. Composition roots read UPBIT_WS_URL; the adapter never reads env. */
export interface UpbitMarketDataStreamOptions {
  /** e.g. `wss://api.upbit.com/websocket/v1` or the fake's `wsUrl`. */
  readonly publicUrl: string;
  /** e.g. `wss://api.upbit.com/websocket/v1/private`. */
  readonly privateUrl: string;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Needed for `myOrder`/`myAsset`: signs the upgrade request (JWT without query_hash). */
  readonly authenticator?: UpbitAuthenticator;
  /** REST snapshots after a public gap (books, tickers). */
  readonly marketData?: MarketDataSource;
  /** REST snapshots after a private gap (open orders, balances). */
  readonly venue?: TradingVenue;
  readonly format?: WsFormat;
  readonly timings?: Partial<WsTimings>;
  readonly random?: () => number;
  readonly ticket?: string;
  readonly createSocket?: SocketFactory;
  /**
   * Every subscribed public pair must deliver a frame this long after (re)subscribing, else a
   * `no_snapshot` error event names it (Upbit ignores unknown codes silently). Default 10,000; 0 = off.
   */
  readonly snapshotTimeoutMs?: number;
  /** The process's REST limiter: paces connection attempts and holds them during a 418 ban. */
  readonly limiter?: UpbitRateLimiter;
  /** REST `/trades/ticks` (the quotation API's `getTrades`), to fetch trades a gap skipped. */
  readonly tradeHistory?: TradePageFetcher;
  /**
   * The venue numbers trades 1, 2, 3… per market (the fake exchange), so a skipped id is a lost trade.
   * Upbit's ids are time-derived and jump, so there only repeats and regressions are detectable. Default false.
   */
  readonly denseTradeIds?: boolean;
}

const REJECTION_LOG_EVERY = 1_000;

/**
 * Upbit WebSocket behind the MarketDataStream port: a public and (when keyed) a private connection,
 * frames decoded to typed events, and after every reconnect a REST resync (books/tickers, or open
 * orders/balances) announced by a `resynced` event, because Upbit never replays what a dropped socket
 * missed. Malformed frames and throwing listeners are counted and logged, never fatal.
 */
export class UpbitMarketDataStream implements MarketDataStream {
  readonly #options: UpbitMarketDataStreamOptions;
  readonly #listeners = new Set<MarketDataStreamListener>();
  readonly #connections: Record<StreamChannel, UpbitWsConnection>;
  readonly #decoders: Record<StreamChannel, FrameDecoder>;
  readonly #ticket: string;
  readonly #snapshots: SnapshotWatch;
  readonly #trades: TradeContinuity;
  #subscription: StreamSubscription = {};
  #running = false;
  #counters = {
    framesReceived: 0,
    eventsEmitted: 0,
    framesRejected: 0,
    serverErrors: 0,
    resyncs: 0,
    listenerErrors: 0,
  };

  constructor(options: UpbitMarketDataStreamOptions) {
    this.#options = options;
    this.#ticket = options.ticket ?? randomUUID();
    this.#decoders = { public: new FrameDecoder('public'), private: new FrameDecoder('private') };
    this.#connections = { public: this.#connection('public'), private: this.#connection('private') };
    this.#snapshots = new SnapshotWatch(options.clock, options.snapshotTimeoutMs ?? 10_000, (missing) => {
      const message = `no data within ${options.snapshotTimeoutMs ?? 10_000} ms for ${missing.join(', ')}; Upbit silently ignores unknown or lower-case market codes`;
      this.#options.logger?.warn('upbit websocket subscription delivers nothing', { missing });
      this.#emit({ type: 'error', channel: 'public', code: 'no_snapshot', message });
    });
    this.#trades = new TradeContinuity({
      dense: options.denseTradeIds ?? false,
      ...(options.tradeHistory === undefined ? {} : { history: options.tradeHistory }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      report: {
        filled: (_market, trades, gapStartedAt) => {
          this.#counters.resyncs += 1;
          this.#emit({
            type: 'resynced',
            channel: 'public',
            gapStartedAt: epochMs(gapStartedAt),
            at: options.clock.now(),
            trades,
          });
        },
        failed: (market, error) => this.#resyncFailed('public', error, `trades of ${market}`),
      },
    });
  }

  #connection(channel: StreamChannel): UpbitWsConnection {
    const o = this.#options;
    const authenticator = o.authenticator;
    return new UpbitWsConnection({
      url: channel === 'public' ? o.publicUrl : o.privateUrl,
      channel,
      clock: o.clock,
      ...(o.logger ? { logger: o.logger } : {}),
      ...(o.timings ? { timings: o.timings } : {}),
      ...(o.random ? { random: o.random } : {}),
      ...(o.createSocket ? { createSocket: o.createSocket } : {}),
      ...(o.limiter ? { limiter: o.limiter } : {}),
      ...(channel === 'private' && authenticator !== undefined
        ? { headers: () => ({ Authorization: authenticator.authorization(null) }) }
        : {}),
      callbacks: {
        onFrame: (data) => this.#onFrame(channel, data),
        onState: (state, reason) =>
          this.#emit({ type: 'connection', channel, state, ...(reason === undefined ? {} : { reason }) }),
        onOpen: (gapStartedAt) => {
          if (channel === 'public') this.#snapshots.arm(this.#subscription);
          if (gapStartedAt === undefined) return;
          void this.#resync(channel, gapStartedAt);
          if (channel === 'public') this.#trades.resume(this.#subscription.trade ?? []);
        },
        onBlocked: (code, message) => this.#emit({ type: 'error', channel, code, message }),
      },
    });
  }

  subscribe(subscription: StreamSubscription): void {
    this.#subscription = subscription;
    const format = this.#options.format ?? 'DEFAULT';
    for (const channel of ['public', 'private'] as const) {
      this.#connections[channel].setRequest(
        buildSubscriptionMessage(this.#ticket, subscription, channel, format),
      );
    }
    if (this.#running) {
      if (this.#connections.public.isOpen) this.#snapshots.arm(subscription);
      void this.#sync();
    }
  }

  onEvent(listener: MarketDataStreamListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  async start(): Promise<void> {
    this.#running = true;
    await this.#sync();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#snapshots.stop();
    this.#trades.clear();
    await Promise.all([this.#connections.public.stop(), this.#connections.private.stop()]);
  }

  counters(): StreamCounters {
    return {
      ...this.#counters,
      tradeGaps: this.#trades.outOfSequence,
      reconnects: this.#connections.public.counts.reconnects + this.#connections.private.counts.reconnects,
    };
  }

  /** Keep-alive and reconnect counts per channel, so health checks can see pings being answered. */
  connectionCounts(): Record<StreamChannel, UpbitWsConnection['counts']> {
    return { public: this.#connections.public.counts, private: this.#connections.private.counts };
  }

  /** Drops the sockets as if the network failed; they reconnect and resync (ops "kick", tests). */
  kill(reason = 'killed'): void {
    this.#connections.public.kill(reason);
    this.#connections.private.kill(reason);
  }

  // Opens a channel's connection while it has something to stream; closes it when it has nothing.
  async #sync(): Promise<void> {
    const format = this.#options.format ?? 'DEFAULT';
    const starts: Promise<void>[] = [];
    for (const channel of ['public', 'private'] as const) {
      const connection = this.#connections[channel];
      const wanted =
        buildSubscriptionMessage(this.#ticket, this.#subscription, channel, format) !== undefined;
      if (wanted && channel === 'private' && this.#options.authenticator === undefined) {
        this.#emit({
          type: 'error',
          channel,
          code: 'missing_credentials',
          message: 'myOrder/myAsset need API keys; configure an authenticator',
        });
        continue;
      }
      if (wanted && !connection.running) starts.push(connection.start());
      else if (!wanted && connection.running) starts.push(connection.stop());
    }
    await Promise.all(starts);
  }

  #onFrame(channel: StreamChannel, data: WebSocket.RawData): void {
    this.#counters.framesReceived += 1;
    let decoded: MarketDataStreamEvent | typeof STATUS_UP;
    try {
      decoded = this.#decoders[channel].decode(data);
    } catch (error) {
      this.#counters.framesRejected += 1;
      const n = this.#counters.framesRejected;
      if (n <= 10 || n % REJECTION_LOG_EVERY === 0)
        this.#options.logger?.warn('rejected malformed upbit websocket frame', {
          channel,
          rejected: n,
          reason: error instanceof Error ? error.message : String(error),
        });
      return;
    }
    if (decoded === STATUS_UP) return;
    if (channel === 'public') this.#snapshots.seen(decoded);
    if (decoded.type === 'trade' && !this.#trades.admit(decoded.trade)) return;
    if (decoded.type === 'error') {
      this.#counters.serverErrors += 1;
      this.#connections[channel].refused();
      this.#options.logger?.error('upbit websocket error frame', {
        channel,
        code: decoded.code,
        message: decoded.message,
      });
      this.#emit(decoded);
      // A refused key stays refused: stop the private socket and let the alert reach a human.
      if (decoded.code === 'INVALID_AUTH') void this.#connections[channel].stop();
      return;
    }
    this.#emit(decoded);
  }

  #emit(event: MarketDataStreamEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#counters.listenerErrors += 1;
        this.#options.logger?.error('market data listener threw', {
          type: event.type,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    this.#counters.eventsEmitted += 1;
  }

  async #resync(channel: StreamChannel, gapStartedAt: number): Promise<void> {
    try {
      const payload = await fetchResync(channel, this.#subscription, this.#options);
      this.#counters.resyncs += 1;
      this.#emit({
        type: 'resynced',
        channel,
        gapStartedAt: epochMs(gapStartedAt),
        at: this.#options.clock.now(),
        ...payload,
      });
    } catch (error) {
      this.#resyncFailed(channel, error, 'state');
    }
  }

  #resyncFailed(channel: StreamChannel, error: unknown, what: string): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.#options.logger?.error('resync after websocket gap failed', { channel, what, reason });
    this.#emit({
      type: 'error',
      channel,
      code: 'resync_failed',
      message: `REST resync of ${what} after a websocket gap failed: ${reason}; it may be stale until the next resync`,
    });
  }
}
