import type { Clock } from '../../../ports/clock';
import type { MarketDataStreamEvent, StreamSubscription } from '../../../ports/market-data-stream';

function keysOf(subscription: StreamSubscription): Set<string> {
  const keys = new Set<string>();
  for (const m of subscription.ticker ?? []) keys.add(`ticker:${m}`);
  for (const m of subscription.trade ?? []) keys.add(`trade:${m}`);
  for (const m of subscription.orderbook?.markets ?? []) keys.add(`orderbook:${m}`);
  for (const m of subscription.candle?.markets ?? []) keys.add(`candle:${m}`);
  return keys;
}

function keyOf(event: MarketDataStreamEvent): string | undefined {
  switch (event.type) {
    case 'ticker':
      return `ticker:${event.ticker.market}`;
    case 'trade':
      return `trade:${event.trade.market}`;
    case 'orderbook':
      return `orderbook:${event.book.market}`;
    case 'candle':
      return `candle:${event.candle.market}`;
    default:
      return undefined;
  }
}

/**
 * Detects subscribed public streams that never deliver. Upbit silently ignores unknown or lower-case
 * codes and sends no acknowledgement (PROTOCOL.md §7.2), so the only sign of a bad code is silence:
 * after each (re)subscription every `type:market` pair must produce a frame within the timeout, or the
 * owner is told which ones did not.
 */
export class SnapshotWatch {
  #pending = new Set<string>();
  #timer: AbortController | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly onMissing: (missing: readonly string[]) => void,
  ) {}

  /** Starts waiting for the first frame of every pair of `subscription` (replacing any earlier wait). */
  arm(subscription: StreamSubscription): void {
    this.stop();
    this.#pending = keysOf(subscription);
    if (this.timeoutMs <= 0 || this.#pending.size === 0) return;
    const timer = new AbortController();
    this.#timer = timer;
    this.clock.sleep(this.timeoutMs, timer.signal).then(
      () => {
        if (this.#timer !== timer) return;
        this.#timer = undefined;
        if (this.#pending.size > 0) this.onMissing([...this.#pending].sort());
      },
      () => {},
    );
  }

  /** Marks the pair of a data event as delivered. */
  seen(event: MarketDataStreamEvent): void {
    if (this.#pending.size === 0) return;
    const key = keyOf(event);
    if (key !== undefined) this.#pending.delete(key);
  }

  /** Cancels the current wait. */
  stop(): void {
    this.#timer?.abort();
    this.#timer = undefined;
  }
}
