import WebSocket from 'ws';
import { ConnectGate, readRefusal } from './connect-gate';
import { MessageThrottle } from './message-throttle';
import {
  defaultSocketFactory,
  type SocketFactory,
  type UpbitWsConnectionOptions,
} from './ws-connection-options';
import { DEFAULT_WS_TIMINGS, reconnectDelayMs, type WsTimings } from './ws-timings';

export type { SocketFactory, UpbitWsConnectionOptions, WsConnectionCallbacks } from './ws-connection-options';

/**
 * One self-healing Upbit WebSocket: protocol pings well inside the idle timeout, dead-socket
 * detection (missing pong, silence), jittered exponential reconnect, and re-sending the current
 * request after every reconnect through a 5/s + 100/min throttle. Attempts go through the shared
 * limiter's `websocket-connect` budget and wait out a 418 ban. It knows nothing about frames; the owner
 * decodes them.
 */
export class UpbitWsConnection {
  readonly #options: UpbitWsConnectionOptions;
  readonly #timings: WsTimings;
  readonly #random: () => number;
  readonly #createSocket: SocketFactory;
  readonly #gate: ConnectGate;
  #running = false;
  #stop = new AbortController();
  #socket: WebSocket | undefined;
  #desired: string | undefined;
  #sentOnSocket: string | undefined;
  #throttle: MessageThrottle;
  #sending = false;
  #lastReceived = 0;
  #awaitingPongSince: number | undefined;
  #receivedSinceOpen = false;
  #refusedSinceOpen = false;
  #killReason: string | undefined;
  #run: Promise<void> | undefined;
  #counts = { reconnects: 0, pingsSent: 0, pongs: 0, messagesSent: 0 };

  constructor(options: UpbitWsConnectionOptions) {
    this.#options = options;
    this.#timings = { ...DEFAULT_WS_TIMINGS, ...options.timings };
    this.#random = options.random ?? Math.random;
    this.#createSocket = options.createSocket ?? defaultSocketFactory;
    this.#gate = new ConnectGate(options);
    this.#throttle = this.#newThrottle();
  }

