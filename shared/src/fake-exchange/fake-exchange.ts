import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SystemClock } from '../adapters/system/system-clock';
import type { TimeWindow } from '../backtest/data/candle-files';
import type { EpochMs } from '../domain/time/epoch';
import { controlApi } from './control-api';
import { FakeExchangeCore } from './exchange-core';
import { exchangeRoutes } from './exchange-routes';
import type { BookSpec, FakeExchange, FakeExchangeControls, FakeExchangeOptions } from './fake-exchange-api';
import { applyStartFaults, faultControls, startWsDrops } from './fault-controls';
import { FaultState, handleHttp, internalError } from './http-server';
import { JwtVerifier } from './jwt-verifier';
import { type MarketDriver, startMarketDriver, stepMsFor } from './market-driver';
import { seedMarketHistory } from './market-history';
import { quotationRoutes } from './quotation-routes';
import { RateLimiter } from './rate-limiter';
import { loadReplayData, type ReplaySeries } from './replay-data';
import { loadState, saveState } from './state-file';
import { startTapeDriver } from './tape-driver';
import { openTapeReplay } from './tape-replay';
import { attachWebSocketServer } from './ws-server';

export type {
  BookSpec,
  FakeExchange,
  FakeExchangeControls,
  FakeExchangeFaults,
  FakeExchangeOptions,
  FaultSettings,
} from './fake-exchange-api';

/** Markets listed when none are configured. */
export const DEFAULT_MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-ADA', 'KRW-SOL'] as const;
/** Documented default keys (fake-exchange README); 40 characters like real Upbit keys. Never real credentials. */
export const DEFAULT_ACCESS_KEY = 'SIMaccessKEY0000000000000000000000000001';
/** See {@link DEFAULT_ACCESS_KEY}. */
export const DEFAULT_SECRET_KEY = 'SIMsecretKEY0000000000000000000000000002';
/** Starting balances of a fresh sim: enough KRW to trade at once. */
export const DEFAULT_BALANCES: Readonly<Record<string, string>> = { KRW: '10000000' };

/**
 * Starts the fake Upbit exchange (REST under `/v1`, WebSocket at `/websocket/v1[/private]`, optional
 * control API under `/_sim`) on a local port and returns its URLs plus test-driver controls. Without a
 * `clock` it runs on wall time and the market moves by itself; with a clock the market only moves when
 * asked (`autoMarket`, then steps follow the clock's `sleep`).
 */
