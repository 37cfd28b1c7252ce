import type { HistoryShape } from '../domain/exchange/seeded-history';
import type { Clock } from '../ports/clock';
import type { WsStats } from './ws-server';

/** Book levels as decimal strings: `[price, size]`, best first. */
export interface BookSpec {
  readonly bids: readonly (readonly [string, string])[];
  readonly asks: readonly (readonly [string, string])[];
}

/**
 * How to start the fake exchange. Everything is optional so a test can write `startFakeExchange()` and get
 * a free port, the default markets and 10,000,000 KRW.
 */
export interface FakeExchangeOptions {
  /** Interface to bind; default 127.0.0.1 (never expose the fake beyond the machine by accident). */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** PRNG seed: same seed, same uuids and same synthetic market. */
  seed?: number;
  /** KRW markets to list; default KRW-BTC, KRW-ETH, KRW-XRP, KRW-ADA, KRW-SOL (with `dataPath`: the data's markets). */
  markets?: readonly string[];
  /** Starting balances as decimal strings; default `{ KRW: '10000000' }`. */
  balances?: Readonly<Record<string, string>>;
  /** API keys the JWT verifier accepts; defaults are documented in the fake exchange README. */
  accessKey?: string;
  secretKey?: string;
  /** Candle JSON/CSV file or directory to replay instead of the random walk. */
  dataPath?: string;
  /**
   * A recorded tape to replay instead (the executor's recorder root, `<DIR>/<YYYY-MM-DD>/<MARKET>…gz`):
   * its trades and books in time order, resting orders filled by the backtester's tape fill model.
   * Sim time starts at the tape's first event; no seeded history. Excludes `dataPath`.
   */
  tapePath?: string;
  /** Part of the tape to replay (epoch ms, `to` exclusive); default all of it. */
  tapeWindow?: { readonly from?: number; readonly to?: number };
  /** Called once when the tape replay has replayed its last event. */
  onTapeEnd?: () => void;
  /** Time acceleration of the synthetic market (default 1). */
  speed?: number;
  /** Time source; default the system clock. A manual clock means the market only moves when told. */
  clock?: Clock;
  /** Run the random walk / replay on the clock; default true with the system clock, false with a given clock. */
  autoMarket?: boolean;
  /**
   * Start with a past (default: whenever the market runs by itself): 1-minute candles for
   * `minuteDays` days (default 2, from a UTC midnight), `dayCount` day candles before them (default 365)
   * and the last `trades` trades (default 500), joining the live random walk or the replay without a
   * jump. `false`: an empty tape (tests that print every trade themselves).
   */
  history?: boolean | Partial<HistoryShape>;
  /** `false` disables the per-group limits; a record overrides per-group limits (`{ order: 1 }`). */
  rateLimits?: boolean | Partial<Record<string, number>>;
  /**
   * Time source of the rate-limit windows; default the wall clock even when `clock` is manual, so a test
   * that never advances its clock is not rate-limited forever. Pass the manual clock for exact 429 tests.
   */
  rateClock?: Clock;
  /** After this many consecutive 429s the caller is banned with 418 (0 = never, the default). */
  banAfter429s?: number;
  /** How long a 418 ban lasts (ms, default 10,000); it covers REST and WebSocket upgrades, as Upbit's IP ban. */
  banMs?: number;
  /** Fault switches in force from the start. */
  faults?: FaultSettings;
  /** Serve the test-only control API under `/_sim` (default false; the CLI turns it on). */
  controlApi?: boolean;
  /** Random-walk start prices per market in KRW (default: realistic prices for the default markets). */
  startPrices?: Readonly<Record<string, number>>;
  /** Called when the market loop fails (it keeps running); default writes to stderr. */
  onError?: (error: unknown) => void;
  /** WebSocket idle timeout (ms) after which the server drops a silent socket; default 120,000. */
  idleTimeoutMs?: number;
  /** JSON file holding accounts and orders across restarts. */
  statePath?: string;
}

