import fc from 'fast-check';
import { DEFAULT_WS_TIMINGS, reconnectDelayMs } from '../../shared/src/adapters/upbit/ws/ws-timings';

describe('WebSocket keep-alive and reconnect timings', () => {
  it('pings well inside the ~60 s idle drop observed on Upbit and declares silence dead by 60 s', () => {
    expect(DEFAULT_WS_TIMINGS.pingIntervalMs).toBeLessThanOrEqual(25_000);
    expect(DEFAULT_WS_TIMINGS.pingIntervalMs + DEFAULT_WS_TIMINGS.pongTimeoutMs).toBeLessThan(60_000);
    expect(DEFAULT_WS_TIMINGS.silenceTimeoutMs).toBeLessThanOrEqual(60_000);
  });

  it('jitters every reconnect delay between half and all of a capped exponential', () => {
    fc.assert(
      fc.property(fc.nat(100), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const exp = Math.min(
          DEFAULT_WS_TIMINGS.reconnectMaxMs,
          DEFAULT_WS_TIMINGS.reconnectBaseMs * 2 ** Math.min(attempt, 30),
        );
        const delay = reconnectDelayMs(attempt, DEFAULT_WS_TIMINGS, () => r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(exp / 2));
        expect(delay).toBeLessThanOrEqual(exp);
      }),
    );
  });

  it('spreads clients that lost the same server over time instead of reconnecting in lock-step', () => {
    const delays = new Set(
      [0, 0.25, 0.5, 0.75, 0.99].map((r) => reconnectDelayMs(4, DEFAULT_WS_TIMINGS, () => r)),
    );
    expect(delays.size).toBe(5);
  });
});
