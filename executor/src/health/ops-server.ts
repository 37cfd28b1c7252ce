import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The JSON `GET /healthz` answers (200 when `status` is `healthy`, else 503 with the same shape). */
export interface HealthReport {
  readonly status: 'healthy' | 'unhealthy';
  readonly reconciled: boolean;
  readonly draining: boolean;
  readonly mode: 'paper' | 'live';
  readonly exchange: 'upbit' | 'sim';
  readonly version: string;
  readonly startedAt: number;
  readonly checks: Readonly<Record<string, { readonly ok: boolean; readonly detail?: string }>>;
}

/** What the ops server serves. */
export interface OpsHandlers {
  readonly health: () => HealthReport;
  readonly metrics: () => string;
  /** Stops taking decisions and finishes in-flight work; resolves true when drained in time. */
  readonly drain: () => Promise<{ readonly drained: boolean; readonly reason?: string }>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`);
}

async function route(h: OpsHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') {
    const report = h.health();
    return json(res, report.status === 'healthy' ? 200 : 503, report);
  }
  if (req.method === 'GET' && path === '/metrics')
    return send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', h.metrics());
  if (req.method === 'POST' && path === '/drain') {
    const result = await h.drain();
    return json(res, result.drained ? 200 : 503, result);
  }
  if (path === '/healthz' || path === '/metrics' || path === '/drain')
    return json(res, 405, { error: `method ${req.method} not allowed on ${path}` });
  return json(res, 404, { error: `no route ${path}; try GET /healthz, GET /metrics, POST /drain` });
}

/**
 * The executor's local operations endpoint: `GET /healthz`, `GET /metrics` (Prometheus text) and
 * `POST /drain`, bound to 127.0.0.1 only (the VM's firewall and systemd never expose it; a reverse
 * proxy or an SSH tunnel reads it). Port 0 picks a free port, reported by `port`.
 */
export class OpsServer {
  readonly #server: Server;
  #port = 0;

  constructor(handlers: OpsHandlers) {
    this.#server = createServer((req, res) => {
      route(handlers, req, res).catch((error: unknown) =>
        json(res, 500, { error: error instanceof Error ? error.message : String(error) }),
      );
    });
    this.#server.keepAliveTimeout = 5_000;
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    return this.#port;
  }

  get port(): number {
    return this.#port;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
