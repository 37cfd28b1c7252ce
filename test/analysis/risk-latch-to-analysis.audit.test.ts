import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryComponentStatusStore } from '../../shared/src/adapters/memory/memory-component-status-store';
import { MemoryFifoQueue } from '../../shared/src/adapters/memory/memory-fifo-queue';
import { MemoryNotifier } from '../../shared/src/adapters/memory/memory-notifier';
import { analyzeMarkets } from '../../shared/src/application/analysis/analyze-markets';
import {
  DEFAULT_MONITOR_SETTINGS,
  monitorRisk,
} from '../../shared/src/application/risk-monitor/monitor-risk';
import type { Market } from '../../shared/src/domain/market/market-id';
import { krw } from '../../shared/src/domain/money/quantities';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import {
  closeOf,
  drainDecisions,
  equityPoint,
  memoryDeps,
  seededCandles,
  settingsFor,
} from './support/analysis-harness';

/**
 * Adversarial review (audit4): the latch the risk function sets is obeyed by the very next minute
 * analysis, on the same state store, with no buy of any kind (directional bid or bid quote) sent.
 */
const candles = seededCandles(2, 620);
const [BTC, ETH] = [...candles.keys()] as [Market, Market];
const settings = settingsFor([BTC, ETH]);
const at = (i: number): number => closeOf(i) + 4 * MS.second;

function buys(ds: readonly Decision[]): Decision[] {
  return ds.filter(
    (d) =>
      (d.intent.kind === 'directional' && d.intent.side === 'bid') ||
      (d.intent.kind === 'quotes' && d.intent.levels.some((l) => l.side === 'bid')),
  );
}

describe('risk function latch → next analysis pass (audit4)', () => {
  it('an instant-drop latch set by the risk monitor stops every buy from the next analysis on', async () => {
    const clock = new ManualClock(at(600));
    const deps = memoryDeps(clock);
    for (const [, list] of candles) await deps.marketData.putCandles(list.slice(0, 603));
    const status = new MemoryComponentStatusStore();
    const monitor = {
      store: deps.state,
      equity: deps.equity,
      status,
      marketData: deps.marketData,
      controlQueue: new MemoryFifoQueue({ clock }),
      notifier: new MemoryNotifier(),
      clock,
    };
    const input = {
      limits: settings.limits,
      rules: settings.rules,
      settings: DEFAULT_MONITOR_SETTINGS,
      cause: 'schedule' as const,
    };
    const beat = () =>
      status.putStatus({ component: 'executor', at: clock.now(), healthy: true, summary: 'ok', details: {} });
    // Minute 600: healthy, the KST day opens at 10,000,000; the analysis buys (quotes bids).
    await deps.equity.putPoint(equityPoint(clock.now() as EpochMs));
    await beat();
    await monitorRisk(monitor, input);
    await analyzeMarkets(deps, { settings });
    expect(buys(await drainDecisions(deps.decisionQueue)).length).toBeGreaterThan(0);
    // Minute 601: equity −4 % (instant drop 3 %): the risk run latches first, then the analysis runs.
    clock.set(at(601));
    await deps.equity.putPoint({ ...equityPoint(clock.now() as EpochMs), equity: krw('9600000') });
    await beat();
    const risk = await monitorRisk(monitor, input);
    expect(risk.loss?.trigger?.outcome).toBe('set');
    await analyzeMarkets(deps, { settings });
    expect(buys(await drainDecisions(deps.decisionQueue))).toEqual([]);
    // Minute 602: equity back up, the latch stays (instant drop needs an operator), still no buy.
    clock.set(at(602));
    await deps.equity.putPoint(equityPoint(clock.now() as EpochMs));
    await beat();
    await monitorRisk(monitor, input);
    await analyzeMarkets(deps, { settings });
    expect(buys(await drainDecisions(deps.decisionQueue))).toEqual([]);
    expect((await deps.state.getControl()).latch).toMatchObject({ trigger: 'instant_drop' });
  });
});
