import type { Clock } from '../../../ports/clock';

/**
 * Extra spacing on top of the windows: two sends exactly a window apart can arrive closer than that
 * when the first was delayed more on the way, and the server counts arrivals.
 */
const JITTER_MARGIN_MS = 50;

/**
 * Sliding-window limiter for WebSocket request messages (Upbit: 5/s and 100/min per connection; no
 * header reports them, so the client must hold itself back). Returns how long to wait before the next
 * message may go; records a send with {@link record}.
 */
export class MessageThrottle {
  readonly #sent: number[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly perSecond: number,
    private readonly perMinute: number,
  ) {}

  /** Ms until one more message fits in both windows (0 = now). */
  waitMs(): number {
    const now = this.clock.now();
    const minute = 60_000 + JITTER_MARGIN_MS;
    const second = 1_000 + JITTER_MARGIN_MS;
    while (this.#sent.length > 0 && (this.#sent[0] ?? 0) <= now - minute) this.#sent.shift();
    let wait = 0;
    if (this.#sent.length >= this.perMinute)
      wait = (this.#sent[this.#sent.length - this.perMinute] ?? now) + minute - now;
    const inLastSecond = this.#sent.filter((t) => t > now - second);
    if (inLastSecond.length >= this.perSecond)
      wait = Math.max(wait, (inLastSecond[inLastSecond.length - this.perSecond] ?? now) + second - now);
    return Math.max(0, wait);
  }

  /** Notes that a message was sent now. */
  record(): void {
    this.#sent.push(this.clock.now());
  }
}
