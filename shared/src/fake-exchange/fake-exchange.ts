import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SystemClock } from './clocks';
import { FakeExchangeCore } from './exchange-core';
import { exchangeRoutes } from './exchange-routes';
import type { BookSpec, FakeExchange, FakeExchangeOptions } from './fake-exchange-api';
import { FaultState, handleHttp } from './http-server';
import { JwtVerifier } from './jwt-verifier';
import { type MarketDriver, startMarketDriver } from './market-driver';
import { quotationRoutes } from './quotation-routes';
import { RateLimiter } from './rate-limiter';
import { loadState, saveState } from './state-file';
import { attachWebSocketServer } from './ws-server';

export type { BookSpec, FakeExchange, FakeExchangeFaults, FakeExchangeOptions } from './fake-exchange-api';

/** Markets listed when none are configured. */
export const DEFAULT_MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-ADA', 'KRW-SOL'] as const;
/** Documented default keys (docs/fake-exchange.md); 40 characters like real Upbit keys. Never real credentials. */
export const DEFAULT_ACCESS_KEY = 'SIMaccessKEY0000000000000000000000000001';
/** See {@link DEFAULT_ACCESS_KEY}. */
export const DEFAULT_SECRET_KEY = 'SIMsecretKEY0000000000000000000000000002';

/**
 * Starts the fake Upbit exchange (REST under `/v1`, WebSocket at `/websocket/v1[/private]`) on a local
 * port and returns its URLs plus test-driver controls. Without a `clock` it runs on wall time and moves
 * the market by itself; with a manual clock the market only moves when a test drives it.
 */
export async function startFakeExchange(options: FakeExchangeOptions = {}): Promise<FakeExchange> {
  const clock = options.clock ?? new SystemClock();
  const accessKey = options.accessKey ?? DEFAULT_ACCESS_KEY;
  const secretKey = options.secretKey ?? DEFAULT_SECRET_KEY;
  const seed = options.seed ?? 1;
  const core = new FakeExchangeCore({
    markets: options.markets ?? DEFAULT_MARKETS,
    seed,
    clock,
    speed: options.speed ?? 1,
  });
  const restored = options.statePath === undefined ? false : await loadState(core, options.statePath);
  if (!restored)
    for (const [currency, amount] of Object.entries(options.balances ?? { KRW: '10000000' }))
      core.setBalance(currency, amount);
  const faults = new FaultState();
  const limiter = new RateLimiter(options.rateLimits ?? true);
  const verifier = new JwtVerifier(new Map([[accessKey, secretKey]]));
  const autoMarket = options.autoMarket ?? options.clock === undefined;
  const driver: MarketDriver | undefined = autoMarket
    ? await startMarketDriver(core, clock, {
        seed,
        ...(options.dataPath === undefined ? {} : { dataPath: options.dataPath }),
      })
    : undefined;
  const routes = [...quotationRoutes(core), ...exchangeRoutes(core)];
  const server: Server = createServer((req, res) => {
    handleHttp(
      {
        core,
        verifier,
        limiter,
        faults,
        routes,
        rateNow: () => Date.now(),
        beforeRequest: () => driver?.catchUp(),
      },
      req,
      res,
    ).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
  });
  const ws = attachWebSocketServer(server, {
    core,
    verifier,
    idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
  });
  let saveTimer: NodeJS.Timeout | undefined;
  let unsubscribeSave: (() => void) | undefined;
  if (options.statePath !== undefined) {
    const path = options.statePath;
    unsubscribeSave = core.onEvent(({ event }) => {
      if (event.type !== 'order' && event.type !== 'asset') return;
      if (saveTimer === undefined)
        saveTimer = setTimeout(() => {
          saveTimer = undefined;
          void saveState(core, path);
        }, 200);
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = `${hostText}:${address.port}`;
  let closed = false;
  return {
    restUrl: `http://${base}/v1`,
    wsUrl: `ws://${base}/websocket/v1`,
    privateWsUrl: `ws://${base}/websocket/v1/private`,
    accessKey,
    secretKey,
    setBook: (market: string, book: BookSpec) => core.setBook(market, book),
    trade: (market, p, v, takerSide) => core.trade(market, p, v, takerSide),
    setBalance: (currency, amount) => core.setBalance(currency, amount),
    faults: {
      setLatencyMs: (ms) => {
        faults.latencyMs = Math.max(0, ms);
      },
      failNext: (count, status = 500) => {
        faults.failCount = count;
        faults.failStatus = status;
      },
      timeoutAfterAccept: (count) => {
        faults.holdCount = count;
      },
      dropWebSockets: () => ws.dropAll(),
      setRateLimits: (enabled) => limiter.setEnabled(enabled),
    },
    close: async () => {
      if (closed) return;
      closed = true;
      driver?.stop();
      unsubscribeSave?.();
      if (saveTimer !== undefined) clearTimeout(saveTimer);
      if (options.statePath !== undefined) await saveState(core, options.statePath);
      for (const res of faults.held) res.destroy();
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
