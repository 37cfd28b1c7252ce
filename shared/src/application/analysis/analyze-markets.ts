import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { ZERO } from '../../domain/money/decimal';
import { krw } from '../../domain/money/quantities';
import { type EpochMs, MS, toIsoUtc } from '../../domain/time/epoch';
import type { Clock } from '../../ports/clock';
import type { ComponentStatusStore } from '../../ports/component-status-store';
import type { DecisionLog } from '../../ports/decision-log';
import type { FifoQueue } from '../../ports/decision-queue';
import type { EquityHistoryStore } from '../../ports/equity-history-store';
import type { Logger } from '../../ports/logger';
import type { MarketDataStore } from '../../ports/market-data-store';
import type { SignalLog } from '../../ports/signal-log';
import type { StrategySettingsStore } from '../../ports/strategy-settings-store';
import type { StrategyStateStore } from '../../ports/strategy-state-store';
import { loadRiskSnapshot, type RiskStateReader } from '../risk/load-risk-context';
import {
  ALREADY_ANALYSED,
  type AnalysisRun,
  groupBy,
  noneEnabled,
  type SkippedMarket,
  splitSteps,
  staleness,
  statusOf,
} from './analysis-run';
import type { AnalysisSettings } from './analysis-settings';
import { runDecisionStep } from './decision-step';
import { LiveAccount } from './live-account';
import { LiveEdges } from './live-edges';
import { loadMarketBars, type MarketBars } from './load-candles';
import { publishDecisions, saveSnapshots, signalRecords } from './publish-analysis';
import { resolveStrategies } from './runtime-strategies';
import { marketSnapshotKey, STRATEGIES_SNAPSHOT_KEY } from './snapshot-keys';
import { StrategyBook, type WarmUpNeed } from './strategy-book';

export type { AnalysisRun, SkippedMarket } from './analysis-run';

/** Ports the minute analysis reads and writes; the handler builds them once per container. */
export interface AnalyzeMarketsDeps {
  readonly clock: Pick<Clock, 'now'>;
  readonly logger: Logger;
  readonly marketData: Pick<MarketDataStore, 'candlesBetween'>;
  readonly snapshots: StrategyStateStore;
  readonly state: RiskStateReader & Pick<DecisionLog, 'recordDecision' | 'getDecision'>;
  readonly strategySettings: Pick<StrategySettingsStore, 'listStrategySettings'>;
  readonly equity: Pick<EquityHistoryStore, 'latestPoint'>;
  readonly decisionQueue: Pick<FifoQueue, 'send'>;
  readonly signals: Pick<SignalLog, 'putSignals'>;
  readonly status: Pick<ComponentStatusStore, 'putStatus'>;
  /** What a warm container keeps between invocations (module scope in the handler); optional. */
  readonly memory?: AnalysisMemory;
}

/** The in-memory strategies a warm function reuses while no other run changed the snapshots. */
export interface AnalysisMemory {
  book?: StrategyBook | undefined;
}

/** One run's input: the settings mapped from the configuration. */
export interface AnalyzeMarketsInput {
  readonly settings: AnalysisSettings;
}

/**
 * The minute analysis, run once a minute (Lambda on a schedule, the local stack's scheduler): for
 * the minute that just closed, advance every strategy by that bar from its stored state (warming up
 * from stored candles only where no usable snapshot exists), run the ensemble and pre-trade risk on
 * the stored account, record and queue the decisions with deterministic ids, write the signals and
 * the new snapshots, and record the run. Markets whose newest bar is stale are skipped with the
 * reason. A retried run for the same minute finds the snapshots already advanced and sends nothing
 * new; a run that died before saving them recomputes the same decisions, which the decision log
 * recognises.
 */
