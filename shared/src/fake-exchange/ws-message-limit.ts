import type { UpbitRateLimit } from '../domain/market/upbit-rate-limits';

/**
 * Upbit's `websocket-message` limit for one connection (5/s and 100/min, PROTOCOL.md §3): no header
 * reports it, so the fake must enforce it or a client that floods subscriptions would pass every test
 * and fail on Upbit. Sliding windows, because a client that keeps inside them keeps inside any fixed one.
 */
export class ConnectionMessageLimit {
  readonly #sent: number[] = [];

  constructor(private readonly rule: () => { readonly enforced: boolean; readonly rule: UpbitRateLimit }) {}

  /** Counts one request message at `now` (ms); false when it is over the limit (the server refuses it). */
  allow(now: number): boolean {
    const { enforced, rule } = this.rule();
    const minuteAgo = now - 60_000;
    while (this.#sent.length > 0 && (this.#sent[0] ?? 0) <= minuteAgo) this.#sent.shift();
    this.#sent.push(now);
    if (!enforced) return true;
    let inWindow = 0;
    for (const t of this.#sent) if (t > now - rule.windowMs) inWindow += 1;
    return inWindow <= rule.limit && (rule.perMinute === undefined || this.#sent.length <= rule.perMinute);
  }
}
