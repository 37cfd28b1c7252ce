import { ControlService } from '../../../executor/src/control/control-service';
import { DecisionHandler } from '../../../executor/src/execution/decision-handler';
import { ExecutionEngine } from '../../../executor/src/execution/execution-engine';
import { OrderBudget } from '../../../executor/src/execution/order-budget';
import type { ExecutionSettings, PlanDeps } from '../../../executor/src/execution/plan-support';
import { MarketState } from '../../../executor/src/feed/market-state';
import { type ExecutorMetrics, executorMetrics, MetricsRegistry } from '../../../executor/src/health/metrics';
import { OrderManager } from '../../../executor/src/orders/order-manager';
import { OrderTracker } from '../../../executor/src/orders/order-tracker';
import { LateRequestWatch } from '../../../executor/src/reconcile/late-request-watch';
import { lateRequestSeen, reportDiscrepancy } from '../../../executor/src/reconcile/reconcile-report';
import { Reconciler } from '../../../executor/src/reconcile/reconciler';
import { Failpoints } from '../../../executor/src/runtime/failpoints';
import { TradingGate } from '../../../executor/src/runtime/trading-gate';
import { MemoryLogger } from '../../../shared/src/adapters/logging/json-logger';
import type { ManualClock } from '../../../shared/src/adapters/memory/manual-clock';
import { MemoryNotifier } from '../../../shared/src/adapters/memory/memory-notifier';
import type { MemoryStateStore } from '../../../shared/src/adapters/memory/memory-state-store';
import type { PaperBook } from '../../../shared/src/adapters/memory/memory-trading-venue';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { KRW_MARKET_RULES } from '../../../shared/src/domain/market/market-rules';
import { krw } from '../../../shared/src/domain/money/quantities';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import type { TradingVenue } from '../../../shared/src/ports/trading-venue';
import { SETTINGS } from './execution-world';
import { BTC, TEST_LIMITS, viewOf } from './memory-world';

/** Thrown by a failpoint in place of SIGKILL, and by every port of a process after it "died". */
export class Crash extends Error {
  override readonly name = 'Crash';
}

/** What outlives a process: the store, the venue and the clock. */
export interface Durable {
  readonly clock: ManualClock;
  readonly store: MemoryStateStore;
  readonly venue: TradingVenue;
}

/** One executor "process" over {@link Durable} state, wired as executor/src/runtime/components.ts does. */
export interface ProcessStack {
  readonly gate: TradingGate;
  readonly logger: MemoryLogger;
  readonly manager: OrderManager;
  readonly tracker: OrderTracker;
  readonly engine: ExecutionEngine;
  readonly handler: DecisionHandler;
  readonly reconciler: Reconciler;
  /** Looks up given-up requests by identifier; tests tick it by hand (the executor every second). */
  readonly lateWatch: LateRequestWatch;
  readonly metrics: ExecutorMetrics;
  readonly control: ControlService;
  readonly notifier: MemoryNotifier;
  readonly state: MarketState;
  /** True once a failpoint fired: from then on every store/venue call of this process throws. */
  dead(): boolean;
  /** Feeds a book to the feed state (the venue's book is set separately). */
  feedBook(market: Market, book: PaperBook): void;
  /** Waits until every queued plan step of `market` ran (a hold decision queues behind them). */
  settle(market: Market): Promise<void>;
  /** Start-up as lifecycle.ts does it: reconcile, open the gate, read the control item, resume stored plans. */
  start(): Promise<void>;
}

