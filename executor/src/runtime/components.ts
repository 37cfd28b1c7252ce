import { TapeWriter } from '../../../shared/src/adapters/tape/tape-writer';
import {
  FatalErrorMonitor,
  reportFatalExchangeError,
} from '../../../shared/src/application/emergency/report-failure';
import type { AppConfig } from '../../../shared/src/config/config-schema';
import { KRW_MARKET_RULES } from '../../../shared/src/domain/market/market-rules';
import { Decimal } from '../../../shared/src/domain/money/decimal';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import { riskLimitsFromSettings } from '../../../shared/src/domain/risk/risk-settings';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import { ControlService } from '../control/control-service';
import { DecisionHandler } from '../execution/decision-handler';
import { ExecutionEngine } from '../execution/execution-engine';
import { OrderBudget } from '../execution/order-budget';
import type { PlanDeps } from '../execution/plan-support';
import { PositionExitWatcher } from '../execution/position-exit-watcher';
import { bps } from '../execution/pricing';
import { BookFreshnessWatch } from '../feed/book-freshness-watch';
import { MarketDataWriter } from '../feed/market-data-writer';
import { MarketFeed } from '../feed/market-feed';
import { EquityRecorder } from '../health/equity-recorder';
import { EventLoopLag } from '../health/event-loop-lag';
import { executorMetrics, MetricsRegistry } from '../health/metrics';
import { OrderManager } from '../orders/order-manager';
import { OrderTracker } from '../orders/order-tracker';
import { LateRequestWatch } from '../reconcile/late-request-watch';
import { lateRequestSeen, reportDiscrepancy } from '../reconcile/reconcile-report';
import { Reconciler } from '../reconcile/reconciler';
import { TapeRecorder } from '../tape/tape-recorder';
import type { ExecutorPorts } from '../wiring/build-ports';
import { Failpoints } from './failpoints';
import { describeError } from './periodic';
import { TradingGate } from './trading-gate';

/** Everything the executor is made of, wired once. */
export type Components = ReturnType<typeof buildComponents>;

/**
 * Wires the executor's parts to the ports (no I/O happens here): the feed and what listens to it
 * (paper venue, candles and features, tape, the order tracker and the plans), the order manager with
 * its gate and fatal-error monitor, the execution engine and decision handler, the reconciler, the
 * control service, and the health parts.
 */
