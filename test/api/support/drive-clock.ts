import type { ManualClock } from '../../../shared/src/adapters/memory/manual-clock';

/** Real time a wait below may take before it gives up (a hang fails with a message, not a test timeout). */
const GIVE_UP_MS = 15_000;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Waits (on the event loop, bounded) until code under test is parked on the manual clock or `settled()`. */
export async function parked(clock: ManualClock, settled: () => boolean): Promise<void> {
  const start = performance.now();
  while (clock.pendingSleeps === 0 && !settled()) {
    if (performance.now() - start > GIVE_UP_MS)
      throw new Error('the call neither finished nor waited on the clock');
    await nextTurn();
  }
}

/** Waits (on the event loop, bounded) until `check` holds, e.g. a store write made by a call in flight. */
export async function until(check: () => Promise<boolean>): Promise<void> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > GIVE_UP_MS) throw new Error('the awaited store state never came');
    await nextTurn();
  }
}

/** Advances the clock in `stepMs` steps whenever the work waits on it, until the work settles. */
export async function drive<T>(clock: ManualClock, work: Promise<T>, stepMs: number): Promise<T> {
  let settled = false;
  const tracked = work.finally(() => {
    settled = true;
  });
  while (!settled) {
    await parked(clock, () => settled);
    if (!settled) await clock.advance(stepMs);
  }
  return tracked;
}