export async function analyzeMarkets(
  deps: AnalyzeMarketsDeps,
  input: AnalyzeMarketsInput,
): Promise<AnalysisRun> {
  const started = deps.clock.now();
  const { settings } = input;
  const decisionAt = (Math.floor(started / MS.minute) * MS.minute) as EpochMs;
  const decisionOpen = (decisionAt - MS.minute) as EpochMs;
  const log = deps.logger.child({ component: 'analysis', decisionAt: toIsoUtc(decisionAt) });
  const [control, stored] = await Promise.all([
    deps.state.getControl(),
    deps.strategySettings.listStrategySettings(),
  ]);
  const runtime = resolveStrategies(settings, stored, control, settings.markets);
  const keys = [...settings.markets.map(marketSnapshotKey), STRATEGIES_SNAPSHOT_KEY];
  const snapshots = await deps.snapshots.getSnapshots(keys);
  let book = deps.memory?.book;
  const fresh = new StrategyBook(settings.markets, runtime.params, runtime.names);
  let needs: WarmUpNeed[] = [];
  if (
    book === undefined ||
    book.identity !== fresh.identity ||
    keys.some((k) => (snapshots.get(k)?.version ?? 0) !== book?.version(k))
  ) {
    book = fresh;
    needs = book.restore(snapshots, (decisionAt - settings.maxCatchUpMs) as EpochMs);
  }
  const loaded = LiveEdges.load(
    snapshots.get(STRATEGIES_SNAPSHOT_KEY),
    runtime.names,
    settings.limits,
    settings.rules,
    runtime.ensemble,
  );
  const edges = loaded.edges;
  const bars = await loadMarketBars(deps.marketData, book, needs, decisionOpen);
  if (needs.length > 0) {
    book.warmUp(needs, new Map([...bars].map(([m, b]) => [m, b.warm])));
    for (const [reason, list] of groupBy(needs, (n) => n.reason))
      log.info('strategies warm up from stored candles', {
        reason,
        pairs: list.map((n) => `${n.strategy}@${n.market}`),
      });
  }
  const skipped: SkippedMarket[] = [];
  const alreadyAnalysed: Market[] = [];
  const usable = new Map<Market, MarketBars>();
  for (const market of settings.markets) {
    const reason = staleness(book, market, bars.get(market), decisionAt, settings.staleAfterMs);
    if (reason === undefined) usable.set(market, bars.get(market) as MarketBars);
    else if (reason === ALREADY_ANALYSED) alreadyAnalysed.push(market);
    else skipped.push({ market, reason });
  }
  if (alreadyAnalysed.length > 0)
    log.info('markets already analysed for this minute (a retried run): nothing new to send', {
      markets: alreadyAnalysed,
    });
  for (const s of skipped) log.warn('market skipped', { market: s.market, reason: s.reason });
  const { catchUp, decisionBars } = splitSteps(usable, decisionOpen);
  for (const step of catchUp) {
    for (const bar of step) edges.onBar(bar);
    book.step(step, ((step[0] as Candle).openTime + MS.minute) as EpochMs);
  }
  const lastBars = new Map<Market, Candle>();
  for (const [m, b] of usable) {
    const last = b.fresh[b.fresh.length - 1];
    if (last !== undefined) lastBars.set(m, last);
  }
  const notes = [...runtime.notes, ...(loaded.note === undefined ? [] : [loaded.note])];
  let decisions: Awaited<ReturnType<typeof publishDecisions>> = { sent: 0, duplicates: 0 };
  let signalCount = 0;
  const point = await deps.equity.latestPoint();
  if (decisionBars.length > 0) {
    const { context, control: ctl } = await loadRiskSnapshot(deps.state, decisionAt, 'operator', {
      limits: settings.limits,
      rules: settings.rules,
      market: {},
      ...(point === undefined ? {} : { equity: point.equity }),
    });
    const account = new LiveAccount(
      {
        limits: settings.limits,
        rules: settings.rules,
        control: ctl,
        positions: context.positions,
        commitments: context.commitments,
        recentTrades: context.recentTrades,
        ...(context.lossStatus === undefined ? {} : { lossStatus: context.lossStatus }),
      },
      (strategy) => edges.stats(strategy),
    );
    edges.observePositions(context.positions, decisionAt);
    for (const bar of decisionBars) edges.onBar(bar);
    if (point === undefined) notes.push('no equity point from the executor yet: no decisions');
    const step = runDecisionStep(book, account, {
      now: decisionAt,
      bars: decisionBars,
      lastBars,
      ensemble:
        point === undefined
          ? { ...runtime.ensemble, enabled: noneEnabled(runtime.ensemble.enabled) }
          : runtime.ensemble,
      equity: point?.equity ?? krw(ZERO),
    });
    edges.onSignals(step.signals);
    decisions = await publishDecisions(
      { log: deps.state, queue: deps.decisionQueue },
      step.decisions,
      deps.clock.now(),
    );
    const records = signalRecords(decisionAt, step.signals, step.markets);
    signalCount = records.length;
    if (records.length > 0) await deps.signals.putSignals(records);
  }
  for (const n of notes) log.warn(n);
  const conflicts = await saveSnapshots(
    deps.snapshots,
    book,
    settings.markets,
    deps.clock.now(),
    marketSnapshotKey,
    log,
  );
  const recordsKey = STRATEGIES_SNAPSHOT_KEY;
  const records = await deps.snapshots.putSnapshot(
    { key: recordsKey, lastBarAt: decisionAt, savedAt: deps.clock.now(), body: edges.body() },
    snapshots.get(recordsKey)?.version ?? 0,
  );
  if (records === 'conflict') log.warn('strategy records changed by another run; keeping the stored ones');
  else book.noteVersion(recordsKey, records.version);
  if (deps.memory !== undefined)
    deps.memory.book = conflicts.length === 0 && records !== 'conflict' ? book : undefined;
  const analysed = decisionBars.map((b) => b.market);
  const noBarThisMinute = [...usable.keys()].filter((m) => !analysed.includes(m));
  if (noBarThisMinute.length > 0)
    log.info('no bar for this minute yet: nothing decided for these markets', { markets: noBarThisMinute });
  const finished = deps.clock.now();
  const run: AnalysisRun = {
    at: finished,
    decisionAt,
    analysed,
    skipped,
    alreadyAnalysed,
    noBarThisMinute,
    warmedUp: needs,
    decisionsSent: decisions.sent,
    duplicateDecisions: decisions.duplicates,
    signals: signalCount,
    notes,
    durationMs: finished - started,
  };
  await deps.status.putStatus(statusOf(run, settings.markets.length));
  log.info('analysis run', {
    analysed: analysed.length,
    skipped: skipped.length,
    decisionsSent: decisions.sent,
    durationMs: run.durationMs,
  });
  return run;
}
