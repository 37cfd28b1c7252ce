import { rmSync } from 'node:fs';
import { closeClients } from '../../functions/lib/aws-deps';
import type { LogLevelName } from '../../shared/src/adapters/logging/json-logger';
import {
  LOCAL_SECRETS_ENV,
  LOCAL_SECRETS_PATH,
  prepareLocalSecrets,
} from '../../shared/src/adapters/system/local-secrets';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { ConfigError } from '../../shared/src/config/config-error';
import type { AppConfig } from '../../shared/src/config/config-schema';
import { loadConfig } from '../../shared/src/config/load-config';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { FakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { startEmulators } from './emulators';
import { ExecutorSupervisor } from './executor-supervisor';
import { localFunctions } from './local-functions';
import { LogStream } from './log-stream';
import { Scheduler } from './scheduler';
import {
  lockStateDir,
  removeStackFile,
  type StackInfo,
  StateDirBusyError,
  stackFilePath,
  writeJsonFile,
} from './stack-file';
import { LIVE_BANNER, readyBanner, waitForBars, waitForExecutor } from './stack-ready';
import { executorEnv, startAlertConsumer, startFrontEnds, startSim, upbitReachable } from './stack-services';
import { configOverrides, type StartOptions } from './start-options';
import { freePort, Teardown } from './teardown';

type Env = Readonly<Record<string, string | undefined>>;

/** Where `npm start` writes: stdout for logs and the banner, stderr for the one-line failures. */
export interface StackIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly colour: boolean;
}

/** Exit codes of `npm start`. */
export const StartExit = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * `npm start`: composes the local stack in one process tree and runs it until `stop` aborts (Ctrl+C,
 * SIGTERM) or a component the stack cannot run without fails. Start order: configuration (the live
 * guard included), the state directory lock, Upbit's reachability, emulators, the sim, secrets, API +
 * dashboard + Telegram, the alert consumer, the executor, the scheduler; stop order is the reverse,
 * so nothing is left running and nothing trades without its risk check. Returns the exit code.
 */
