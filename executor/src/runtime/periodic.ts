import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';

/**
 * Runs `task` every `everyMs` of the clock until `signal` aborts, never overlapping itself; a failing
 * run is logged and the schedule goes on (a periodic job must not die of one bad minute). Resolves
 * when the loop has ended.
 */
export async function runEvery(
  name: string,
  everyMs: number,
  task: () => Promise<void>,
  deps: { readonly clock: Clock; readonly logger: Logger; readonly signal: AbortSignal },
  options: { readonly immediately?: boolean } = {},
): Promise<void> {
  let first = options.immediately ?? false;
  while (!deps.signal.aborted) {
    if (!first) {
      try {
        await deps.clock.sleep(everyMs, deps.signal);
      } catch {
        return;
      }
    }
    first = false;
    try {
      await task();
    } catch (error) {
      deps.logger.warn(`${name} failed; next run in ${everyMs} ms`, { error: describeError(error) });
    }
  }
}

/** One line for logs: kind and code for TradingErrors, name and message otherwise. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const e = error as Error & { kind?: string; code?: string };
    return e.kind !== undefined && e.code !== undefined
      ? `${e.kind} ${e.code}: ${e.message}`
      : `${e.name}: ${e.message}`;
  }
  return String(error);
}

/** Resolves after `ms` on the clock, or at once (without throwing) when `signal` aborts. */
export async function pause(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await clock.sleep(ms, signal);
  } catch {
    // aborted: the caller checks its signal
  }
}
