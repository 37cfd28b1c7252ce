import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { analyzeMarkets } from '../../shared/src/application/analysis/analyze-markets';
import { marketSnapshotKey } from '../../shared/src/application/analysis/snapshot-keys';
import type { Market } from '../../shared/src/domain/market/market-id';
import { makeDecisionId } from '../../shared/src/domain/orders/identifiers';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import {
  EMULATOR_STARTUP_TIMEOUT_MS,
  waitForEmulators,
} from '../../shared/testing/emulators/emulator-endpoints';
import {
  closeOf,
  drainDecisions,
  seedDeps,
  seededCandles,
  settingsFor,
  warmAndColdRuns,
} from './support/analysis-harness';
import { EmulatorWorlds } from './support/emulator-stack';

const candles = seededCandles(2, 660);
const [BTC, ETH] = [...candles.keys()] as [Market, Market];
const settings = settingsFor([BTC, ETH]);
const worlds = new EmulatorWorlds();

beforeAll(() => waitForEmulators(), EMULATOR_STARTUP_TIMEOUT_MS);
afterAll(() => worlds.dropAll());

/** The analysis on a fresh DynamoDB Local table and fauxqs queues, candles up to minute `last`. */
async function stack(clock: ManualClock, last: number, upTo: Partial<Record<Market, number>> = {}) {
  return seedDeps(await worlds.deps(clock), candles, last, upTo);
}

const at = (i: number) => closeOf(i) + 4 * MS.second;

describe('analyzeMarkets on DynamoDB Local and fauxqs (real adapters)', () => {
  it('seeded market state in → decisions on the queue with the expected ids; a retried invocation sends no duplicate', async () => {
    const clock = new ManualClock(at(600));
    const deps = await stack(clock, 600);
    const run = await analyzeMarkets(deps, { settings });
    const sent = await drainDecisions(deps.decisionQueue);
    const ids = sent.map((d) => d.id).sort();
    expect(ids).toEqual(
      expect.arrayContaining([
        makeDecisionId('mmq', BTC, closeOf(600)),
        makeDecisionId('mmq', ETH, closeOf(600)),
      ]),
    );
    expect(run.decisionsSent).toBe(sent.length);
    for (const d of sent) expect(await deps.state.getDecision(d.id)).toEqual(d);
    clock.advance(15 * MS.second);
    const retry = await analyzeMarkets(deps, { settings });
    expect(retry.decisionsSent).toBe(0);
    expect(await drainDecisions(deps.decisionQueue)).toEqual([]);
    expect(await deps.status.getStatus('analysis')).toMatchObject({
      summary: 'minute already analysed (retried run)',
    });
  });

  it('a run that died after queueing but before saving its snapshots is redone without a duplicate on the queue', async () => {
    const clock = new ManualClock(at(600));
    const deps = await stack(clock, 600);
    const dying = {
      ...deps,
      snapshots: {
        getSnapshots: deps.snapshots.getSnapshots.bind(deps.snapshots),
        putSnapshot: async () => {
          throw new Error('crash');
        },
      },
    };
    await expect(analyzeMarkets(dying, { settings })).rejects.toThrow('crash');
    clock.advance(10 * MS.second);
    const redo = await analyzeMarkets(deps, { settings });
    expect(redo.decisionsSent).toBe(0);
    const onQueue = await drainDecisions(deps.decisionQueue);
    expect(onQueue.length).toBe(redo.duplicateDecisions);
    expect(new Set(onQueue.map((d) => d.id)).size).toBe(onQueue.length);
  });

  it('stale data → no decision for the market and a logged reason (log and run record)', async () => {
    const clock = new ManualClock(at(600));
    const deps = await stack(clock, 600, { [ETH]: 595 });
    const run = await analyzeMarkets(deps, { settings });
    expect(run.skipped).toEqual([
      { market: ETH, reason: expect.stringMatching(/300 s ago \(limit 180 s\)/) },
    ]);
    expect(deps.logger.records()).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'market skipped', market: ETH }),
    );
    expect((await drainDecisions(deps.decisionQueue)).filter((d) => d.market === ETH)).toEqual([]);
    const status = await deps.status.getStatus('analysis');
    expect(status?.details.skipped).toEqual([{ market: ETH, reason: run.skipped[0]?.reason }]);
  });

  it('snapshot round trip through DynamoDB equals an uninterrupted run', async () => {
    const warm = await stack(new ManualClock(at(600)), 620);
    const cold = await stack(new ManualClock(at(600)), 620);
    const { warm: a, cold: b } = await warmAndColdRuns({ warm, cold }, settings, 600, 620, at);
    expect(a.length).toBeGreaterThan(20);
    expect(b.sort()).toEqual(a.sort());
    const keys = [marketSnapshotKey(BTC), marketSnapshotKey(ETH)];
    const bodies = async (d: typeof warm) =>
      [...(await d.snapshots.getSnapshots(keys)).values()].map((s) => s.body);
    expect(await bodies(cold)).toEqual(await bodies(warm));
    const signals = await warm.signals.listSignals({ from: closeOf(600), to: (closeOf(620) + 1) as EpochMs });
    expect(signals.length).toBeGreaterThan(0);
    // 42 passes on DynamoDB Local: tens of seconds on a loaded 2-core machine.
  }, 120_000);
});
