import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { JsonLogger, type LogLevelName } from '../../shared/src/adapters/logging/json-logger';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import {
  decodeControlMessage,
  decodeDecisionMessage,
} from '../../shared/src/application/messaging/message-envelope';
import { DEFAULT_MAX_ATTEMPTS, QueueConsumer } from '../../shared/src/application/messaging/queue-consumer';
import { loadConfig } from '../../shared/src/config/load-config';
import type { OrderIdentifier } from '../../shared/src/domain/orders/identifiers';
import type { ExecutorOptions, RunningExecutor } from './executor-types';
import { Heartbeat } from './health/heartbeat';
import { OpsServer } from './health/ops-server';
import type { ReconcileReport } from './reconcile/reconciler';
import { buildComponents, type Components } from './runtime/components';
import {
  healthReport,
  heartbeatSnapshot,
  type LifecycleFacts,
  registerCollected,
} from './runtime/health-model';
import { describeError, pause, runEvery } from './runtime/periodic';
import { buildPorts } from './wiring/build-ports';
import { ExecutorEnv, envValue } from './wiring/executor-env';

/** How long startup waits for every market's first book before reconciling anyway. */
const FIRST_BOOKS_MS = 15_000;
/** Retry pause of an incomplete reconciliation at start (a market without a book yet, a network error). */
const RECONCILE_RETRY_MS = 5_000;

/** The package version, reported when QTS_RELEASE is not set. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => {
    timer = setTimeout(() => r('timeout'), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts the executor and returns once the ops server listens and the feed is starting; trading begins
 * after the first successful reconciliation (`reconciled`). Order of start: ops server (health says
 * `reconciling` meanwhile), feed, control (an emergency stop works from the first second), first
 * books, reconciliation, plans of orders that survived a restart, then the decision consumer.
 * Production passes nothing (config and adapters from the environment); tests and the local stack
 * pass ports. `main.ts` is the CLI over this function.
 */
export async function startExecutor(options: ExecutorOptions = {}): Promise<RunningExecutor> {
  const env = options.env ?? process.env;
  const config = options.config ?? loadConfig({ env });
  const clock = options.clock ?? new SystemClock();
  const level = (envValue(env, ExecutorEnv.logLevel) ?? 'info') as LogLevelName;
  const logger =
    options.logger ??
    new JsonLogger((line) => process.stdout.write(`${line}\n`), clock, level).child({
      component: 'executor',
    });
  const dryRun = options.dryRun ?? false;
  const ports = options.ports ?? buildPorts(config, env, clock, logger);
  const c = buildComponents(config, ports, {
    clock,
    logger,
    dryRun,
    ...(options.failpoints === undefined ? {} : { failpoints: options.failpoints }),
  });
  registerCollected(c);
  return new Lifecycle(c, options, dryRun, envValue(env, ExecutorEnv.release) ?? packageVersion()).start();
}

class Lifecycle {
  readonly #life = new AbortController();
  readonly #intake = new AbortController();
  readonly #loops: Promise<unknown>[] = [];
  readonly #startedAt: number;
  readonly #facts: LifecycleFacts;
  readonly #ops: OpsServer;
  readonly #heartbeat: Heartbeat;
  #phase = 'starting';
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
    );
    if (!this.dryRun) {
      this.#loops.push(c.control.watch(signal), c.engine.run(signal), c.exits.run(signal));
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
    let report: ReconcileReport | undefined;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw new Error('stopped before reconciliation succeeded');
      try {
        report = await c.reconciler.reconcile();
      } catch (error) {
        c.logger.warn('reconciliation failed', { attempt, error: describeError(error) });
        report = undefined;
      }
      if (report?.complete === true && report.explained) break;
      if (this.dryRun && attempt >= 3) break;
      if (report !== undefined && !report.explained) {
        this.#phase = 'refused';
        c.logger.error(
          'the account is in a state this executor cannot explain: not trading until it is resolved',
          {
            discrepancies: report.discrepancies.filter((x) => !x.explained).map((x) => x.detail),
          },
        );
        await pause(c.clock, c.config.executor.reconcileIntervalSeconds * 1000, signal);
      } else await pause(c.clock, RECONCILE_RETRY_MS, signal);
    }
    if (this.dryRun || report === undefined || !report.complete || !report.explained) {
      if (report === undefined) throw new Error('reconciliation never completed');
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
    const deps = { clock: c.clock, logger: c.logger, signal };
    this.#loops.push(
      runEvery(
        'reconciliation',
        c.config.executor.reconcileIntervalSeconds * 1000,
        async () => {
          const r = await c.reconciler.reconcile();
          if (!r.explained && c.config.mode === 'live') {
            c.gate.setReconciled(false);
            this.#phase = 'refused';
          } else if (r.complete && r.explained && this.#phase === 'refused') {
            c.gate.setReconciled(true);
            this.#phase = 'running';
          }
        },
        deps,
      ),
    );
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
    const consumer = new QueueConsumer({
      queue,
      clock: c.clock,
      logger: c.logger.child({ component: 'decision-queue' }),
      decode: decodeDecisionMessage,
      handle: c.handler.handle,
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      visibilityTimeoutMs: c.config.executor.queueVisibilitySeconds * 1000,
      ...(this.options.queueWaitMs === undefined ? {} : { waitTimeMs: this.options.queueWaitMs }),
    });
    this.#consumerRunning = true;
    this.#consumer = consumer
      .run(this.#intake.signal)
      .catch((error: unknown) => {
        c.logger.error('decision consumer halted on a fatal error; no decisions are taken', {
          error: describeError(error),
        });
      })
      .finally(() => {
        this.#consumerRunning = false;
      });
  }

  #startControlConsumer(): void {
    const { c } = this;
    const queue = c.ports.controlQueue;
    if (queue === undefined) return;
    const consumer = new QueueConsumer({
      queue,
      clock: c.clock,
      logger: c.logger.child({ component: 'control-queue' }),
      decode: decodeControlMessage,
      handle: c.control.handle,
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      visibilityTimeoutMs: c.config.executor.queueVisibilitySeconds * 1000,
      ...(this.options.queueWaitMs === undefined ? {} : { waitTimeMs: this.options.queueWaitMs }),
    });
    this.#loops.push(
      consumer.run(this.#life.signal).catch((error: unknown) => {
        c.logger.error('control consumer halted', { error: describeError(error) });
      }),
    );
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
