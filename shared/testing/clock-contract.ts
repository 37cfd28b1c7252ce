import type { Clock } from '../src/ports/clock';

/** How a contract test moves a clock: real clocks just wait, manual clocks advance. */
export interface ClockHarness {
  readonly clock: Clock;
  /** Lets `ms` of the clock's time pass. */
  pass(ms: number): Promise<void>;
}

/** Behaviour every Clock adapter must have; run against SystemClock and ManualClock. */
export function describeClockContract(name: string, make: () => ClockHarness): void {
  describe(`Clock contract: ${name}`, () => {
    it('returns integer epoch milliseconds that never go backwards', async () => {
      const { clock, pass } = make();
      const a = clock.now();
      await pass(10);
      const b = clock.now();
      expect(Number.isInteger(a)).toBe(true);
      // One millisecond of slack: real timers are rounded to whole milliseconds.
      expect(b).toBeGreaterThanOrEqual(a + 9);
    });

    it('resolves sleep only after the time has passed', async () => {
      const { clock, pass } = make();
      const start = clock.now();
      let woke = false;
      const sleeping = clock.sleep(20).then(() => {
        woke = true;
      });
      await pass(25);
      await sleeping;
      expect(woke).toBe(true);
      expect(clock.now() - start).toBeGreaterThanOrEqual(19);
    });

    it('rejects a sleep when its signal aborts', async () => {
      const { clock } = make();
      const controller = new AbortController();
      const sleeping = clock.sleep(60_000, controller.signal);
      controller.abort(new Error('shutdown'));
      await expect(sleeping).rejects.toThrow('shutdown');
    });

    it('rejects at once for an already aborted signal', async () => {
      const { clock } = make();
      await expect(clock.sleep(10, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    });
  });
}
