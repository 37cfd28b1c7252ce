import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Event-loop delay of this process (Node's own histogram, 20 ms resolution): a busy loop delays every
 * order and every heartbeat, so it is exported as a metric. `read` returns the mean and p99 in seconds
 * since the previous read and starts a new window.
 */
export class EventLoopLag {
  readonly #histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });

  start(): void {
    this.#histogram.enable();
  }

  stop(): void {
    this.#histogram.disable();
  }

  read(): { readonly meanSeconds: number; readonly p99Seconds: number; readonly maxSeconds: number } {
    const h = this.#histogram;
    const out = {
      meanSeconds: Number.isFinite(h.mean) ? h.mean / 1e9 : 0,
      p99Seconds: h.percentile(99) / 1e9,
      maxSeconds: h.max / 1e9,
    };
    h.reset();
    return out;
  }
}
