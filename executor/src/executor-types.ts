import type { AppConfig } from '../../shared/src/config/config-schema';
import type { Clock } from '../../shared/src/ports/clock';
import type { Logger } from '../../shared/src/ports/logger';
import type { HealthReport } from './health/ops-server';
import type { ReconcileReport } from './reconcile/reconciler';
import type { ExecutorPorts } from './wiring/build-ports';
import type { Env } from './wiring/executor-env';

/** How to start an executor: everything optional, production passes nothing but the environment. */
export interface ExecutorOptions {
  /** Validated config; default `loadConfig({ env })`. */
  readonly config?: AppConfig;
  /** Environment (table, queue URLs, endpoints, QTS_RELEASE); default `process.env`. */
  readonly env?: Env;
  /** Overrides `executor.opsPort` (0 = a free port). */
  readonly opsPort?: number;
  /** Feed and reconcile only: never consume decisions, never place or cancel orders. */
  readonly dryRun?: boolean;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Adapters to use instead of building them from config and env (tests, the local stack). */
  readonly ports?: ExecutorPorts;
  /** Test-only crash points (`EXECUTOR_FAILPOINT`), see runtime/failpoints.ts. */
  readonly failpoints?: string;
  /** Consumer long-poll wait (default 20 s, SQS's maximum). */
  readonly queueWaitMs?: number;
}

/** A started executor. */
export interface RunningExecutor {
  /** Port of the ops server (GET /healthz, GET /metrics, POST /drain) on 127.0.0.1. */
  readonly opsPort: number;
  /** The first successful reconciliation (trading starts after it); rejects if startup fails. */
  readonly reconciled: Promise<ReconcileReport>;
  health(): HealthReport;
  /** Stops taking decisions, finishes in-flight work, leaves or cancels quotes, flushes state. */
  drain(): Promise<{ readonly drained: boolean; readonly reason?: string }>;
  /** Drains, then stops every loop and closes every connection. Idempotent. */
  stop(): Promise<void>;
}
