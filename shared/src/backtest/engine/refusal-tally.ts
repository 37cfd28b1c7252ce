import type { RefusalCounter } from './order-router';

/**
 * The engine's refusal counts as the router's {@link RefusalCounter}: a class, so the router's call
 * is the same prototype method in every run. A closure made per engine was a new call target in each
 * later run of an optimizer worker, which threw away the router's optimised decision code.
 */
export class RefusalTally implements RefusalCounter {
  constructor(private readonly counts: Map<string, number>) {}

  count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}