/** Wraps a port so every call throws {@link Crash} once `dead()` is true (a killed process does nothing more). */
function mortal<T extends object>(target: T, dead: () => boolean): T {
  return new Proxy(target, {
    get(t, key) {
      const value = Reflect.get(t, key, t) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (dead()) throw new Crash('the process is dead');
        return (value as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
}

let holdSeq = 0;

/**
 * Builds one process trading `markets`; `failpoint` (e.g. `order.after-place:2`) makes it "die" there;
 * `settings` are the shipped defaults unless a test needs others (e.g. a maker window past expiry).
 */
export function processStack(
  durable: Durable,
  failpoint?: string,
  markets: readonly Market[] = [BTC],
  settings: ExecutionSettings = SETTINGS,
): ProcessStack {
  const { clock } = durable;
  let died = false;
  const dead = () => died;
  const store = mortal(durable.store, dead);
  const venue = mortal(durable.venue, dead);
  const logger = new MemoryLogger(clock);
  const gate = new TradingGate();
  const metrics = executorMetrics(new MetricsRegistry());
  const state = new MarketState(markets);
  const tracker = new OrderTracker({ store, clock, logger });
  const failpoints = new Failpoints(failpoint, (name) => {
    died = true;
    throw new Crash(`killed at ${name}`);
  });
  const limits = { ...TEST_LIMITS, minMsBetweenTrades: 0 };
  const equity = async () => krw('10000000');
  const takeBack = (o: LocalOrder): Promise<void> =>
    engine
      .adoptRevived(o)
      .then((action) =>
        reportDiscrepancy({ logger, notifier, metrics }, lateRequestSeen(o, action), clock.now()),
      );
  const manager = new OrderManager({
    store,
    venue,
    clock,
    logger,
    rules: KRW_MARKET_RULES,
    limits,
    gate,
    metrics,
    marketView: (m) => state.view(m),
    equity,
    onOrder: (o) => {
      tracker.update(o);
      lateWatch.observe(o);
    },
    failpoints,
    onRevived: (o) => void takeBack(o),
  });
  tracker.attach(manager);
  const lateWatch: LateRequestWatch = new LateRequestWatch({
    store,
    venue,
    manager,
    clock,
    logger,
    metrics,
    onRevived: takeBack,
  });
  const deps: PlanDeps = {
    manager,
    tracker,
    market: state,
    store,
    clock,
    logger,
    rules: KRW_MARKET_RULES,
    limits,
    settings,
    budget: new OrderBudget(1_000, clock),
  };
  const engine = new ExecutionEngine(deps);
  const handler = new DecisionHandler({
    engine,
    decisions: store,
    gate,
    clock,
    logger,
    metrics,
    markets,
    ttlMs: 60_000,
    failpoints,
  });
  const notifier = new MemoryNotifier('en');
  const control = new ControlService({
    store,
    emergency: { venue, notifier, clock },
    gate,
    engine,
    tracker,
    market: state,
    clock,
    logger,
    metrics,
    limits,
    rules: KRW_MARKET_RULES,
  });
  const reconciler = new Reconciler({
    store,
    venue,
    manager,
    tracker,
    market: state,
    clock,
    logger,
    notifier,
    metrics,
    markets,
    equity,
    unknownOrderPolicy: 'cancel',
    live: false,
    dryRun: false,
    onRevived: (order) => engine.adoptRevived(order),
  });
  let tradeSeq = 0;
  return {
    gate,
    logger,
    manager,
    tracker,
    engine,
    handler,
    reconciler,
    lateWatch,
    metrics,
    control,
    notifier,
    state,
    dead,
    feedBook(market, book) {
      const view = viewOf(market, book, clock.now());
      if (view.book !== undefined) state.applyBook(view.book);
      state.applyTrade({
        market,
        timestamp: clock.now(),
        price: Number(book.bids[0]?.[0] ?? 0),
        volume: 0.001,
        takerSide: 'ask',
        sequentialId: `${clock.now()}-${++tradeSeq}`,
      });
    },
    async settle(market) {
      const now = clock.now();
      const hold: Decision = {
        id: `hold-BTC-20260302T0100-${++holdSeq}` as never,
        market,
        createdAt: now,
        expiresAt: (now + 60_000) as EpochMs,
        source: 'ensemble',
        strategy: 'momentum_scalping',
        intent: { kind: 'hold' },
        signals: [],
      };
      await engine.accept(hold, now);
    },
    async start() {
      gate.setReconciled(false);
      await reconciler.reconcile();
      gate.setReconciled(true);
      await control.refresh();
      await engine.resumeFromStore(tracker.active());
    },
  };
}
