import { flatCandle } from '../../../testing/flat-candle';
import { ManualClock } from '../../adapters/memory/manual-clock';
import { MemoryComponentStatusStore } from '../../adapters/memory/memory-component-status-store';
import { MemoryEquityHistoryStore } from '../../adapters/memory/memory-equity-history-store';
import { MemoryFifoQueue } from '../../adapters/memory/memory-fifo-queue';
import { MemoryMarketDataStore } from '../../adapters/memory/memory-market-data-store';
import { MemoryStateStore } from '../../adapters/memory/memory-state-store';
import { QueueAlertNotifier } from '../../adapters/sqs/queue-alert-notifier';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { krw, volume } from '../../domain/money/quantities';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../domain/risk/risk-limits';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { FifoQueue } from '../../ports/decision-queue';
import type { Alert } from '../../ports/notifier';
import { decodeControlMessage } from '../messaging/message-envelope';
import { DEFAULT_MONITOR_SETTINGS, monitorRisk, type RiskMonitorInput } from './monitor-risk';

/** 2026-11-25 10:00 KST. */
const T0 = Date.parse('2026-11-25T10:00:00+09:00') as EpochMs;
const BTC = 'KRW-BTC' as Market;

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

function world(limits: RiskLimits = DEFAULT_RISK_LIMITS) {
  const clock = new ManualClock(T0);
  const store = new MemoryStateStore();
  const equity = new MemoryEquityHistoryStore();
  const status = new MemoryComponentStatusStore();
  const marketData = new MemoryMarketDataStore();
  const controlQueue = new MemoryFifoQueue({ clock });
  const alertQueue = new MemoryFifoQueue({ clock });
  const deps = {
    store,
    equity,
    status,
    marketData,
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
  const heartbeat = (at = clock.now(), healthy = true) =>
    status.putStatus({ component: 'executor', at, healthy, summary: 'running', details: {} });
  const mark = (value: string, at = clock.now()) =>
    equity.putPoint({ at, equity: krw(value), cash: krw(value), holdings: krw('0'), unpriced: [] });
  const alerts = async () => (await drain(alertQueue)).map((b) => JSON.parse(b) as Alert);
  const commands = async () =>
    (await drain(controlQueue)).map((b) => {
      const decoded = decodeControlMessage(b);
      if (!decoded.ok) throw new Error(decoded.reason);
      return decoded.message.command;
    });
  const run = () => monitorRisk(deps, input);
  return { clock, store, equity, status, marketData, deps, input, heartbeat, mark, alerts, commands, run };
}

describe('monitorRisk', () => {
  it('finds nothing wrong on a healthy, flat account and records its run', async () => {
    const w = world();
    await w.heartbeat();
    await w.mark('10000000');
    const r = await w.run();
    expect(r.problems).toEqual([]);
    expect(r.loss?.status.breaches).toEqual([]);
    expect(await w.alerts()).toEqual([]);
    expect(await w.commands()).toEqual([]);
    expect(await w.status.getStatus('risk')).toMatchObject({ healthy: true, summary: 'ok' });
  });

  it('latches on a -3 % drop, tells the executor once and alerts once', async () => {
    const w = world();
    await w.heartbeat();
    await w.mark('10000000');
    await w.run(); // opens the KST day at 10,000,000
    w.clock.set(T0 + MS.minute);
    await w.heartbeat();
    await w.mark('9700000');
    const r = await w.run();
    expect(r.loss?.trigger?.outcome).toBe('set');
    expect((await w.store.getControl()).latch).toMatchObject({ trigger: 'instant_drop', state: 'reducing' });
    const [command, ...more] = await w.commands();
    expect(more).toEqual([]);
    expect(command).toMatchObject({
      kind: 'emergency_stop',
      state: 'reducing',
      actor: 'system:risk-function',
    });
    const alerts = await w.alerts();
    expect(alerts.map((a) => a.key)).toEqual(['emergency:instant_drop']);
    expect(alerts[0]?.severity).toBe('critical');
    expect(alerts[0]?.text.en).toContain('Asked the executor to cancel open orders');
    // Next minute: still latched; nothing is sent twice.
    w.clock.set(T0 + 2 * MS.minute);
    await w.heartbeat();
    await w.mark('9690000');
    const again = await w.run();
    expect(again.commands).toEqual([]);
    expect(await w.commands()).toEqual([]);
    expect((await w.alerts()).map((a) => a.key)).not.toContain('emergency:instant_drop');
  });

  it('asks the executor to close everything when the policy flattens on trigger', async () => {
    const limits = {
      ...DEFAULT_RISK_LIMITS,
      emergency: { ...DEFAULT_RISK_LIMITS.emergency, flattenOnTrigger: true },
    };
    const w = world(limits);
    await w.heartbeat();
    await w.mark('10000000');
    await w.run();
    await w.mark('9600000', (T0 + 1) as EpochMs);
    w.clock.set(T0 + 1);
    await w.run();
    expect((await w.commands()).map((c) => c.kind)).toEqual(['close_all']);
    expect((await w.alerts())[0]?.text.en).toContain('and sell holdings');
  });

  it('retries telling the executor after a failed send', async () => {
    const w = world();
    await w.heartbeat();
    await w.mark('10000000');
    await w.run();
    const send = w.deps.controlQueue.send.bind(w.deps.controlQueue);
    w.deps.controlQueue.send = async () => {
      throw new Error('queue down');
    };
    await w.mark('9500000', (T0 + 1) as EpochMs);
    w.clock.set(T0 + 1);
    const failed = await w.run();
    expect(failed.problems).toEqual(['control queue: queue down']);
    expect(await w.status.getStatus('risk')).toMatchObject({ healthy: false });
    w.deps.controlQueue.send = send;
    w.clock.set(T0 + 2);
    const retried = await w.run();
    expect(retried.commands.map((c) => c.kind)).toEqual(['emergency_stop']);
    expect(retried.problems).toEqual([]);
  });

  it('tells the executor when a daily-loss latch releases itself at the next KST day', async () => {
    const base = DEFAULT_RISK_LIMITS;
    const w = world({ ...base, loss: { ...base.loss, instantDrop: krw('0.2') } });
    await w.heartbeat();
    await w.mark('10000000');
    await w.run();
    w.clock.set(T0 + 1);
    await w.mark('9400000');
    await w.run();
    expect((await w.store.getControl()).latch?.trigger).toBe('daily_loss');
    expect((await w.commands()).map((c) => c.kind)).toEqual(['emergency_stop']);
    const nextDay = Date.parse('2026-11-26T00:01:00+09:00');
    w.clock.set(nextDay);
    await w.heartbeat();
    await w.mark('9400000');
    const r = await w.run();
    expect(r.loss?.released).toBe(true);
    expect((await w.store.getControl()).latch).toBeUndefined();
    expect(await w.commands()).toEqual([expect.objectContaining({ kind: 'release_emergency' })]);
  });

  it('alerts a lost executor once, again after the re-alert interval, and clears it', async () => {
    const w = world();
    await w.heartbeat((T0 - 2 * MS.minute) as EpochMs);
    const first = await w.run();
    expect(first.heartbeatAgeMs).toBe(2 * MS.minute);
    const [lost] = await w.alerts();
    expect(lost).toMatchObject({
      key: 'executor:heartbeat_lost',
      severity: 'critical',
      at: T0 - 2 * MS.minute,
    });
    expect(lost?.text.ko).toContain('실행기');
    w.clock.set(T0 + 10 * MS.minute);
    await w.run();
    expect(await w.alerts()).toEqual([]);
    w.clock.set(T0 + 31 * MS.minute);
    await w.run();
    expect((await w.alerts()).map((a) => a.key)).toEqual(['executor:heartbeat_lost']);
    await w.heartbeat();
    await w.mark('10000000');
    w.clock.set(T0 + 32 * MS.minute);
    await w.run();
    expect(await w.alerts()).toEqual([
      expect.objectContaining({ key: 'executor:heartbeat_lost:cleared', severity: 'info' }),
    ]);
  });

  it('alerts an executor that never reported, and skips the loss check on stale equity', async () => {
    const w = world();
    await w.mark('10000000', (T0 - 10 * MS.minute) as EpochMs);
    const r = await w.run();
    expect(r.loss).toBeUndefined();
    expect(r.equityAgeMs).toBe(10 * MS.minute);
    expect((await w.alerts()).map((a) => a.key)).toEqual(['executor:heartbeat_lost']);
    await w.heartbeat();
    w.clock.set(T0 + 1);
    await w.heartbeat();
    await w.run();
    // Executor alive but no fresh equity: its own warning.
    expect((await w.alerts()).map((a) => a.key)).toEqual([
      'risk:equity_stale',
      'executor:heartbeat_lost:cleared',
    ]);
  });

  it('warns when a loss comes within 80 % of a limit', async () => {
    const w = world();
    await w.heartbeat();
    await w.mark('10000000');
    await w.run();
    await w.mark('9750000', (T0 + 1) as EpochMs); // -2.5 % of the 3 % instant limit
    w.clock.set(T0 + 1);
    await w.run();
    const [alert] = await w.alerts();
    expect(alert).toMatchObject({ key: 'risk:loss_near_limit', severity: 'warning' });
    expect(alert?.text.en).toContain('instant 83.3%');
  });

  it('measures exposure and VaR of held positions and alerts one above a hard limit', async () => {
    const w = world();
    await w.heartbeat();
    await w.mark('10000000');
    const closes = Array.from({ length: 1441 }, (_, i) => 100_000_000 * (1 + 0.001 * Math.sin(i / 7)));
    await w.marketData.putCandles(closes.map((c, i) => flatCandle(BTC, T0 - (1441 - i) * MS.minute, c)));
    await w.store.applyFill(
      {
        fillId: 'f',
        identifier: 'qts.x.0.0' as never,
        market: BTC,
        strategy: 'stat_arb',
        side: 'bid',
        price: krw('100000000') as never,
        volume: volume('0.025'),
        fee: krw('1250'),
        isMaker: false,
        at: T0,
      },
      {
        item: {
          market: BTC,
          strategy: 'stat_arb',
          volume: volume('0.025'),
          cost: krw('2501250'),
          realizedPnl: krw('0'),
          feesPaid: krw('1250'),
          openedAt: T0,
          updatedAt: T0,
          version: 0,
        },
        expectedVersion: 0,
      },
      [],
    );
    const r = await w.run();
    expect(r.exposure?.report.exposure.total).toBe(2501250);
    expect(r.exposure?.usage.strategy).toEqual({ max: 2501250 / 2_000_000, name: 'stat_arb' });
    expect(r.exposure?.report.historical.portfolio.var).toBeGreaterThan(0);
    expect(r.exposure?.report.unmeasured).toEqual([]);
    expect((await w.alerts()).map((a) => a.key)).toEqual(['risk:exposure_over_limit']);
  });
});
