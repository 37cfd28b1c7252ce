import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '../../application/api/http-types';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';

/** A client this far behind (bytes queued) is cut off rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1_000_000;

/** Options of {@link LiveUpdateHub}. */
export interface LiveUpdateHubOptions {
  /** Builds the update every client receives (the application's live snapshot). */
  readonly snapshot: () => Promise<unknown>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often an update is published while clients are connected. */
  readonly intervalMs: number;
}

/**
 * Server-Sent Events for the dashboard: every connected client gets an `update` event with the
 * live snapshot every `intervalMs` and at once after a mutation (`kick`), so numbers move without
 * reloads. Snapshots are built once per round for all clients, never per client, and not at all
 * while nobody is connected. Slow clients are dropped, never buffered without bound.
 */
export class LiveUpdateHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly stop = new AbortController();
  private running: Promise<void> | undefined;
  private publishing: Promise<void> | undefined;
  private again = false;

  constructor(private readonly options: LiveUpdateHubOptions) {}

  /** Connected clients (for health output and tests). */
  get size(): number {
    return this.clients.size;
  }

  /** Starts the publishing loop. */
  start(): void {
    this.running ??= this.loop();
  }

  /** Takes over an authorised request's response as an event stream and sends a first update. */
  add(res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 3000\n\n`);
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    this.kick();
  }

  /** Publishes an update now (after a mutation); coalesces with one already being built. */
  kick(): void {
    if (this.publishing !== undefined) {
      this.again = true;
      return;
    }
    this.publishing = this.publish().finally(() => {
      this.publishing = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Stops publishing and ends every stream (the browser reconnects to the next server). */
  async close(): Promise<void> {
    this.stop.abort();
    await this.running;
    await this.publishing;
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private async loop(): Promise<void> {
    const { signal } = this.stop;
    while (!signal.aborted) {
      try {
        await this.options.clock.sleep(this.options.intervalMs, signal);
      } catch {
        return;
      }
      this.kick();
    }
  }

  private async publish(): Promise<void> {
    if (this.clients.size === 0) return;
    let data: string;
    try {
      data = JSON.stringify(await this.options.snapshot());
    } catch (error) {
      this.options.logger.warn('live update not built', {
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    const frame = `event: update\ndata: ${data}\n\n`;
    for (const res of this.clients) {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        this.options.logger.warn('live update client too slow: disconnected');
        res.destroy();
        this.clients.delete(res);
        continue;
      }
      res.write(frame);
    }
  }
}
