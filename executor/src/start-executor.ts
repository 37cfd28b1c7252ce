import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonLogger, type LogLevelName } from '../../shared/src/adapters/logging/json-logger';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { loadConfig } from '../../shared/src/config/load-config';
import { APP_DEFAULT_CONFIG, APP_ROOT } from './app-root';
import type { ExecutorOptions, RunningExecutor } from './executor-types';
import { buildComponents } from './runtime/components';
import { registerCollected } from './runtime/health-model';
import { Lifecycle } from './runtime/lifecycle';
import { buildPorts } from './wiring/build-ports';
import { ExecutorEnv, envValue } from './wiring/executor-env';

/** The package version, reported when QTS_RELEASE is not set. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(APP_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
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
  const config = options.config ?? loadConfig({ env, defaultPath: APP_DEFAULT_CONFIG });
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
