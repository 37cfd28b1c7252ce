import { setMaxListeners } from 'node:events';
import {
  decodeControlMessage,
  decodeDecisionMessage,
} from '../../../shared/src/application/messaging/message-envelope';
import type { OrderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { ExecutorOptions, RunningExecutor } from '../executor-types';
import { Heartbeat } from '../health/heartbeat';
import { OpsServer } from '../health/ops-server';
import type { ReconcileReport } from '../reconcile/reconciler';
import type { Components } from './components';
import { healthReport, heartbeatSnapshot, type LifecycleFacts } from './health-model';
import { describeError, runEvery } from './periodic';
import { runQueueConsumer } from './queue-consumers';
import { keepReconciling, type PhaseCell, reconcileAtStart } from './reconcile-gate';

/** Loops that may wait on the life signal at once (periodic jobs, consumers, plans' steps), with room. */
const LIFE_SIGNAL_LISTENERS = 32;

/** How long startup waits for every market's first book before reconciling anyway. */
const FIRST_BOOKS_MS = 15_000;

/** `work`, or 'timeout' after `ms`. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => {
    timer = setTimeout(() => r('timeout'), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The running executor's life: start order (ops server, feed, control, first books,
 * reconciliation, resumed plans, decision consumer), the periodic loops, drain and stop.
 */
export class Lifecycle {
  readonly #life = new AbortController();
  readonly #intake = new AbortController();
  readonly #loops: Promise<unknown>[] = [];
  readonly #startedAt: number;
  readonly #facts: LifecycleFacts;
  readonly #ops: OpsServer;
  readonly #heartbeat: Heartbeat;
  #phase = 'starting';
  readonly #phaseCell: PhaseCell = {
    get: () => this.#phase,
    set: (phase) => {
      this.#phase = phase;
    },
  };
  #consumer: Promise<void> | undefined;
  #consumerRunning = false;
  #heartbeatOk = true;
  #drain: Promise<{ drained: boolean; reason?: string }> | undefined;
  #stop: Promise<void> | undefined;

  constructor(
    private readonly c: Components,
    private readonly options: ExecutorOptions,
    private readonly dryRun: boolean,
    version: string,
  ) {
    // Every periodic loop waits on the life signal (one abort listener each while it sleeps, removed
    // when it wakes): a dozen at once is the design, not the leak Node warns about past ten.
    setMaxListeners(LIFE_SIGNAL_LISTENERS, this.#life.signal);
    this.#startedAt = c.clock.now();
    this.#facts = {
      version,
      startedAt: this.#startedAt,
      dryRun,
      phase: () => this.#phase,
      consumerRunning: () => this.#consumerRunning,
      decisionQueue: c.ports.decisionQueue !== undefined,
      lastHeartbeatOk: () => this.#heartbeatOk,
      opsPort: () => this.#ops.port,
    };
    this.#ops = new OpsServer({
      health: () => healthReport(c, c.config, this.#facts),
      metrics: () => c.registry.render(),
      drain: () => this.drain(),
    });
    this.#heartbeat = new Heartbeat({
      store: {
        putStatus: async (s) => {
          try {
            const r = await c.ports.statusStore.putStatus(s);
            this.#heartbeatOk = true;
            return r;
          } catch (error) {
            this.#heartbeatOk = false;
            throw error;
          }
        },
        getStatus: (n) => c.ports.statusStore.getStatus(n),
        listStatuses: () => c.ports.statusStore.listStatuses(),
      },
      clock: c.clock,
      logger: c.logger,
      snapshot: () => heartbeatSnapshot(c, c.config, this.#facts),
    });
  }

  async start(): Promise<RunningExecutor> {
    const { c } = this;
    const port = await this.#ops.listen(this.options.opsPort ?? c.config.executor.opsPort);
    c.logger.info('executor starting', {
      mode: c.config.mode,
      exchange: c.config.exchange,
      venue: c.ports.venueKind,
      markets: c.config.markets,
      opsPort: port,
      version: this.#facts.version,
      dryRun: this.dryRun,
    });
    this.#wireFeed();
    c.loopLag.start();
    await c.feed.start();
    const signal = this.#life.signal;
    const deps = { clock: c.clock, logger: c.logger, signal };
    this.#loops.push(
      c.tape.run(signal),
      this.#heartbeat.run(signal),
      c.marketWriter.run(signal),
      c.equity.run(signal),
      c.bookWatch.run(signal),
    );
    if (!this.dryRun) {
      // Late-request lookups run under the latch too: they only read; what they find is cancelled.
      const late = c.lateRequests.run(signal);
      this.#loops.push(c.control.watch(signal), c.engine.run(signal), c.exits.run(signal), late);
      this.#startControlConsumer();
    }
    const reconciled = this.#reconcileThenTrade();
    reconciled.catch(() => undefined);
    this.#loops.push(
      reconciled.then(
        () =>
          runEvery(
            'fill backstop',
            c.config.executor.fillPollSeconds * 1000,
            () => c.tracker.pollOnce(),
            deps,
          ),
        () => undefined,
      ),
    );
    return {
      opsPort: port,
      reconciled,
      health: () => healthReport(c, c.config, this.#facts),
      drain: () => this.drain(),
      stop: () => this.stop(),
    };
  }

  #wireFeed(): void {
    const { c } = this;
    const paper = c.ports.paper;
    if (paper !== undefined) {
      c.feed.listen(paper);
      paper.onOrderChange((identifier) => {
        if (identifier !== undefined) c.tracker.requestSync(identifier as OrderIdentifier);
      });
    }
    c.feed.listen(c.marketWriter);
    c.feed.listen(c.tape);
    c.feed.listen({
      onBook: (book) => c.engine.poke(book.market),
      onMyOrder: (event) => {
        void c.manager
          .onOrderEvent(event)
          .catch((error: unknown) =>
            c.logger.warn('order event failed; the backstop retries', { error: describeError(error) }),
          );
      },
      onResynced: (event) => {
        if (event.channel === 'private') void c.tracker.pollOnce();
      },
    });
  }

  async #reconcileThenTrade(): Promise<ReconcileReport> {
    const { c } = this;
    const signal = this.#life.signal;
    this.#phase = 'reconciling';
    const missing = await c.feed.waitForBooks(FIRST_BOOKS_MS, signal);
    if (missing.length > 0) c.logger.warn('no book yet for some markets; reconciling anyway', { missing });
    void c.marketWriter
      .backfillSinceStored()
      .catch((error: unknown) =>
        c.logger.warn('startup candle backfill failed', { error: describeError(error) }),
      );
    const report = await reconcileAtStart(c, this.dryRun, signal, this.#phaseCell);
    if (this.dryRun || !report.complete || !report.explained) {
      this.#phase = 'dry-run';
      return report;
    }
    c.gate.setReconciled(true);
    this.#phase = 'running';
    await c.control
      .refresh()
      .catch((error: unknown) => c.logger.warn('control read failed', { error: describeError(error) }));
    await c.engine.resumeFromStore(c.tracker.active());
    this.#startDecisionConsumer();
    this.#loops.push(keepReconciling(c, signal, this.#phaseCell));
    void this.#heartbeat.beat().catch(() => undefined);
    c.logger.info('executor trading', {
      openOrders: c.tracker.active().length,
      plans: c.engine.active().length,
    });
    return report;
  }

  #startDecisionConsumer(): void {
    const { c } = this;
    const queue = c.ports.decisionQueue;
    if (queue === undefined || this.dryRun) return;
    this.#consumerRunning = true;
    this.#consumer = runQueueConsumer({
      ...this.#consumerOptions(),
      name: 'decision-queue',
      queue,
      decode: decodeDecisionMessage,
      handle: c.handler.handle,
      signal: this.#intake.signal,
    }).finally(() => {
      this.#consumerRunning = false;
    });
  }

  #startControlConsumer(): void {
    const queue = this.c.ports.controlQueue;
    if (queue === undefined) return;
    this.#loops.push(
      runQueueConsumer({
        ...this.#consumerOptions(),
        name: 'control-queue',
        queue,
        decode: decodeControlMessage,
        handle: this.c.control.handle,
        signal: this.#life.signal,
      }),
    );
  }

  #consumerOptions() {
    const { c } = this;
    return {
      clock: c.clock,
      logger: c.logger,
      visibilityTimeoutMs: c.config.executor.queueVisibilitySeconds * 1000,
      ...(this.options.queueWaitMs === undefined ? {} : { waitTimeMs: this.options.queueWaitMs }),
    };
  }

  drain(): Promise<{ drained: boolean; reason?: string }> {
    this.#drain ??= this.#doDrain();
    return this.#drain;
  }

  async #doDrain(): Promise<{ drained: boolean; reason?: string }> {
    const { c } = this;
    const limit = c.config.executor.drainTimeoutSeconds * 1000;
    c.gate.startDraining();
    this.#phase = 'draining';
    c.logger.info('draining: no new decisions; finishing in-flight work');
    this.#intake.abort();
    const consumer = this.#consumer === undefined ? undefined : await withTimeout(this.#consumer, limit);
    if (!this.dryRun) {
      const cancelQuotes = c.config.executor.quotesOnShutdown === 'cancel';
      await withTimeout(
        c.engine.stopAll('draining', (plan) => plan.kind !== 'quotes' || cancelQuotes),
        limit,
      );
    }
    await c.marketWriter.flush().catch(() => undefined);
    await this.#heartbeat.beat().catch(() => undefined);
    const drained = consumer !== 'timeout';
    c.logger.info('drained', { drained, openOrders: c.tracker.active().length });
    return drained ? { drained } : { drained, reason: 'the in-flight decision did not finish in time' };
  }

  stop(): Promise<void> {
    this.#stop ??= (async () => {
      const { c } = this;
      await this.drain();
      this.#life.abort();
      await withTimeout(Promise.allSettled(this.#loops), 10_000);
      await c.feed.stop().catch(() => undefined);
      this.#phase = 'stopped';
      await this.#heartbeat.beat().catch(() => undefined);
      await this.#ops.close();
      c.loopLag.stop();
      c.ports.close();
      c.logger.info('executor stopped');
    })();
    return this.#stop;
  }
}
