import fc from 'fast-check';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryComponentStatusStore } from '../../shared/src/adapters/memory/memory-component-status-store';
import { MemoryEquityHistoryStore } from '../../shared/src/adapters/memory/memory-equity-history-store';
import { MemoryFifoQueue } from '../../shared/src/adapters/memory/memory-fifo-queue';
import { MemoryMarketDataStore } from '../../shared/src/adapters/memory/memory-market-data-store';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { QueueAlertNotifier } from '../../shared/src/adapters/sqs/queue-alert-notifier';
import { decodeControlMessage } from '../../shared/src/application/messaging/message-envelope';
import {
  DEFAULT_MONITOR_SETTINGS,
  monitorRisk,
  type RiskMonitorInput,
} from '../../shared/src/application/risk-monitor/monitor-risk';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { DEFAULT_RISK_LIMITS } from '../../shared/src/domain/risk/risk-limits';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import type { FifoQueue } from '../../shared/src/ports/decision-queue';
import type { Alert } from '../../shared/src/ports/notifier';

/**
 * Adversarial review (audit4) of the risk function's loss-limit alerts over KST day and week
 * boundaries: on any equity path, with runs doubled (schedule and fill events racing in one minute),
 * every latch set or escalation is alerted exactly once and told to the executor exactly once, and a
 * lasting breach is never alerted again minute after minute. Reference: the store's own audit trail.
 */
const SEED = 20261205;
/** Sunday 2026-11-29 23:45 KST: the run crosses the KST day and the KST week (Monday) boundaries. */
const START = Date.parse('2026-11-29T23:45:00+09:00') as EpochMs;

async function drain(queue: FifoQueue): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const batch = await queue.receive({ maxMessages: 10, waitTimeMs: 0 });
    if (batch.length === 0) return out;
    for (const m of batch) {
      out.push(m.body);
      await queue.ack(m);
    }
  }
}

/** The shipped limits, or with the instant-drop rule out of the way so daily latches (auto-released at 00:00 KST) trip. */
const LIMITS = [
  DEFAULT_RISK_LIMITS,
  { ...DEFAULT_RISK_LIMITS, loss: { ...DEFAULT_RISK_LIMITS.loss, instantDrop: new Decimal('0.5') } },
] as const;

function world(limits: (typeof LIMITS)[number]) {
  const clock = new ManualClock(START);
  const store = new MemoryStateStore();
  const equity = new MemoryEquityHistoryStore();
  const status = new MemoryComponentStatusStore();
  const controlQueue = new MemoryFifoQueue({ clock });
  const alertQueue = new MemoryFifoQueue({ clock });
  const deps = {
    store,
    equity,
    status,
    marketData: new MemoryMarketDataStore(),
    controlQueue,
    notifier: new QueueAlertNotifier(alertQueue),
    clock,
  };
  const input: RiskMonitorInput = {
    limits,
    rules: KRW_MARKET_RULES,
    settings: DEFAULT_MONITOR_SETTINGS,
    cause: 'schedule',
  };
  return { clock, store, equity, status, deps, input, controlQueue, alertQueue };
}

/** Per minute: the equity change in basis points, and whether a fill event races the scheduled run. */
const minute = fc.record({
  bp: fc.oneof(
    fc.integer({ min: -40, max: 40 }),
    fc.integer({ min: -400, max: -150 }),
    fc.integer({ min: 100, max: 300 }),
  ),
  racing: fc.boolean(),
});

describe('loss-limit alerts over KST boundaries (audit4)', () => {
  it('each latch set or escalation is alerted once and told once; no alert repeats for a lasting breach', async () => {
    let latches = 0;
    let released = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(minute, { minLength: 20, maxLength: 80 }),
        fc.boolean(),
        async (path, wide) => {
          const w = world(LIMITS[wide ? 1 : 0]);
          let value = new Decimal(10_000_000);
          const alerts: Alert[] = [];
          const commands: { kind: string; id: string }[] = [];
          for (const [i, m] of path.entries()) {
            w.clock.set(START + i * MS.minute + 5 * MS.second);
            value = value.times(new Decimal(10_000 + m.bp).div(10_000)).toDecimalPlaces(0);
            await w.status.putStatus({
              component: 'executor',
              at: w.clock.now(),
              healthy: true,
              summary: 'running',
              details: {},
            });
            await w.equity.putPoint({
              at: w.clock.now(),
              equity: krw(value),
              cash: krw(value),
              holdings: krw('0'),
              unpriced: [],
            });
            const runs = [monitorRisk(w.deps, w.input)];
            if (m.racing) runs.push(monitorRisk(w.deps, { ...w.input, cause: 'fills' }));
            for (const r of await Promise.all(runs)) expect(r.problems).toEqual([]);
            alerts.push(...(await drain(w.alertQueue)).map((b) => JSON.parse(b) as Alert));
            for (const b of await drain(w.controlQueue)) {
              const d = decodeControlMessage(b);
              if (!d.ok) throw new Error(d.reason);
              commands.push({ kind: d.message.command.kind, id: d.message.command.id });
            }
          }
          const audit = await w.store.listAudit({ limit: 10_000 });
          const changes = audit.filter(
            (a) => a.action === 'emergency_trigger' && a.details.outcome !== 'unchanged',
          );
          latches += changes.length;
          const emergencyAlerts = alerts.filter(
            (a) => a.key.startsWith('emergency:') && a.key !== 'emergency:release',
          );
          expect(emergencyAlerts).toHaveLength(changes.length);
          const stops = commands.filter((c) => c.kind === 'emergency_stop' || c.kind === 'close_all');
          expect(stops).toHaveLength(changes.length);
          expect(new Set(commands.map((c) => c.id)).size).toBe(commands.length);
          const releases = audit.filter((a) => a.action === 'emergency_release');
          released += releases.length;
          expect(alerts.filter((a) => a.key === 'emergency:release')).toHaveLength(releases.length);
          expect(commands.filter((c) => c.kind === 'release_emergency')).toHaveLength(releases.length);
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
    // Coverage: the paths did trip the stop, often.
    expect(latches).toBeGreaterThan(30);
    expect(released).toBeGreaterThan(2);
  });
});