  #newThrottle(): MessageThrottle {
    return new MessageThrottle(
      this.#options.clock,
      this.#timings.messagesPerSecond,
      this.#timings.messagesPerMinute,
    );
  }

  /** Connection counters for health reporting. */
  get counts(): Readonly<{ reconnects: number; pingsSent: number; pongs: number; messagesSent: number }> {
    return { ...this.#counts };
  }

  /** True while a socket is open. */
  get isOpen(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  /** True between start() and stop(). */
  get running(): boolean {
    return this.#running;
  }

  /** Sets the request message (the full subscription); sent now if open, and again after each reconnect. */
  setRequest(message: string | undefined): void {
    this.#desired = message;
    void this.#flush();
  }

  /** Connects; resolves once the first attempt has opened or failed (reconnecting continues in the background). */
  start(): Promise<void> {
    if (this.#running) return Promise.resolve();
    this.#running = true;
    this.#stop = new AbortController();
    return new Promise<void>((firstAttemptDone) => {
      this.#run = this.#loop(firstAttemptDone);
    });
  }

  /** Closes the socket and stops reconnecting. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#stop.abort(new Error('stream stopped'));
    this.#socket?.terminate();
    await this.#run;
  }

  /**
   * Notes that the server answered this socket with an error frame (it closes right after): the next
   * reconnect keeps backing off instead of treating the frame as a healthy connection, so a bad request
   * or key can never turn into a reconnect storm against the 5/s connection limit.
   */
  refused(): void {
    this.#refusedSinceOpen = true;
  }

  /** Drops the current socket as if the network failed (tests, and a manual "kick" from ops). */
  kill(reason: string): void {
    const socket = this.#socket;
    if (socket === undefined) return;
    this.#killReason = reason;
    socket.terminate();
  }

  async #loop(firstAttemptDone: () => void): Promise<void> {
    const { clock, logger, channel, callbacks } = this.#options;
    let attempt = 0;
    let gapStartedAt: number | undefined;
    while (this.#running) {
      if (!(await this.#gate.admit(this.#stop.signal, firstAttemptDone))) break;
      callbacks.onState('connecting');
      let opened: { socket: WebSocket; closed: Promise<string> } | undefined;
      try {
        opened = await this.#open();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.#gate.refused(error);
        logger?.warn('upbit websocket connect failed', { channel, reason, attempt });
        callbacks.onState('closed', reason);
      }
      firstAttemptDone();
      if (opened !== undefined) {
        const { socket, closed } = opened;
        callbacks.onState('open');
        callbacks.onOpen(gapStartedAt);
        gapStartedAt = undefined;
        void this.#flush();
        const reason = await this.#supervise(socket, closed);
        this.#socket = undefined;
        if (this.#receivedSinceOpen && !this.#refusedSinceOpen) attempt = 0;
        gapStartedAt = this.#lastReceived;
        if (this.#running) logger?.warn('upbit websocket closed', { channel, reason });
        callbacks.onState('closed', reason);
      }
      if (!this.#running) break;
      const delay = reconnectDelayMs(attempt, this.#timings, this.#random);
      attempt += 1;
      try {
        await clock.sleep(delay, this.#stop.signal);
      } catch {
        break;
      }
      this.#counts.reconnects += 1;
    }
  }

  #open(): Promise<{ socket: WebSocket; closed: Promise<string> }> {
    const headers = this.#options.headers?.() ?? {};
    const socket = this.#createSocket(this.#options.url, {
      headers,
      handshakeTimeout: this.#timings.handshakeTimeoutMs,
    });
    socket.on('message', (data) => {
      if (socket !== this.#socket) return;
      this.#lastReceived = this.#options.clock.now();
      this.#receivedSinceOpen = true;
      this.#options.callbacks.onFrame(data);
    });
    socket.on('pong', () => {
      this.#counts.pongs += 1;
      this.#lastReceived = this.#options.clock.now();
      this.#awaitingPongSince = undefined;
    });
    return new Promise((resolve, reject) => {
      const onOpen = () => {
        // Adopt the socket before any frame can arrive: the server may answer (or refuse) at once.
        this.#adopt(socket);
        const closed = this.#closed(socket);
        socket.off('error', onError);
        socket.on('error', (error) =>
          this.#options.logger?.warn('upbit websocket error', { reason: error.message }),
        );
        resolve({ socket, closed });
      };
      const onError = (error: Error) => {
        socket.off('open', onOpen);
        socket.on('error', () => {});
        socket.terminate();
        reject(error);
      };
      socket.once('open', onOpen);
      socket.once('error', onError);
      socket.once('unexpected-response', (_request, response) => {
        void readRefusal(response).then(onError);
      });
      const onAbort = () => onError(new Error('stream stopped'));
      this.#stop.signal.addEventListener('abort', onAbort, { once: true });
      socket.once('close', () => this.#stop.signal.removeEventListener('abort', onAbort));
    });
  }

  #adopt(socket: WebSocket): void {
    this.#socket = socket;
    this.#sentOnSocket = undefined;
    this.#throttle = this.#newThrottle();
    this.#lastReceived = this.#options.clock.now();
    this.#awaitingPongSince = undefined;
    this.#receivedSinceOpen = false;
    this.#refusedSinceOpen = false;
    this.#killReason = undefined;
  }

  #closed(socket: WebSocket): Promise<string> {
    return new Promise((resolve) => {
      socket.once('close', (code, reason) => {
        resolve(
          this.#killReason ?? `closed with code ${code}${reason.length > 0 ? `: ${reason.toString()}` : ''}`,
        );
      });
    });
  }

  async #supervise(socket: WebSocket, closed: Promise<string>): Promise<string> {
    const done = new AbortController();
    const keepAlive = this.#keepAlive(socket, done.signal);
    const reason = await closed;
    done.abort();
    await keepAlive;
    return reason;
  }

  async #keepAlive(socket: WebSocket, signal: AbortSignal): Promise<void> {
    const { clock } = this.#options;
    const t = this.#timings;
    let nextPingAt = clock.now() + t.pingIntervalMs;
    const both = AbortSignal.any([signal, this.#stop.signal]);
    while (!both.aborted) {
      const now = clock.now();
      if (now - this.#lastReceived >= t.silenceTimeoutMs) {
        this.kill(`no data for ${t.silenceTimeoutMs} ms`);
        return;
      }
      if (this.#awaitingPongSince !== undefined && now - this.#awaitingPongSince >= t.pongTimeoutMs) {
        this.kill(`no pong within ${t.pongTimeoutMs} ms`);
        return;
      }
      if (now >= nextPingAt) {
        if (this.#awaitingPongSince === undefined && socket.readyState === WebSocket.OPEN) {
          this.#awaitingPongSince = now;
          this.#counts.pingsSent += 1;
          socket.ping();
        }
        nextPingAt = now + t.pingIntervalMs;
      }
      const pongDeadline =
        this.#awaitingPongSince === undefined
          ? Number.POSITIVE_INFINITY
          : this.#awaitingPongSince + t.pongTimeoutMs;
      const wake = Math.min(nextPingAt, this.#lastReceived + t.silenceTimeoutMs, pongDeadline);
      try {
        await clock.sleep(Math.max(1, wake - now), both);
      } catch {
        return;
      }
    }
  }

  async #flush(): Promise<void> {
    if (this.#sending) return;
    this.#sending = true;
    try {
      for (;;) {
        const socket = this.#socket;
        const message = this.#desired;
        if (socket === undefined || socket.readyState !== WebSocket.OPEN) return;
        if (message === undefined || message === this.#sentOnSocket) return;
        const wait = this.#throttle.waitMs();
        if (wait > 0) {
          try {
            await this.#options.clock.sleep(wait, this.#stop.signal);
          } catch {
            return;
          }
          continue;
        }
        socket.send(message, (error) => {
          if (error) this.#options.logger?.warn('upbit websocket send failed', { reason: error.message });
        });
        this.#throttle.record();
        this.#counts.messagesSent += 1;
        this.#sentOnSocket = message;
      }
    } finally {
      this.#sending = false;
    }
  }
}
