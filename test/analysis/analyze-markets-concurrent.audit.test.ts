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
import type { Market } from '../../shared/src/domain/market/market-id';
import { MS } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import {
  EMULATOR_STARTUP_TIMEOUT_MS,
  waitForEmulators,
} from '../../shared/testing/emulators/emulator-endpoints';
import { createTestQueues, createTestTable, type TestTable } from '../../shared/testing/emulators/provision';
import {
  closeOf,
  drainDecisions,
  equityPoint,
  memoryDeps,
  seededCandles,
  settingsFor,
} from './support/analysis-harness';

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
const tables: TestTable[] = [];

beforeAll(() => waitForEmulators(), EMULATOR_STARTUP_TIMEOUT_MS);
afterAll(async () => {
  await Promise.all(tables.map((t) => t.drop()));
});

async function realStack(clock: ManualClock, last: number) {
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
  for (const [, list] of candles) await deps.marketData.putCandles(list.slice(0, last + 1));
  await deps.equity.putPoint(equityPoint(closeOf(last - 1)));
  return deps;
}

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
    const deps = await realStack(clock, 601);
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
