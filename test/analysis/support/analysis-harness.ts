import { syntheticCandles, syntheticMarkets } from '../../../bench/synthetic-candles';
import { MemoryLogger } from '../../../shared/src/adapters/logging/json-logger';
import type { ManualClock } from '../../../shared/src/adapters/memory/manual-clock';
import { MemoryComponentStatusStore } from '../../../shared/src/adapters/memory/memory-component-status-store';
import { MemoryEquityHistoryStore } from '../../../shared/src/adapters/memory/memory-equity-history-store';
import { MemoryFifoQueue } from '../../../shared/src/adapters/memory/memory-fifo-queue';
import { MemoryMarketDataStore } from '../../../shared/src/adapters/memory/memory-market-data-store';
import { MemorySignalLog } from '../../../shared/src/adapters/memory/memory-signal-log';
import { MemoryStateStore } from '../../../shared/src/adapters/memory/memory-state-store';
import { MemoryStrategySettingsStore } from '../../../shared/src/adapters/memory/memory-strategy-settings-store';
import { MemoryStrategyStateStore } from '../../../shared/src/adapters/memory/memory-strategy-state-store';
import {
  type AnalysisSettings,
  analysisSettingsFromConfig,
} from '../../../shared/src/application/analysis/analysis-settings';
import {
  type AnalysisMemory,
  type AnalyzeMarketsDeps,
  analyzeMarkets,
} from '../../../shared/src/application/analysis/analyze-markets';
import { decodeDecisionMessage } from '../../../shared/src/application/messaging/message-envelope';
import { loadConfig } from '../../../shared/src/config/load-config';
import type { Candle } from '../../../shared/src/domain/market/market-data';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { krw } from '../../../shared/src/domain/money/quantities';
import { type EpochMs, MS, parseIsoUtc } from '../../../shared/src/domain/time/epoch';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import type { StrategyName } from '../../../shared/src/domain/trading/strategy-name';
import type { FifoQueue } from '../../../shared/src/ports/decision-queue';
import type { EquityHistoryStore } from '../../../shared/src/ports/equity-history-store';
import type { MarketDataStore } from '../../../shared/src/ports/market-data-store';

/** Start of the seeded candles: a Monday, on the current tick table. */
export const SERIES_START = parseIsoUtc('2026-03-02T00:00:00Z');

/** The analysis settings of the shipped config/default.yaml for `markets`, with overrides per strategy. */
export function settingsFor(
  markets: readonly Market[],
  enabled: Partial<Record<StrategyName, boolean>> = {},
): AnalysisSettings {
  const config = loadConfig({ env: {}, readFile: (p) => require('node:fs').readFileSync(p, 'utf8') });
  const strategies: Record<string, { enabled: boolean }> = { ...config.strategies };
  for (const [name, on] of Object.entries(enabled))
    strategies[name] = { ...(strategies[name] as { enabled: boolean }), enabled: on as boolean };
  return analysisSettingsFromConfig({
    ...config,
    markets: [...markets],
    strategies: strategies as unknown as typeof config.strategies,
  });
}

/** `minutes` seeded 1m candles per market from SERIES_START (co-moving, realistic KRW prices). */
export function seededCandles(count: number, minutes: number, seed = 3): Map<Market, Candle[]> {
  const markets = syntheticMarkets(count);
  return new Map(markets.map((m, i) => [m, [...syntheticCandles(m, i, SERIES_START, minutes, seed)]]));
}

/** Close time of the `i`-th seeded minute (0-based): when a run deciding on that bar happens. */
export function closeOf(i: number): EpochMs {
  return (SERIES_START + (i + 1) * MS.minute) as EpochMs;
}

/** Every decision message currently on the queue (received and acknowledged), decoded. */
export async function drainDecisions(queue: FifoQueue): Promise<Decision[]> {
  const out: Decision[] = [];
  for (;;) {
    const batch = await queue.receive({ maxMessages: 10, waitTimeMs: 0 });
    if (batch.length === 0) return out;
    for (const m of batch) {
      const decoded = decodeDecisionMessage(m.body);
      if (!decoded.ok) throw new Error(decoded.reason);
      out.push(decoded.message.decision);
      await queue.ack(m);
    }
  }
}

/** The analysis' dependencies on memory adapters, with the stores exposed for seeding and assertions. */
export function memoryDeps(clock: ManualClock) {
  const state = new MemoryStateStore();
  const stores = {
    clock,
    logger: new MemoryLogger(clock),
    marketData: new MemoryMarketDataStore(),
    snapshots: new MemoryStrategyStateStore(),
    state,
    strategySettings: new MemoryStrategySettingsStore(state),
    equity: new MemoryEquityHistoryStore(),
    decisionQueue: new MemoryFifoQueue({ clock }),
    signals: new MemorySignalLog(),
    status: new MemoryComponentStatusStore(),
  };
  return stores satisfies AnalyzeMarketsDeps;
}

/** What the seeding helpers write into: the two stores a minute analysis reads its inputs from. */
interface SeedTarget {
  readonly marketData: Pick<MarketDataStore, 'putCandles'>;
  readonly equity: Pick<EquityHistoryStore, 'putPoint'>;
}

/**
 * Stores `candles` up to minute `last` (inclusive; per market `upTo` instead) and an equity point a
 * minute earlier: the state a deployed minute function finds, on whichever adapters `deps` holds.
 */
export async function seedDeps<T extends SeedTarget>(
  deps: T,
  candles: ReadonlyMap<Market, readonly Candle[]>,
  last: number,
  upTo: Partial<Record<Market, number>> = {},
): Promise<T> {
  for (const [market, list] of candles)
    await deps.marketData.putCandles(list.slice(0, (upTo[market] ?? last) + 1));
  await deps.equity.putPoint(equityPoint(closeOf(last - 1)));
  return deps;
}

/** A minute analysis' dependencies with a settable clock and a queue the test can drain. */
type AnalysisWorld = AnalyzeMarketsDeps & { clock: ManualClock; decisionQueue: FifoQueue };

/**
 * Runs minutes `from..to` on a warm world (one kept `memory`) and a cold one (restored from its
 * stored snapshots each minute) side by side, and returns the decisions each queued, as JSON texts
 * in queue order: equal lists are the proof that a cold container decides as a warm one.
 */
export async function warmAndColdRuns(
  worlds: { warm: AnalysisWorld; cold: AnalysisWorld },
  settings: AnalysisSettings,
  from: number,
  to: number,
  at: (minute: number) => number,
): Promise<{ warm: string[]; cold: string[] }> {
  const { warm, cold } = worlds;
  const memory: AnalysisMemory = {};
  const out = { warm: [] as string[], cold: [] as string[] };
  for (let i = from; i <= to; i++) {
    warm.clock.set(at(i));
    cold.clock.set(at(i));
    await analyzeMarkets({ ...warm, memory }, { settings });
    await analyzeMarkets(cold, { settings });
    for (const d of await drainDecisions(warm.decisionQueue)) out.warm.push(JSON.stringify(d));
    for (const d of await drainDecisions(cold.decisionQueue)) out.cold.push(JSON.stringify(d));
  }
  return out;
}

/** An executor equity point of `krwAmount` at `at` (cash only). */
export function equityPoint(at: EpochMs, krwAmount = 10_000_000) {
  return {
    at,
    equity: krw(String(krwAmount)),
    cash: krw(String(krwAmount)),
    holdings: krw('0'),
    unpriced: [],
  };
}
