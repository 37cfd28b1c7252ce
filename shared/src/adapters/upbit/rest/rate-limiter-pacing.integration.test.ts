import fc from 'fast-check';
import { ManualClock } from '../../memory/manual-clock';
import { UpbitRateLimiter } from './rate-limiter';

// Pacing against a simulated Upbit: fixed one-second windows of a phase the client cannot see, network
// delays, many callers; all on a manual clock (a few seconds of CPU, hence the integration tier).

async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await Promise.resolve();
}

/** Advances a manual clock in 1 ms steps so every chain of callbacks runs at its own instant. */
async function run(clock: ManualClock, ms: number): Promise<void> {
  for (let i = 0; i < ms; i++) {
    await clock.advance(1);
    await settle();
  }
}

const header = (group: string, sec: number) => `group=${group}; min=1800; sec=${sec}`;

/**
 * A server counting `order` calls in fixed one-second windows starting at `phase` (unknown to the client),
 * `callers` workers sending orders back to back, each way delayed by `latency()` ms.
 */
async function simulate(
  limiter: UpbitRateLimiter,
  clock: ManualClock,
  o: { phase: number; latency: () => number; callers: number; durationMs: number },
): Promise<{ accepted: number; refused: number; perWindow: number[] }> {
  const used = new Map<number, number>();
  let accepted = 0;
  let refused = 0;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const ticket = await limiter.acquire('order');
      await clock.sleep(o.latency());
      const w = Math.floor((clock.now() - o.phase) / 1_000);
      const n = (used.get(w) ?? 0) + 1;
      used.set(w, n);
      const ok = n <= 12;
      if (ok) accepted++;
      else refused++;
      await clock.sleep(o.latency());
      limiter.observe('order', ok ? 201 : 429, header('order', Math.max(0, 12 - n)), undefined, ticket);
    }
  };
  const workers = Array.from({ length: o.callers }, worker);
  await run(clock, o.durationMs);
  stop = true;
  void workers;
  return { accepted, refused, perWindow: [...used.values()] };
}

describe('UpbitRateLimiter pacing against simulated server windows', () => {
  it('paces a group at its documented rate: ≥ 10.9 orders/s, never more than 12 in one server window', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    const result = await simulate(limiter, clock, {
      phase: 0,
      latency: () => 2,
      callers: 40,
      durationMs: 5_500,
    });
    expect(result.refused).toBe(0);
    expect(Math.max(...result.perWindow)).toBe(12);
    // 12 per 1,100 ms of sends: 60 in 5.5 s.
    expect(result.accepted).toBeGreaterThanOrEqual(60);
  });

  it('one caller with a slow link still gets 12 per 1.1 s: answers in one window keep its first end', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    // 30 ms each way: the 12th answer (sec=0) comes at 720 ms; its window began with the first call.
    const result = await simulate(limiter, clock, {
      phase: 0,
      latency: () => 30,
      callers: 1,
      durationMs: 3_300,
    });
    expect(result.refused).toBe(0);
    expect(result.accepted).toBeGreaterThanOrEqual(33);
  });

  it('never earns a 429 whatever the server window phase and the network delay (jitter < guard)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer(),
        async (phase, base, jitter, callers, seed) => {
          const clock = new ManualClock(0);
          const limiter = new UpbitRateLimiter({ clock });
          let x = seed >>> 0;
          const latency = () => {
            x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
            return base + (x % (jitter + 1));
          };
          const result = await simulate(limiter, clock, { phase, latency, callers, durationMs: 3_500 });
          expect(result.refused).toBe(0);
          if (callers >= 12 && base + jitter <= 50) expect(result.accepted).toBeGreaterThanOrEqual(33);
        },
      ),
      { numRuns: 12 },
    );
  });
});
