import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { type AnalysisMemory, analyzeMarkets } from '../../shared/src/application/analysis/analyze-markets';
import {
  marketSnapshotKey,
  STRATEGIES_SNAPSHOT_KEY,
} from '../../shared/src/application/analysis/snapshot-keys';
import type { Candle } from '../../shared/src/domain/market/market-data';
import type { Market } from '../../shared/src/domain/market/market-id';
import { makeDecisionId } from '../../shared/src/domain/orders/identifiers';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import {
  closeOf,
  drainDecisions,
  memoryDeps,
  seedDeps,
  seededCandles,
  settingsFor,
  warmAndColdRuns,
} from './support/analysis-harness';

const MINUTES = 700;
const candles = seededCandles(2, MINUTES);
const [BTC, ETH] = [...candles.keys()] as [Market, Market];
const settings = settingsFor([BTC, ETH]);

/** Stores with the candles up to minute `last` (inclusive) and an equity point. */
function seeded(last: number, clock: ManualClock, upTo: Partial<Record<Market, number>> = {}) {
  return seedDeps(memoryDeps(clock), candles, last, upTo);
}

/** The clock a few seconds after minute `i` closed (when the scheduler fires). */
function at(i: number): number {
  return closeOf(i) + 4 * MS.second;
}

describe('analyzeMarkets (memory adapters)', () => {
  it('first run: warms up from stored candles, decides on the minute that closed, stores snapshots and the run', async () => {
    const clock = new ManualClock(at(600));
    const deps = await seeded(600, clock);
    const run = await analyzeMarkets(deps, { settings });
    expect(run.decisionAt).toBe(closeOf(600));
    expect(run.analysed).toEqual([BTC, ETH]);
    expect(run.skipped).toEqual([]);
    expect(new Set(run.warmedUp.map((n) => n.reason))).toEqual(new Set(['no snapshot stored']));
    const warm = deps.logger.records().filter((r) => r.msg === 'strategies warm up from stored candles');
    expect(warm).toHaveLength(1);
    const sent = await drainDecisions(deps.decisionQueue);
    expect(sent.map((d) => d.id)).toEqual(
      expect.arrayContaining([
        makeDecisionId('mmq', BTC, closeOf(600)),
        makeDecisionId('mmq', ETH, closeOf(600)),
      ]),
    );
    expect(sent.every((d) => d.createdAt === closeOf(600))).toBe(true);
    expect(run.decisionsSent).toBe(sent.length);
    const snaps = await deps.snapshots.getSnapshots([marketSnapshotKey(BTC), marketSnapshotKey(ETH)]);
    expect([...snaps.values()].map((s) => [s.lastBarAt, s.version])).toEqual([
      [closeOf(600), 1],
      [closeOf(600), 1],
    ]);
    const records = (await deps.snapshots.getSnapshots([STRATEGIES_SNAPSHOT_KEY])).get(
      STRATEGIES_SNAPSHOT_KEY,
    );
    expect(records).toMatchObject({ lastBarAt: closeOf(600), version: 1 });
    expect(Object.keys(JSON.parse(records?.body ?? '{}').edges.gates)).toEqual([
      'stat_arb',
      'microstructure',
      'momentum_scalping',
      'mean_reversion',
    ]);
    const status = await deps.status.getStatus('analysis');
    expect(status).toMatchObject({
      healthy: true,
      details: { analysed: [BTC, ETH], skipped: [], decisionsSent: sent.length },
    });
    const signals = await deps.signals.listSignals({ from: closeOf(600), to: (closeOf(600) + 1) as EpochMs });
    expect(signals.length).toBe(run.signals);
    expect(signals.some((s) => s.strategy === 'market_making' && s.fate === 'traded')).toBe(true);
  });

  it('next minutes: one new bar per market from the kept state, no warm-up', async () => {
    const clock = new ManualClock(at(600));
    const deps = await seeded(603, clock);
    const memory: AnalysisMemory = {};
    await analyzeMarkets({ ...deps, memory }, { settings });
    for (const i of [601, 602, 603]) {
      clock.set(at(i));
      const run = await analyzeMarkets({ ...deps, memory }, { settings });
      expect(run.warmedUp).toEqual([]);
      expect(run.analysed).toEqual([BTC, ETH]);
    }
    const snaps = await deps.snapshots.getSnapshots([marketSnapshotKey(BTC)]);
    expect(snaps.get(marketSnapshotKey(BTC))).toMatchObject({ lastBarAt: closeOf(603), version: 4 });
  });

  it('a retried run for the same minute sends nothing new', async () => {
    const clock = new ManualClock(at(600));
    const deps = await seeded(600, clock);
    await analyzeMarkets(deps, { settings });
    const first = await drainDecisions(deps.decisionQueue);
    expect(first.length).toBeGreaterThan(0);
    clock.advance(20 * MS.second);
    const retry = await analyzeMarkets(deps, { settings });
    expect(retry.alreadyAnalysed).toEqual([BTC, ETH]);
    expect(retry.decisionsSent).toBe(0);
    expect(await drainDecisions(deps.decisionQueue)).toEqual([]);
  });

  it('a run that died before saving its snapshots is redone with the same ids and nothing new on the queue', async () => {
    const clock = new ManualClock(at(600));
    const deps = await seeded(600, clock);
    const failing = {
      ...deps,
      snapshots: {
        getSnapshots: deps.snapshots.getSnapshots.bind(deps.snapshots),
        putSnapshot: async () => {
          throw new Error('crash before the snapshots were saved');
        },
      },
    };
    await expect(analyzeMarkets(failing, { settings })).rejects.toThrow(/crash/);
    clock.advance(10 * MS.second);
    const redo = await analyzeMarkets(deps, { settings });
    expect(redo.duplicateDecisions).toBeGreaterThan(0);
    expect(redo.decisionsSent).toBe(0);
    const onQueue = await drainDecisions(deps.decisionQueue);
    expect(new Set(onQueue.map((d) => d.id)).size).toBe(onQueue.length);
    expect(onQueue.length).toBe(redo.duplicateDecisions);
  });

  it('skips a market whose data is stale, logs why, and decides nothing for it', async () => {
    const clock = new ManualClock(at(600));
    const deps = await seeded(600, clock, { [ETH]: 590 });
    const run = await analyzeMarkets(deps, { settings });
    expect(run.analysed).toEqual([BTC]);
    expect(run.skipped).toEqual([
      { market: ETH, reason: expect.stringMatching(/newest closed bar ended .* 600 s ago \(limit 180 s\)/) },
    ]);
    const line = deps.logger.records().find((r) => r.msg === 'market skipped');
    expect(line).toMatchObject({ level: 'warn', market: ETH });
    const sent = await drainDecisions(deps.decisionQueue);
    expect(sent.some((d) => d.market === ETH)).toBe(false);
    expect(await deps.status.getStatus('analysis')).toMatchObject({
      healthy: false,
      details: { skipped: [{ market: ETH, reason: expect.any(String) }] },
    });
  });

  it('a cold run restored from stored snapshots decides exactly like a warm run that kept its strategies', async () => {
    const warm = await seeded(640, new ManualClock(at(600)));
    const cold = await seeded(640, new ManualClock(at(600)));
    const { warm: a, cold: b } = await warmAndColdRuns({ warm, cold }, settings, 600, 640, at);
    expect(b).toEqual(a);
    expect(a.length).toBeGreaterThan(40);
    const keys = [marketSnapshotKey(BTC), marketSnapshotKey(ETH)];
    const bodies = async (d: typeof warm) =>
      [...(await d.snapshots.getSnapshots(keys)).values()].map((s) => s.body);
    expect(await bodies(cold)).toEqual(await bodies(warm));
  });

  it('catches up missed minutes bar by bar and decides only on the newest', async () => {
    const clock = new ManualClock(at(600));
    const deps = await seeded(605, clock);
    await analyzeMarkets(deps, { settings });
    await drainDecisions(deps.decisionQueue);
    clock.set(at(605));
    const run = await analyzeMarkets(deps, { settings });
    expect(run.warmedUp).toEqual([]);
    const sent = await drainDecisions(deps.decisionQueue);
    expect(new Set(sent.map((d) => d.createdAt))).toEqual(new Set([closeOf(605)]));
    const snap = (await deps.snapshots.getSnapshots([marketSnapshotKey(BTC)])).get(marketSnapshotKey(BTC));
    expect(snap?.lastBarAt).toBe(closeOf(605));
  });

  it('without an equity point from the executor it decides nothing and says so', async () => {
    const clock = new ManualClock(at(600));
    const deps = await seeded(600, clock);
    const empty = { ...deps, equity: { latestPoint: async () => undefined } };
    const run = await analyzeMarkets(empty, { settings });
    expect(run.notes).toContain('no equity point from the executor yet: no decisions');
    expect(await drainDecisions(deps.decisionQueue)).toEqual([]);
  });

  it('respects runtime toggles: a strategy switched off keeps its state warm but does not trade', async () => {
    const clock = new ManualClock(at(600));
    const deps = await seeded(601, clock);
    await deps.state.setStrategyEnabled('market_making', false, 'operator', clock.now());
    const run = await analyzeMarkets(deps, { settings });
    expect((await drainDecisions(deps.decisionQueue)).some((d) => d.strategy === 'market_making')).toBe(
      false,
    );
    const body = JSON.parse(
      (await deps.snapshots.getSnapshots([marketSnapshotKey(BTC)])).get(marketSnapshotKey(BTC))?.body ?? '{}',
    ) as { strategies: Record<string, unknown> };
    expect(Object.keys(body.strategies)).toContain('market_making');
    expect(run.analysed).toEqual([BTC, ETH]);
    await deps.state.setStrategyEnabled('market_making', true, 'operator', clock.now());
    clock.set(at(601));
    const next = await analyzeMarkets(deps, { settings });
    expect(next.warmedUp).toEqual([]);
    expect((await drainDecisions(deps.decisionQueue)).some((d) => d.strategy === 'market_making')).toBe(true);
  });

  it('layers runtime strategy settings: new parameters re-warm that strategy (saying why), unknown ones are ignored', async () => {
    const clock = new ManualClock(at(600));
    const deps = await seeded(601, clock);
    await analyzeMarkets(deps, { settings });
    await deps.strategySettings.putStrategySettings(
      {
        strategy: 'mean_reversion',
        enabled: true,
        weight: 0.15,
        params: { bollingerPeriod: 21, noSuchParam: 3 },
        updatedAt: clock.now(),
        updatedBy: 'dashboard',
      },
      0,
    );
    clock.set(at(601));
    const run = await analyzeMarkets(deps, { settings });
    expect(run.notes).toContain('mean_reversion: runtime parameter noSuchParam is unknown and ignored');
    expect(new Set(run.warmedUp.map((n) => n.strategy))).toEqual(new Set(['mean_reversion']));
    expect(run.warmedUp[0]?.reason).toMatch(
      /^saved for mean_reversion\/v1\/.*, running mean_reversion\/v1\//,
    );
    expect(run.analysed).toEqual([BTC, ETH]);
  });

  it('reports markets without a bar for the minute (no trade, or the collector is late) apart from stale ones', async () => {
    const clock = new ManualClock(at(600));
    const deps = await seeded(600, clock);
    await analyzeMarkets(deps, { settings });
    await deps.marketData.putCandles([(candles.get(BTC) as Candle[])[601] as Candle]);
    clock.set(at(601));
    const run = await analyzeMarkets(deps, { settings });
    expect(run.analysed).toEqual([BTC]);
    expect(run.noBarThisMinute).toEqual([ETH]);
    expect(run.skipped).toEqual([]);
  });

  it('an emergency latch lets no buy through (quotes refused with the reason in the signal log)', async () => {
    const clock = new ManualClock(at(600));
    const deps = await seeded(600, clock);
    await deps.state.latchEmergency({
      state: 'halted',
      trigger: 'manual',
      reason: 'operator stop',
      actor: 'operator',
      at: clock.now(),
    });
    await analyzeMarkets(deps, { settings });
    expect(await drainDecisions(deps.decisionQueue)).toEqual([]);
    const signals = await deps.signals.listSignals({ from: closeOf(600), to: (closeOf(600) + 1) as EpochMs });
    expect(signals.filter((s) => s.strategy === 'market_making').map((s) => s.fate)).toEqual([
      'refused:risk:halted',
      'refused:risk:halted',
    ]);
  });
});
