import { join } from 'node:path';
import { apiDepsFromEnv, chatCommandParts } from '../../functions/api/api-wiring';
import { fifoQueue } from '../../functions/lib/aws-deps';
import type { Env } from '../../functions/lib/function-env';
import { FunctionEnv } from '../../functions/lib/function-env';
import type { RunningApiServer } from '../../shared/src/adapters/http/api-server';
import { startLocalApi } from '../../shared/src/adapters/http/local-api';
import { startTelegram, type TelegramRuntime } from '../../shared/src/adapters/telegram/telegram-setup';
import { decodeAlert } from '../../shared/src/application/alerts/alert-codec';
import { QueueConsumer } from '../../shared/src/application/messaging/queue-consumer';
import type { AppConfig } from '../../shared/src/config/config-schema';
import { TradingError } from '../../shared/src/domain/errors/trading-error';
import { type FakeExchange, startFakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import type { Clock } from '../../shared/src/ports/clock';
import type { Alert, Notifier } from '../../shared/src/ports/notifier';
import type { SecretsProvider } from '../../shared/src/ports/secrets';
import type { LogStream } from './log-stream';

/** Upbit's public REST answered, or why not (one line for the user). */
export async function upbitReachable(restUrl: string, timeoutMs = 8_000): Promise<string | undefined> {
  const url = `${restUrl.replace(/\/$/, '')}/market/all`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok ? undefined : `${url} answered HTTP ${res.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return `${url} did not answer (${why})`;
  }
}

/** The fake exchange of `--exchange sim`: its account persists in the state directory. */
export function startSim(
  config: AppConfig,
  stateDir: string,
  port: number,
  logs: LogStream,
  speed = 1,
): Promise<FakeExchange> {
  const logger = logs.logger('sim');
  return startFakeExchange({
    host: '127.0.0.1',
    port,
    markets: config.markets,
    statePath: join(stateDir, 'sim-account.json'),
    controlApi: true,
    speed,
    onError: (e) =>
      logger.error('fake exchange error', { error: e instanceof Error ? e.message : String(e) }),
  });
}

/**
 * The executor's environment: the stack's config overrides, the emulators and queues, and the
 * exchange. With the sim, paper orders go to the fake exchange itself (`executor.paperVenue: sim`, its
 * documented keys) so its balances are the paper account; on Upbit, the in-process paper venue fills
 * against the live book. Upbit keys reach the executor only in live mode; the API token never does.
 */
export function executorEnv(
  base: Env,
  stack: Readonly<Record<string, string>>,
  options: { readonly mode: 'paper' | 'live'; readonly stateDir: string; readonly sim?: FakeExchange },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...stack };
  for (const name of ['QTS_API_TOKEN', 'AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN'])
    delete env[name];
  if (options.mode !== 'live') {
    delete env.UPBIT_ACCESS_KEY;
    delete env.UPBIT_SECRET_KEY;
  }
  env.QTS_EXECUTOR__PAPER_STATE_FILE = join(options.stateDir, 'paper-venue.json');
  if (options.sim !== undefined) {
    env.UPBIT_REST_URL = options.sim.restUrl;
    env.UPBIT_WS_URL = options.sim.wsUrl;
    env.QTS_EXECUTOR__PAPER_VENUE = 'sim';
    // The sim's random walk is no market history worth keeping next to a real tape.
    env.QTS_EXECUTOR__TAPE_DIR = join(options.stateDir, 'tape');
  }
  return env;
}

/** The API, its dashboard and Telegram, started together (they share the operator commands). */
export interface OperatorFrontEnds {
  readonly api: RunningApiServer;
  readonly telegram: TelegramRuntime;
  /** Where in-process producers and the alert queue consumer send alerts. */
  readonly notifier: Notifier;
}

/**
 * The HTTP API + dashboard (the same wiring as the API Lambda: functions/api/api-wiring.ts) on
 * `api.host:api.port`, and Telegram: alerts through the shared dispatcher (to the chat, or to this log
 * when no chat is configured), and `/status`, `/stop`, `/emergency` by long polling when commands are on.
 */
export async function startFrontEnds(
  config: AppConfig,
  env: Env,
  parts: { readonly secrets: SecretsProvider; readonly clock: Clock; readonly logs: LogStream },
): Promise<OperatorFrontEnds> {
  let telegram: TelegramRuntime | undefined;
  const notifier: Notifier = { notify: async (a: Alert) => telegram?.notifier.notify(a) };
  const deps = apiDepsFromEnv(env, {
    secrets: parts.secrets,
    clock: parts.clock,
    logger: parts.logs.logger('api'),
    notifier,
  });
  telegram = await startTelegram({
    settings: config.telegram,
    secrets: parts.secrets,
    clock: parts.clock,
    logger: parts.logs.logger('telegram'),
    poll: true,
    commands: chatCommandParts(deps),
  });
  try {
    const api = await startLocalApi(deps, {
      host: config.api.host,
      port: config.api.port,
      liveUpdateMs: config.api.liveUpdateMs,
    });
    return { api, telegram, notifier };
  } catch (error) {
    await telegram.stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(
        `port ${config.api.port} on ${config.api.host} is already in use (another npm start?): stop it, or pass --port N (--port 0 takes any free port)`,
      );
    throw error;
  }
}

/**
 * The local alerts consumer, standing in for the alerts Lambda: alerts the functions put on the alert
 * queue go through the same dispatcher; a body that is not an alert is dead-lettered with the reason,
 * and an alert Telegram did not take is retried through the queue (5 attempts, then its DLQ).
 */
export function startAlertConsumer(
  env: Env,
  notifier: TelegramRuntime['notifier'],
  parts: { readonly clock: Clock; readonly logs: LogStream },
): { stop(): Promise<void> } {
  const logger = parts.logs.logger('alerts');
  const consumer = new QueueConsumer<Alert>({
    queue: fifoQueue(env, FunctionEnv.alertQueueUrl, 'the SQS alert queue', FunctionEnv.alertDlqUrl),
    clock: parts.clock,
    logger,
    decode: decodeAlert,
    handle: async (alert) => {
      if ((await notifier.dispatch(alert)) === 'failed')
        throw new TradingError('retryable', 'Telegram did not take the alert', { code: 'alert_undelivered' });
    },
    maxAttempts: 5,
    visibilityTimeoutMs: 60_000,
  });
  const stopping = new AbortController();
  const running = consumer.run(stopping.signal).catch((error: unknown) =>
    logger.error('alert consumer stopped', {
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  return {
    stop: async () => {
      stopping.abort();
      await running;
    },
  };
}
