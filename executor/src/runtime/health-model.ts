import type { AppConfig } from '../../../shared/src/config/config-schema';
import type { HealthSnapshot } from '../health/heartbeat';
import type { HealthReport } from '../health/ops-server';
import type { Components } from './components';

/** Market data older than this (no event at all) makes the executor unhealthy. */
const FEED_STALE_MS = 60_000;

/** What the lifecycle knows about itself, for health. */
export interface LifecycleFacts {
  readonly version: string;
  readonly startedAt: number;
  readonly dryRun: boolean;
  /** `starting`, `reconciling`, `refused` (live account unexplained), `running`, `draining`, `stopped`. */
  readonly phase: () => string;
  readonly consumerRunning: () => boolean;
  readonly decisionQueue: boolean;
  readonly lastHeartbeatOk: () => boolean;
  readonly opsPort: () => number;
}

/** GET /healthz: every check with its detail; healthy only when all pass. */
export function healthReport(c: Components, config: AppConfig, f: LifecycleFacts): HealthReport {
  const now = c.clock.now();
  const feedStats = c.feed.stats();
  const publicOpen = c.feed.connectionState('public') === 'open';
  const fresh = feedStats.lastEventAt > 0 && now - feedStats.lastEventAt < FEED_STALE_MS;
  // Markets paused because their book stopped updating (nothing is priced off a stale book).
  const staleBooks = c.feed.state
    .staleMarkets()
    .map((m) => `${m} ${Math.round((c.feed.state.bookAgeMs(m) ?? 0) / 1000)} s`);
  const checks: Record<string, { ok: boolean; detail?: string }> = {
    reconciled: { ok: c.gate.reconciled, detail: f.phase() },
    marketData: {
      ok: publicOpen && fresh && staleBooks.length === 0,
      detail: `websocket ${c.feed.connectionState('public')}, last event ${feedStats.lastEventAt === 0 ? 'never' : `${now - feedStats.lastEventAt} ms ago`}${staleBooks.length === 0 ? '' : `, stale books (paused): ${staleBooks.join(', ')}`}`,
    },
    stateStore: {
      ok: f.lastHeartbeatOk(),
      detail: f.lastHeartbeatOk() ? 'heartbeat written' : 'heartbeat write failing',
    },
    decisionConsumer: {
      ok: f.dryRun || !f.decisionQueue || c.gate.draining || f.consumerRunning() || !c.gate.reconciled,
      detail: f.dryRun
        ? 'dry run'
        : !f.decisionQueue
          ? 'no decision queue configured'
          : f.consumerRunning()
            ? 'consuming'
            : 'stopped',
    },
  };
  if (c.ports.privateChannel)
    checks.orderEvents = {
      ok: c.feed.connectionState('private') === 'open',
      detail: `websocket ${c.feed.connectionState('private')}`,
    };
  const healthy = Object.values(checks).every((x) => x.ok);
  return {
    status: healthy ? 'healthy' : 'unhealthy',
    reconciled: c.gate.reconciled,
    draining: c.gate.draining,
    mode: config.mode,
    exchange: config.exchange,
    version: f.version,
    startedAt: f.startedAt,
    checks,
  };
}

/** The heartbeat's status: healthy, a one-word summary and the details the dashboard shows. */
export function heartbeatSnapshot(c: Components, config: AppConfig, f: LifecycleFacts): HealthSnapshot {
  const report = healthReport(c, config, f);
  const latch = c.gate.latchState;
  const phase = f.phase();
  const failing = Object.entries(report.checks)
    .filter(([, v]) => !v.ok)
    .map(([k, v]) => `${k} (${v.detail ?? 'failing'})`);
  const state = latch === 'halted' ? 'halted' : latch === 'reducing' ? 'reducing' : phase;
  // The risk function alerts with this text when unhealthy: say what is wrong, not just the phase.
  const summary = failing.length === 0 ? state : `${state}; failing: ${failing.join(', ')}`;
  const lastDecisionAt = c.lastDecisionAt();
  return {
    healthy: report.status === 'healthy',
    summary,
    details: {
      mode: config.mode,
      exchange: config.exchange,
      venue: c.ports.venueKind,
      reconciled: c.gate.reconciled,
      draining: c.gate.draining,
      openOrders: c.tracker.active().length,
      plans: c.engine.active().length,
      ws: { public: c.feed.connectionState('public'), private: c.feed.connectionState('private') },
      lastDecisionAt: lastDecisionAt ?? null,
      latch: latch ?? null,
      version: f.version,
      startedAt: f.startedAt,
      opsPort: f.opsPort(),
      markets: [...config.markets],
      failing: Object.entries(report.checks)
        .filter(([, v]) => !v.ok)
        .map(([k]) => k),
      phase,
    },
  };
}

/** Prometheus families read at scrape time (stream counters, open orders, loop lag, memory). */
export function registerCollected(c: Components): void {
  const r = c.registry;
  const stream = () => c.ports.stream.counters();
  r.collected(
    'qts_executor_ws_reconnects_total',
    'WebSocket reconnects (public + private).',
    'counter',
    () => [{ labels: {}, value: stream().reconnects }],
  );
  r.collected(
    'qts_executor_ws_decode_errors_total',
    'WebSocket frames that could not be decoded.',
    'counter',
    () => [{ labels: {}, value: stream().framesRejected }],
  );
  r.collected('qts_executor_ws_frames_total', 'WebSocket frames received.', 'counter', () => [
    { labels: {}, value: stream().framesReceived },
  ]);
  r.collected('qts_executor_open_orders', 'Orders not yet final.', 'gauge', () => [
    { labels: {}, value: c.tracker.active().length },
  ]);
  r.collected('qts_executor_reconciled', '1 once reconciliation succeeded.', 'gauge', () => [
    { labels: {}, value: c.gate.reconciled ? 1 : 0 },
  ]);
  r.collected(
    'qts_executor_latch_state',
    'Emergency latch: 0 running, 1 reducing, 2 halted.',
    'gauge',
    () => [
      { labels: {}, value: c.gate.latchState === 'halted' ? 2 : c.gate.latchState === 'reducing' ? 1 : 0 },
    ],
  );
  r.collected(
    'qts_executor_event_loop_lag_seconds',
    'Event-loop delay since the previous scrape.',
    'gauge',
    () => {
      const lag = c.loopLag.read();
      return [
        { labels: { quantile: 'mean' }, value: lag.meanSeconds },
        { labels: { quantile: '0.99' }, value: lag.p99Seconds },
        { labels: { quantile: 'max' }, value: lag.maxSeconds },
      ];
    },
  );
  r.collected('qts_executor_resident_memory_bytes', 'Resident set size of the process.', 'gauge', () => [
    { labels: {}, value: process.memoryUsage().rss },
  ]);
  // A leak of sockets, timers or file handles shows here long before it shows in memory.
  r.collected(
    'qts_executor_active_resources',
    'Resources keeping the event loop alive (sockets, timers, file handles), by type.',
    'gauge',
    () => {
      const counts = new Map<string, number>();
      for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
      return [...counts].map(([type, value]) => ({ labels: { type }, value }));
    },
  );
}