export async function startFakeExchange(options: FakeExchangeOptions = {}): Promise<FakeExchange> {
  const clock = options.clock ?? new SystemClock();
  const rateClock = options.rateClock ?? new SystemClock();
  const seed = options.seed ?? 1;
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new RangeError(`speed must be positive, got ${speed}`);
  if (options.dataPath !== undefined && options.tapePath !== undefined)
    throw new RangeError('replay either candles (dataPath) or a tape (tapePath), not both');
  const tape =
    options.tapePath === undefined
      ? undefined
      : openTapeReplay(options.tapePath, options.markets ?? [], tapeWindowOf(options.tapeWindow));
  const replay: ReplaySeries[] | undefined =
    options.dataPath === undefined ? undefined : loadReplayData(options.dataPath, options.markets ?? []);
  const replayStart =
    tape?.startAt ??
    (replay === undefined ? undefined : Math.min(...replay.map((r) => r.bars[0]?.openTime ?? 0)));
  const core = new FakeExchangeCore({
    markets: tape?.markets ?? replay?.map((r) => r.market) ?? options.markets ?? DEFAULT_MARKETS,
    seed,
    clock,
    speed,
    tapeQueue: tape !== undefined,
    ...(replayStart === undefined ? {} : { startAt: replayStart }),
  });
  const restored = options.statePath === undefined ? false : await loadState(core, options.statePath);
  if (!restored)
    for (const [currency, amount] of Object.entries(options.balances ?? DEFAULT_BALANCES))
      core.setBalance(currency, amount);
  const faults = new FaultState(seed);
  const limiter = new RateLimiter(options.rateLimits ?? true, options.banAfter429s ?? 0, options.banMs);
  const accessKey = options.accessKey ?? DEFAULT_ACCESS_KEY;
  const secretKey = options.secretKey ?? DEFAULT_SECRET_KEY;
  const verifier = new JwtVerifier(new Map([[accessKey, secretKey]]));
  const onError =
    options.onError ??
    ((e: unknown) => process.stderr.write(`fake exchange: ${e instanceof Error ? e.stack : String(e)}\n`));
  const autoMarket = options.autoMarket ?? options.clock === undefined;
  const history = tape === undefined ? (options.history ?? autoMarket) : false;
  if (history !== false)
    seedMarketHistory(core, {
      seed,
      stepMs: stepMsFor(speed),
      ...(history === true ? {} : { shape: history }),
      ...(replay === undefined ? {} : { replay }),
      ...(options.startPrices === undefined ? {} : { startPrices: options.startPrices }),
    });
  const driver: MarketDriver | undefined = tape
    ? startTapeDriver(core, clock, tape, {
        speed,
        onError,
        ...(options.onTapeEnd === undefined ? {} : { onEnd: options.onTapeEnd }),
      })
    : autoMarket
      ? startMarketDriver(core, clock, {
          seed,
          speed,
          onError,
          ...(replay === undefined ? {} : { replay }),
          ...(options.startPrices === undefined ? {} : { startPrices: options.startPrices }),
        })
      : undefined;

  const server: Server = createServer();
  const ws = attachWebSocketServer(server, {
    core,
    verifier,
    idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
    limiter,
    rateNow: () => rateClock.now(),
  });
  const controls: FakeExchangeControls = {
    setBook: (market: string, book: BookSpec) => core.setBook(market, book),
    trade: (market, p, v, takerSide) => core.trade(market, p, v, takerSide),
    setBalance: (currency, amount) => core.setBalance(currency, amount),
    stepMarket: () => driver?.catchUp(),
    now: () => core.now(),
    websocketStats: () => ws.stats(),
    faults: faultControls(faults, ws, limiter),
  };
  applyStartFaults(controls.faults, options);
  const control =
    options.controlApi === true
      ? controlApi(controls, () => ({
          seed,
          speed,
          markets: core.engine.markets(),
          rateLimits: limiter.describe(),
        }))
      : undefined;
  const routes = [...quotationRoutes(core), ...exchangeRoutes(core)];
  server.on('request', (req, res) => {
    handleHttp(
      {
        core,
        verifier,
        limiter,
        faults,
        routes,
        rateNow: () => rateClock.now(),
        beforeRequest: () => driver?.catchUp(),
        ...(control === undefined ? {} : { control }),
      },
      req,
      res,
    ).catch((e: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const text = JSON.stringify(internalError(e));
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(text);
    });
  });

  const stopDrops = startWsDrops(options.faults?.dropWebSocketsEveryMs ?? 0, () => ws.dropAll());
  const stopSaving = options.statePath === undefined ? undefined : autosave(core, options.statePath, onError);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    // Nothing may keep running after a failed start (a live market loop would keep the process alive).
    driver?.stop();
    stopDrops();
    stopSaving?.();
    await ws.close();
    throw listenError(error, options.host ?? '127.0.0.1', options.port ?? 0);
  }
  const address = server.address() as AddressInfo;
  const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = `${hostText}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    restUrl: `http://${base}/v1`,
    wsUrl: `ws://${base}/websocket/v1`,
    privateWsUrl: `ws://${base}/websocket/v1/private`,
    controlUrl: control === undefined ? undefined : `http://${base}/_sim`,
    port: address.port,
    accessKey,
    secretKey,
    markets: core.engine.markets(),
    controls,
    close: () => {
      closing ??= (async () => {
        driver?.stop();
        stopDrops();
        stopSaving?.();
        try {
          if (options.statePath !== undefined) await saveState(core, options.statePath);
        } finally {
          for (const res of faults.held) res.destroy();
          await ws.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
      })();
      return closing;
    },
  };
}

function tapeWindowOf(w: FakeExchangeOptions['tapeWindow']): TimeWindow {
  return {
    ...(w?.from === undefined ? {} : { from: w.from as EpochMs }),
    ...(w?.to === undefined ? {} : { to: w.to as EpochMs }),
  };
}

/** A listen failure with the fix in its message (`EADDRINUSE` → pick another port or `--port 0`). */
function listenError(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return Object.assign(
      new Error(
        `port ${port} on ${host} is already in use (another sim?). Stop that process, or pick another ` +
          'port: --port 0 takes any free one and prints it.',
      ),
      { code },
    );
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL')
    return Object.assign(
      new Error(`cannot listen on ${host}:${port} (${code}); try --host 127.0.0.1 --port 0`),
      {
        code,
      },
    );
  return error instanceof Error ? error : new Error(String(error));
}

/** Saves the account 200 ms after any order or balance change; returns the stop function. */
function autosave(core: FakeExchangeCore, path: string, onError: (e: unknown) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe = core.onEvent(({ event }) => {
    if ((event.type !== 'order' && event.type !== 'asset') || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      saveState(core, path).catch(onError);
    }, 200);
  });
  return () => {
    unsubscribe();
    if (timer !== undefined) clearTimeout(timer);
  };
}
