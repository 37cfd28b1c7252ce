import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { type AnalysisMemory, analyzeMarkets } from '../../shared/src/application/analysis/analyze-markets';
import type { Market } from '../../shared/src/domain/market/market-id';
import { MS } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import {
  EMULATOR_STARTUP_TIMEOUT_MS,
  waitForEmulators,
} from '../../shared/testing/emulators/emulator-endpoints';
import {
  closeOf,
  drainDecisions,
  equityPoint,
  memoryDeps,
  seedDeps,
  seededCandles,
  settingsFor,
} from './support/analysis-harness';
import { EmulatorWorlds } from './support/emulator-stack';

/**
 * Adversarial review (audit4): EventBridge delivers a scheduled event at least once, so two or three
 * invocations of one minute may run at the same time on fresh containers. On DynamoDB Local + fauxqs
 * FIFO they must put each decision on the queue once, and decide as a single uninterrupted run.
 */
const candles = seededCandles(2, 620);
const [BTC, ETH] = [...candles.keys()] as [Market, Market];
const settings = settingsFor([BTC, ETH]);
const at = (i: number): number => closeOf(i) + 4 * MS.second;
const text = (ds: readonly Decision[]): string[] => ds.map((d) => JSON.stringify(d)).sort();
const worlds = new EmulatorWorlds();

beforeAll(() => waitForEmulators(), EMULATOR_STARTUP_TIMEOUT_MS);
afterAll(() => worlds.dropAll());

describe('concurrent invocations of one minute on the real adapters (audit4)', () => {
  it('three cold invocations of minute 600 in flight together queue each decision once; 601 decides as after one run', async () => {
    const refClock = new ManualClock(at(600));
    const ref = memoryDeps(refClock);
    for (const [, list] of candles) await ref.marketData.putCandles(list.slice(0, 602));
    await ref.equity.putPoint(equityPoint(closeOf(600)));
    const memory: AnalysisMemory = {};
    await analyzeMarkets({ ...ref, memory }, { settings });
    const ref600 = text(await drainDecisions(ref.decisionQueue));
    refClock.set(at(601));
    await analyzeMarkets({ ...ref, memory }, { settings });
    const ref601 = text(await drainDecisions(ref.decisionQueue));

    const clock = new ManualClock(at(600));
    const deps = await seedDeps(await worlds.deps(clock), candles, 601);
    const runs = await Promise.all([1, 2, 3].map(() => analyzeMarkets(deps, { settings })));
    const sent = await drainDecisions(deps.decisionQueue);
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent.map((d) => d.id)).size).toBe(sent.length);
    expect(text(sent)).toEqual(ref600);
    expect(runs.reduce((s, r) => s + r.decisionsSent, 0)).toBe(sent.length);
    // Coverage: the invocations really overlapped (a later one met the decisions of an earlier one).
    expect(runs.some((r) => r.duplicateDecisions > 0 || r.alreadyAnalysed.length > 0)).toBe(true);
    clock.set(at(601));
    await analyzeMarkets(deps, { settings });
    expect(text(await drainDecisions(deps.decisionQueue))).toEqual(ref601);
  }, 60_000);
});
