import { helpText, numberOption, parseCommandLine, stringOption, UsageError } from '../../cli/lib/args';
import { ConfigError } from '../../shared/src/config/config-error';
import { loadConfig } from '../../shared/src/config/load-config';
import { APP_DEFAULT_CONFIG } from './app-root';
import { EXECUTOR_SPEC, ExecutorExit } from './cli/executor-cli';
import { installLazySourceMaps } from './runtime/lazy-source-map';
import { startExecutor } from './start-executor';
import { ExecutorEnv, envValue } from './wiring/executor-env';
import { selfCheck, selfCheckText } from './wiring/self-check';

// The bundle maps its stack traces to the TypeScript when one is first formatted (the unit runs
// without --enable-source-maps, which would hold the map for the process's life): before any code runs.
installLazySourceMaps(__filename);

/** systemd's stop timeout must be longer than this (infra: TimeoutStopSec=45). */
const SIGTERM_EXIT_MS = 40_000;

function oneOf(value: string | undefined, allowed: readonly string[], name: string): string | undefined {
  if (value === undefined || allowed.includes(value)) return value;
  throw new UsageError(`--${name} must be ${allowed.join(' or ')}, got "${value}"`);
}

/**
 * `npm run executor` (production: the bundle `node dist/executor/main.cjs` under systemd): parses the
 * flags into the config's environment overrides (`--mode` is QTS_MODE, so the schema's live-mode
 * guard applies exactly as for the environment), then runs the self-check, the dry run, or the
 * executor until SIGTERM. Composition only; everything else is in startExecutor.
 */
async function main(argv: readonly string[]): Promise<number> {
  const { options, help } = parseCommandLine(argv, EXECUTOR_SPEC);
  if (help) {
    process.stdout.write(helpText(EXECUTOR_SPEC));
    return ExecutorExit.ok;
  }
  const env: Record<string, string | undefined> = { ...process.env };
  const exchange = oneOf(stringOption(options, 'exchange'), ['upbit', 'sim'], 'exchange');
  const mode = oneOf(stringOption(options, 'mode'), ['paper', 'live'], 'mode');
  if (exchange !== undefined) env.QTS_EXCHANGE = exchange;
  if (mode !== undefined) env.QTS_MODE = mode;
  const opsPort =
    stringOption(options, 'ops-port') === undefined
      ? undefined
      : numberOption(options, 'ops-port', 0, { min: 0, max: 65535, integer: true });
  const config = loadConfig({ env, defaultPath: APP_DEFAULT_CONFIG });

  if (options['self-check'] === true) {
    const results = await selfCheck(config, env);
    process.stdout.write(
      options.json === true
        ? `${JSON.stringify({ ok: results.every((r) => r.ok), checks: results }, null, 2)}\n`
        : selfCheckText(results),
    );
    return results.every((r) => r.ok) ? ExecutorExit.ok : ExecutorExit.failed;
  }

  const dryRun = options['dry-run'] === true;
  const failpoints = envValue(env, ExecutorEnv.failpoint);
  const running = await startExecutor({
    config,
    env,
    dryRun,
    ...(opsPort === undefined ? {} : { opsPort }),
    ...(failpoints === undefined ? {} : { failpoints }),
  });
  process.stderr.write(
    `executor: ops server on http://127.0.0.1:${running.opsPort} (GET /healthz, GET /metrics, POST /drain)\n`,
  );
  if (dryRun) {
    const report = await running.reconciled.catch((error: unknown) => {
      process.stderr.write(
        `executor: reconciliation failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return undefined;
    });
    await running.stop();
    if (report === undefined) return ExecutorExit.failed;
    const ok = report.complete && report.explained;
    process.stderr.write(
      `executor: dry run ${ok ? 'reconciled' : 'did NOT reconcile'}: ${report.discrepancies.length} discrepancies, ${report.openOrders} open orders on the exchange\n`,
    );
    for (const d of report.discrepancies) process.stderr.write(`  - ${d.kind}: ${d.detail} → ${d.action}\n`);
    return ok ? ExecutorExit.ok : ExecutorExit.failed;
  }
  running.reconciled.catch((error: unknown) => {
    process.stderr.write(
      `executor: startup failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    void running.stop().finally(() => process.exit(ExecutorExit.failed));
  });
  return new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.stderr.write(`executor: ${signal}: draining and stopping\n`);
      const hard = setTimeout(() => {
        process.stderr.write('executor: stop took too long; exiting\n');
        process.exit(ExecutorExit.failed);
      }, SIGTERM_EXIT_MS);
      hard.unref();
      void running.stop().then(() => resolve(ExecutorExit.ok));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}

process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `executor: unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`,
  );
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`executor: ${error.message}\nRun \`npm run executor -- --help\` for usage.\n`);
      process.exit(ExecutorExit.usage);
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`executor: ${error.message}\n`);
      process.exit(ExecutorExit.usage);
    }
    process.stderr.write(
      `executor: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(ExecutorExit.failed);
  },
);
