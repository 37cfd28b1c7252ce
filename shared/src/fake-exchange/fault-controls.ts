import type { FakeExchangeFaults, FakeExchangeOptions } from './fake-exchange-api';
import type { FaultState } from './http-server';
import type { RateLimiter } from './rate-limiter';
import type { WsHandle } from './ws-server';

/**
 * The fault-injection half of the test-driver controls: HTTP faults go into `faults` (the HTTP layer
 * reads it per request), WebSocket faults to the socket layer, limits to the limiter. Kept apart from
 * starting the server because the faults grow with the failure cases tests need, not with the wiring.
 */
export function faultControls(faults: FaultState, ws: WsHandle, limiter: RateLimiter): FakeExchangeFaults {
  return {
    setLatencyMs: (ms) => {
      faults.latencyMs = Math.max(0, ms);
    },
    failNext: (count, status = 500) => {
      faults.failCount = Math.max(0, count);
      faults.failStatus = status;
    },
    setErrorRate: (rate, status = 500) => {
      faults.errorRate = Math.min(1, Math.max(0, rate));
      faults.failStatus = status;
    },
    timeoutAfterAccept: (count) => {
      faults.holdCount = Math.max(0, count);
    },
    dropWebSockets: () => ws.dropAll(),
    dropTradeFrames: (count) => ws.dropTradeFrames(count),
    setStaleBook: (on) => {
      faults.staleBook = on;
      ws.setStaleBooks(on);
    },
    sendRawFrame: (payload) => ws.sendRaw(payload),
    setRateLimits: (limits) => limiter.configure(limits),
    current: () => ({
      latencyMs: faults.latencyMs,
      failNext: faults.failCount,
      failStatus: faults.failStatus,
      errorRate: faults.errorRate,
      timeoutAfterAccept: faults.holdCount,
      staleBook: faults.staleBook,
    }),
  };
}

/** Applies the HTTP faults configured at start (`options.faults`), as the controls would. */
export function applyStartFaults(faults: FakeExchangeFaults, options: FakeExchangeOptions): void {
  const f = options.faults;
  if (f === undefined) return;
  if (f.latencyMs !== undefined) faults.setLatencyMs(f.latencyMs);
  if (f.failNext !== undefined) faults.failNext(f.failNext, f.failStatus);
  if (f.errorRate !== undefined) faults.setErrorRate(f.errorRate, f.failStatus);
  if (f.timeoutAfterAccept !== undefined) faults.timeoutAfterAccept(f.timeoutAfterAccept);
}

/** Periodic WebSocket drops (real time); returns the stop function. */
export function startWsDrops(everyMs: number, drop: () => void): () => void {
  if (everyMs <= 0) return () => {};
  const timer = setInterval(drop, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