export async function runStack(
  o: StartOptions,
  processEnv: Env,
  io: StackIo,
  stop: AbortSignal,
): Promise<number> {
  const clock = new SystemClock();
  const startedAt = clock.now();
  const env: Env = { ...processEnv, ...configOverrides(o) };
  let config: AppConfig;
  try {
    config = loadConfig({ env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`npm start: ${error.message}\n`);
    return StartExit.usage;
  }
  if (config.mode === 'live') io.stderr(LIVE_BANNER);
  if (config.exchange === 'upbit') {
    const problem = await upbitReachable(config.upbit.restUrl);
    if (problem !== undefined) {
      io.stderr(
        `npm start: Upbit cannot be reached: ${problem}. To run offline on the bundled fake exchange: npm start -- --exchange sim\n`,
      );
      return StartExit.failed;
    }
  }
  let unlock: () => void;
  try {
    unlock = lockStateDir(o.stateDir);
  } catch (error) {
    if (!(error instanceof StateDirBusyError)) throw error;
    io.stderr(`npm start: ${error.message}\n`);
    return StartExit.failed;
  }
  const logs = new LogStream({
    format: o.jsonLogs ? 'json' : 'pretty',
    colour: io.colour && !o.jsonLogs,
    minLevel: (['debug', 'info', 'warn', 'error'].includes(env.QTS_LOG_LEVEL ?? '')
      ? env.QTS_LOG_LEVEL
      : 'info') as LogLevelName,
    clock,
    write: io.stdout,
  });
  const log = logs.logger('stack');
  const teardown = new Teardown((name, error) =>
    log.error('stop step failed', {
      step: name,
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  teardown.add('state directory lock', unlock);
  const stackFile = stackFilePath(processEnv);
  // The ready file exists only while this run is ready: a stale one would mislead whoever waits for it.
  if (o.readyFile !== undefined) rmSync(o.readyFile, { force: true });
  let fatal: (reason: string) => void = () => undefined;
  const failed = new Promise<string>((resolve) => {
    fatal = resolve;
  });
  let info: StackInfo | undefined;
  let unpublished = false;
  const publish = (update: Partial<StackInfo>): void => {
    if (info === undefined || unpublished) return;
    info = { ...info, ...update };
    writeJsonFile(stackFile, info);
    if (o.readyFile !== undefined && info.status === 'ready') writeJsonFile(o.readyFile, info);
  };
  try {
    log.info('starting the local stack', {
      exchange: config.exchange,
      mode: config.mode,
      markets: config.markets.join(','),
      stateDir: o.stateDir,
    });
    const emulators = await startEmulators(o.stateDir, logs);
    teardown.add('emulators', () => emulators.stop());
    teardown.add('AWS clients', () => closeClients());
    void emulators.exited.then((code) => fatal(`the DynamoDB/SQS emulators exited (code ${code})`));
    let sim: FakeExchange | undefined;
    if (config.exchange === 'sim') {
      sim = await startSim(config, o.stateDir, o.simPort, logs, o.simSpeed);
      teardown.add('fake exchange', () => sim?.close());
      log.info('fake exchange started', { restUrl: sim.restUrl, controlUrl: sim.controlUrl ?? null });
    }
    const functionsEnv: Env = {
      ...env,
      ...emulators.env,
      ...(sim === undefined ? {} : { UPBIT_REST_URL: sim.restUrl, UPBIT_WS_URL: sim.wsUrl }),
      QTS_STAGE: 'local',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
    };
    const secrets = prepareLocalSecrets(processEnv);
    const front = await startFrontEnds(config, functionsEnv, { secrets: secrets.secrets, clock, logs });
    teardown.add('telegram', () => front.telegram.stop());
    teardown.add('api', () => front.api.close());
    const alerts = startAlertConsumer(functionsEnv, front.telegram.notifier, { clock, logs });
    teardown.add('alert consumer', () => alerts.stop());
    const opsPort = o.executorOpsPort === 0 ? await freePort() : o.executorOpsPort;
    const executor = new ExecutorSupervisor({
      env: executorEnv(
        processEnv,
        { ...configOverrides(o), ...emulators.env },
        {
          mode: config.mode,
          stateDir: o.stateDir,
          ...(sim === undefined ? {} : { sim }),
        },
      ),
      opsPort,
      logs,
      logger: log,
      clock,
      onChange: (s) =>
        publish({
          executor: {
            ...info?.executor,
            pid: s.pid,
            opsUrl: `http://127.0.0.1:${opsPort}`,
            restarts: s.restarts,
          },
        }),
      onGiveUp: (reason) => fatal(reason),
    });
    executor.start();
    teardown.add('executor', () => executor.stop());
    const functions = localFunctions(functionsEnv, logs, clock);
    const scheduler = new Scheduler({ clock, logger: log, jobs: functions.jobs() });
    const dashboardUrl = `${front.api.url.replace(/\/$/, '')}/`;
    info = {
      pid: process.pid,
      status: 'starting',
      startedAt: new Date(clock.now()).toISOString(),
      stateDir: o.stateDir,
      exchange: config.exchange,
      mode: config.mode,
      markets: config.markets,
      apiUrl: front.api.url.replace(/\/$/, ''),
      dashboardUrl,
      env: { ...emulators.env, [LOCAL_SECRETS_ENV]: processEnv[LOCAL_SECRETS_ENV] ?? LOCAL_SECRETS_PATH },
      emulators: { pid: emulators.pid },
      executor: { pid: executor.state().pid, opsUrl: executor.opsUrl, restarts: 0 },
      ...(sim === undefined
        ? {}
        : {
            sim: {
              restUrl: sim.restUrl,
              wsUrl: sim.wsUrl,
              controlUrl: sim.controlUrl,
              accessKey: sim.accessKey,
              secretKey: sim.secretKey,
            },
          }),
    };
    publish({});
    teardown.add('stack file', () => {
      unpublished = true;
      removeStackFile(stackFile);
      if (o.readyFile !== undefined) rmSync(o.readyFile, { force: true });
    });
    // Ready once the executor is healthy; the first analysis runs as soon as it has stored the bar
    // that just closed, then every minute on the scheduler.
    const firstRun = (async () => {
      const healthy = await waitForExecutor(executor.opsUrl, clock, stop);
      if (stop.aborted) return;
      publish({ status: 'ready', executor: { ...executor.state(), opsUrl: executor.opsUrl, healthy } });
      if (healthy) log.info('stack ready', { dashboardUrl, executorOps: executor.opsUrl, stackFile });
      else log.warn('stack ready, but the executor is not healthy yet: see its log lines', { dashboardUrl });
      if (
        healthy &&
        (await waitForBars(functionsEnv, config.markets, startedAt, clock, stop)) &&
        !stop.aborted
      )
        await functions.minute(clock.now() as EpochMs).catch(() => undefined);
      if (!stop.aborted) scheduler.start();
    })();
    teardown.add('scheduler', async () => {
      await firstRun;
      await scheduler.stop();
    });
    io.stdout(
      readyBanner({
        info,
        token: secrets.generated ? secrets.apiToken.reveal() : undefined,
        telegram: front.telegram.connected,
        json: o.jsonLogs,
        upbitRestUrl: config.upbit.restUrl,
      }),
    );
    if (o.jsonLogs && secrets.generated)
      io.stderr(
        `npm start: API token (generated, shown once; set QTS_API_TOKEN to choose one): ${secrets.apiToken.reveal()}\n`,
      );
  } catch (error) {
    log.error('the local stack could not start', {
      error: error instanceof Error ? error.message : String(error),
    });
    await teardown.run();
    return StartExit.failed;
  }
  const aborted = new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    stop.addEventListener('abort', () => resolve(), { once: true });
  });
  const reason = await Promise.race([aborted.then(() => undefined), failed]);
  if (reason !== undefined) log.error('stopping the local stack: a component failed', { reason });
  else log.info('stopping the local stack');
  publish({ status: 'stopping' });
  await teardown.run();
  log.info('stopped');
  return reason === undefined ? StartExit.ok : StartExit.failed;
}
