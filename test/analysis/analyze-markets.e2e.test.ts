import { DynamoDbComponentStatusStore } from '../../shared/src/adapters/dynamodb/dynamodb-component-status-store';
import { DynamoDbEquityHistoryStore } from '../../shared/src/adapters/dynamodb/dynamodb-equity-history-store';
import { DynamoDbMarketDataStore } from '../../shared/src/adapters/dynamodb/dynamodb-market-data-store';
import { DynamoDbSignalLog } from '../../shared/src/adapters/dynamodb/dynamodb-signal-log';
import { DynamoDbStateStore } from '../../shared/src/adapters/dynamodb/dynamodb-state-store';
import { DynamoDbStrategySettingsStore } from '../../shared/src/adapters/dynamodb/dynamodb-strategy-settings-store';
import { DynamoDbStrategyStateStore } from '../../shared/src/adapters/dynamodb/dynamodb-strategy-state-store';
import { MemoryLogger } from '../../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { SqsFifoQueue } from '../../shared/src/adapters/sqs/sqs-fifo-queue';
import { type AnalysisMemory, analyzeMarkets } from '../../shared/src/application/analysis/analyze-markets';
import { marketSnapshotKey } from '../../shared/src/application/analysis/snapshot-keys';
import type { Market } from '../../shared/src/domain/market/market-id';
import { makeDecisionId } from '../../shared/src/domain/orders/identifiers';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import {
  EMULATOR_STARTUP_TIMEOUT_MS,
  waitForEmulators,
} from '../../shared/testing/emulators/emulator-endpoints';
import { createTestQueues, createTestTable, type TestTable } from '../../shared/testing/emulators/provision';
import { closeOf, drainDecisions, equityPoint, seededCandles, settingsFor } from './support/analysis-harness';

const candles = seededCandles(2, 660);
const [BTC, ETH] = [...candles.keys()] as [Market, Market];
const settings = settingsFor([BTC, ETH]);
const tables: TestTable[] = [];

beforeAll(() => waitForEmulators(), EMULATOR_STARTUP_TIMEOUT_MS);
afterAll(async () => {
  await Promise.all(tables.map((t) => t.drop()));
});

/** The analysis on a fresh DynamoDB Local table and fauxqs queues, candles up to minute `last`. */
async function stack(clock: ManualClock, last: number, upTo: Partial<Record<Market, number>> = {}) {
  const table = await createTestTable();
  tables.push(table);
  const config = { client: table.client, tableName: table.tableName };
  const { client, queues } = await createTestQueues();
  const q = queues.DecisionQueue;
  if (q === undefined) throw new Error('sqs.yml lacks the decision queue');
  const deps = {
    clock,
    logger: new MemoryLogger(clock),
    marketData: new DynamoDbMarketDataStore(config),
    snapshots: new DynamoDbStrategyStateStore(config),
    state: new DynamoDbStateStore(config),
    strategySettings: new DynamoDbStrategySettingsStore(config),
    equity: new DynamoDbEquityHistoryStore(config),
    decisionQueue: new SqsFifoQueue({ client, queueUrl: q.url }),
    signals: new DynamoDbSignalLog(config),
    status: new DynamoDbComponentStatusStore(config),
  };
  for (const [market, list] of candles)
    await deps.marketData.putCandles(list.slice(0, (upTo[market] ?? last) + 1));
  await deps.equity.putPoint(equityPoint(closeOf(last - 1)));
  return deps;
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
    const clockA = new ManualClock(at(600));
    const clockB = new ManualClock(at(600));
    const warm = await stack(clockA, 620);
    const cold = await stack(clockB, 620);
    const memory: AnalysisMemory = {};
    const a: string[] = [];
    const b: string[] = [];
    for (let i = 600; i <= 620; i++) {
      clockA.set(at(i));
      clockB.set(at(i));
      await analyzeMarkets({ ...warm, memory }, { settings });
      await analyzeMarkets(cold, { settings });
      for (const d of await drainDecisions(warm.decisionQueue)) a.push(JSON.stringify(d));
      for (const d of await drainDecisions(cold.decisionQueue)) b.push(JSON.stringify(d));
    }
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