export function buildComponents(
  config: AppConfig,
  ports: ExecutorPorts,
  o: {
    readonly clock: Clock;
    readonly logger: Logger;
    readonly dryRun: boolean;
    readonly failpoints?: string;
  },
) {
  const { clock, logger } = o;
  const rules = KRW_MARKET_RULES;
  const limits = riskLimitsFromSettings(config);
  const registry = new MetricsRegistry();
  const metrics = executorMetrics(registry);
  const gate = new TradingGate(o.dryRun);
  const failpoints = new Failpoints(o.failpoints);
  const feed = new MarketFeed({
    stream: ports.stream,
    markets: config.markets,
    clock,
    logger: logger.child({ component: 'feed' }),
    privateChannel: ports.privateChannel,
    maxBookAgeMs: config.executor.staleBookSeconds * 1000,
  });
  const bookWatch = new BookFreshnessWatch({
    market: feed.state,
    clock,
    logger: logger.child({ component: 'feed' }),
    notifier: ports.notifier,
  });
  const tracker = new OrderTracker({ store: ports.store, clock, logger });
  const emergencyDeps = { venue: ports.venue, notifier: ports.notifier, clock };
  const fatalMonitor = new FatalErrorMonitor(limits.emergency);
  let equity: EquityRecorder | undefined;
  let lateWatch: LateRequestWatch | undefined;
  /**
   * A late request the private stream showed or a lookup found, taken back: owned by its decision
   * at once (the engine's `adoptRevived`, as for reconciliation), alerted as reconciliation would.
   */
  const takeBack = (order: LocalOrder): Promise<void> =>
    engine
      .adoptRevived(order)
      .then((action) =>
        reportDiscrepancy(
          { logger: logger.child({ component: 'reconcile' }), notifier: ports.notifier, metrics },
          lateRequestSeen(order, action),
          clock.now(),
        ),
      );
  const manager = new OrderManager({
    store: ports.store,
    venue: ports.venue,
    clock,
    logger: logger.child({ component: 'orders' }),
    rules,
    limits,
    gate,
    metrics,
    marketView: (m) => feed.state.view(m),
    equity: async () => equity?.current(),
    onOrder: (order) => {
      tracker.update(order);
      lateWatch?.observe(order);
    },
    onFill: () => equity?.afterFill(),
    // A late request the private stream showed: owned by its decision at once, alerted as reconciliation would.
    onRevived: (order) => void takeBack(order),
    onFatal: (error) => {
      void reportFatalExchangeError({ ...emergencyDeps, store: ports.store }, fatalMonitor, error, {
        component: 'executor',
        limits,
        rules,
        books: feed.state.books(),
      }).catch((e: unknown) =>
        logger.error('could not report a fatal exchange error', { error: describeError(e) }),
      );
    },
    failpoints,
  });
  tracker.attach(manager);
  lateWatch = new LateRequestWatch({
    store: ports.store,
    venue: ports.venue,
    manager,
    clock,
    logger: logger.child({ component: 'reconcile' }),
    metrics,
    onRevived: takeBack,
  });
  const lateRequests = lateWatch;
  equity = new EquityRecorder({
    venue: ports.venue,
    market: feed.state,
    history: ports.equityStore,
    clock,
    logger,
    rules,
    limits,
    ...(config.executor.lossCheck ? { lossCheck: { ...emergencyDeps, store: ports.store } } : {}),
  });
  const planDeps: PlanDeps = {
    manager,
    tracker,
    market: feed.state,
    store: ports.store,
    clock,
    logger: logger.child({ component: 'execution' }),
    rules,
    limits,
    settings: {
      makerWindowMs: config.executor.makerWindowSeconds * 1000,
      escalatePassive: config.executor.escalatePassive,
      repriceMinIntervalMs: config.executor.repriceMinIntervalMs,
      slippage: bps(config.guards.slippageBps),
      minEdge: bps(config.executor.minEdgeBps),
    },
    budget: new OrderBudget(config.executor.orderRatePerSecond, clock),
  };
  const engine = new ExecutionEngine(planDeps);
  let lastDecisionAt: number | undefined;
  const handler = new DecisionHandler({
    engine,
    decisions: ports.store,
    gate,
    clock,
    logger: logger.child({ component: 'decisions' }),
    metrics,
    markets: config.markets,
    ttlMs: config.executor.decisionTtlSeconds * 1000,
    failpoints,
    onReceived: (at) => {
      lastDecisionAt = at;
    },
  });
  const equityRecorder = equity;
  const reconciler = new Reconciler({
    store: ports.store,
    venue: ports.venue,
    manager,
    tracker,
    market: feed.state,
    clock,
    logger: logger.child({ component: 'reconcile' }),
    notifier: ports.notifier,
    metrics,
    markets: config.markets,
    equity: () => equityRecorder.current(),
    unknownOrderPolicy: config.executor.unknownOrderPolicy,
    live: config.mode === 'live',
    dryRun: o.dryRun,
    ...(ports.closedOrders === undefined ? {} : { closedOrders: ports.closedOrders }),
    toleranceKrw: new Decimal(1),
    onRevived: (order) => engine.adoptRevived(order),
  });
  const control = new ControlService({
    store: ports.store,
    emergency: emergencyDeps,
    gate,
    engine,
    tracker,
    market: feed.state,
    clock,
    logger: logger.child({ component: 'control' }),
    metrics,
    limits,
    rules,
  });
  const marketWriter = new MarketDataWriter({
    store: ports.marketDataStore,
    source: ports.marketData,
    markets: config.markets,
    clock,
    logger: logger.child({ component: 'market-data' }),
    metrics,
    volumeBarKrw: config.strategies.microstructure.params.volumeBarKrw,
  });
  const tape = new TapeRecorder({
    writer: new TapeWriter({
      dir: config.executor.tapeDir,
      onError: (error, path) => logger.warn('tape write failed', { path, error: describeError(error) }),
    }),
    orderbookIntervalMs: config.executor.tapeOrderbookIntervalMs,
    clock,
    logger,
  });
  const exits = new PositionExitWatcher({
    store: ports.store,
    engine,
    market: feed.state,
    gate,
    clock,
    logger: logger.child({ component: 'exits' }),
    limits,
    rules,
  });
  const loopLag = new EventLoopLag();
  return {
    config,
    ports,
    clock,
    logger,
    rules,
    limits,
    registry,
    metrics,
    gate,
    feed,
    bookWatch,
    tracker,
    manager,
    equity: equityRecorder,
    engine,
    exits,
    handler,
    reconciler,
    lateRequests,
    control,
    marketWriter,
    tape,
    loopLag,
    lastDecisionAt: () => lastDecisionAt,
  };
}