/** Fault switches that can be set at start (`--faults`) and changed at runtime. */
export interface FaultSettings {
  /** Delay (real ms) added before every REST response. */
  readonly latencyMs?: number;
  /** The next N REST requests fail with {@link failStatus} before doing anything. */
  readonly failNext?: number;
  /** HTTP status of injected failures (default 500). */
  readonly failStatus?: number;
  /** Fraction (0–1) of REST requests failing at random with {@link failStatus} (seeded by `seed`). */
  readonly errorRate?: number;
  /** The next N order placements are executed but never answered (the client times out). */
  readonly timeoutAfterAccept?: number;
  /** Terminates every WebSocket this often (real ms); 0 = never. */
  readonly dropWebSocketsEveryMs?: number;
  /** Realtime orderbook frames stop while the socket, trades and tickers carry on (a stale book). */
  readonly staleBook?: boolean;
}

/** Switches that make the fake misbehave on purpose, for reliability tests. */
export interface FakeExchangeFaults {
  /** Adds this much delay (real ms) before every HTTP response. */
  setLatencyMs(ms: number): void;
  /** The next `count` HTTP requests fail with `status` (default 500) before doing anything. */
  failNext(count: number, status?: number): void;
  /** A fraction of requests (0–1) fail with `status` (default 500); 0 turns it off. */
  setErrorRate(rate: number, status?: number): void;
  /** The next `count` order placements are executed but their response is never sent. */
  timeoutAfterAccept(count: number): void;
  /** Terminates every open WebSocket connection (no close frame, like a network drop). */
  dropWebSockets(): void;
  /**
   * The next `count` public trades print on the tape (REST sees them) but their `trade` frames are never
   * sent: subscribers see a skipped `sequential_id`, as after a frame lost upstream.
   */
  dropTradeFrames(count: number): void;
  /**
   * While on, no realtime `orderbook` frame is sent: the book a client holds goes stale while its
   * socket stays open and trades and tickers keep arriving (REST still answers the live book).
   */
  setStaleBook(on: boolean): void;
  /** Sends `payload` as a binary frame to every open WebSocket (e.g. a malformed frame). */
  sendRawFrame(payload: string): void;
  /** Turns the rate limiter on or off, or replaces per-group limits (`{ order: 1 }`). */
  setRateLimits(limits: boolean | Partial<Record<string, number>>): void;
  /** Current settings (for status output). */
  current(): Required<Omit<FaultSettings, 'dropWebSocketsEveryMs'>>;
}

/** Test-driver controls: move the market and the account by hand, and inject faults. */
export interface FakeExchangeControls {
  /** Replaces the synthetic (other traders') liquidity of a market; may fill our resting orders. */
  setBook(market: string, book: BookSpec): void;
  /** Prints a public trade on the tape; fills our resting orders the trade crosses. */
  trade(market: string, price: string, volume: string, takerSide: 'bid' | 'ask'): void;
  /** Sets the available balance of a currency (locked amounts are untouched). */
  setBalance(currency: string, amount: string): void;
  /** Runs the synthetic market's steps due now (after advancing a manual clock); no-op without one. */
  stepMarket(): void;
  /** Current sim time (ms). */
  now(): number;
  /** WebSocket connections accepted and refused by the connection and message limits. */
  websocketStats(): WsStats;
  readonly faults: FakeExchangeFaults;
}

/** A running fake Upbit: URLs to point the client at plus test-driver controls. */
export interface FakeExchange {
  /** e.g. `http://127.0.0.1:PORT/v1` (the client's `UPBIT_REST_URL`). */
  readonly restUrl: string;
  /** e.g. `ws://127.0.0.1:PORT/websocket/v1` (the client's `UPBIT_WS_URL`). */
  readonly wsUrl: string;
  /** e.g. `ws://127.0.0.1:PORT/websocket/v1/private`. */
  readonly privateWsUrl: string;
  /** e.g. `http://127.0.0.1:PORT/_sim` when the control API is on. */
  readonly controlUrl: string | undefined;
  readonly port: number;
  readonly accessKey: string;
  readonly secretKey: string;
  /** Markets listed, in order. */
  readonly markets: readonly string[];
  readonly controls: FakeExchangeControls;
  /** Stops the market, saves `--state`, closes every socket; idempotent. */
  close(): Promise<void>;
}
