import type { Clock } from '../ports/clock';

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
  /** KRW markets to list; default KRW-BTC, KRW-ETH, KRW-XRP, KRW-ADA, KRW-SOL. */
  markets?: readonly string[];
  /** Starting balances as decimal strings; default `{ KRW: '10000000' }`. */
  balances?: Readonly<Record<string, string>>;
  /** API keys the JWT verifier accepts; defaults are documented in docs/fake-exchange.md. */
  accessKey?: string;
  secretKey?: string;
  /** Candle JSON/CSV file or directory to replay instead of the random walk. */
  dataPath?: string;
  /** Time acceleration of the synthetic market (default 1). */
  speed?: number;
  /** Time source; default the system clock. A manual clock means the market only moves when told. */
  clock?: Clock;
  /** Run the random walk / replay on the clock; default true with the system clock, false with a given clock. */
  autoMarket?: boolean;
  /** `false` disables the per-group token buckets; a record overrides per-group limits (`{ order: 1 }`). */
  rateLimits?: boolean | Partial<Record<string, number>>;
  /** WebSocket idle timeout (ms) after which the server drops a silent socket; default 120,000. */
  idleTimeoutMs?: number;
  /** JSON file holding accounts and orders across restarts. */
  statePath?: string;
}

/** Switches that make the fake misbehave on purpose, for reliability tests. */
export interface FakeExchangeFaults {
  /** Adds this much delay (real ms) before every HTTP response. */
  setLatencyMs(ms: number): void;
  /** The next `count` HTTP requests fail with `status` (default 500) before doing anything. */
  failNext(count: number, status?: number): void;
  /** The next `count` order placements are executed but their response is never sent. */
  timeoutAfterAccept(count: number): void;
  /** Terminates every open WebSocket connection (no close frame, like a network drop). */
  dropWebSockets(): void;
  /** Turns the rate limiter on or off. */
  setRateLimits(enabled: boolean): void;
}

/** A running fake Upbit: URLs to point the client at plus test-driver controls. */
export interface FakeExchange {
  /** e.g. `http://127.0.0.1:PORT/v1`. */
  readonly restUrl: string;
  /** e.g. `ws://127.0.0.1:PORT/websocket/v1`. */
  readonly wsUrl: string;
  /** e.g. `ws://127.0.0.1:PORT/websocket/v1/private`. */
  readonly privateWsUrl: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** Replaces the synthetic (other traders') liquidity of a market; may fill our resting orders. */
  setBook(market: string, book: BookSpec): void;
  /** Prints a public trade on the tape; fills our resting orders the trade crosses. */
  trade(market: string, price: string, volume: string, takerSide: 'bid' | 'ask'): void;
  /** Sets the available balance of a currency (locked amounts are untouched). */
  setBalance(currency: string, amount: string): void;
  readonly faults: FakeExchangeFaults;
  close(): Promise<void>;
}
