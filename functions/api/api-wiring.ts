import { DynamoDbStrategySettingsStore } from '../../shared/src/adapters/dynamodb/dynamodb-strategy-settings-store';
import type { ChatCommandDeps } from '../../shared/src/application/alerts/chat-commands';
import type { ApiDeps } from '../../shared/src/application/api/api-deps';
import { operatorDeps } from '../../shared/src/application/api/control-routes';
import { apiSettingsFromConfig, strategyRulesCheck } from '../../shared/src/config/api-settings';
import type { Clock } from '../../shared/src/ports/clock';
import type { Logger } from '../../shared/src/ports/logger';
import type { Notifier } from '../../shared/src/ports/notifier';
import type { SecretsProvider } from '../../shared/src/ports/secrets';
import { fifoQueue, stateTable, tableStores } from '../lib/aws-deps';
import { functionConfig } from '../lib/function-config';
import { type Env, FunctionEnv } from '../lib/function-env';

/** What differs between the API Lambda and the local stack: where secrets and alerts come from. */
export interface ApiParts {
  readonly secrets: SecretsProvider;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Alerts for operator stops: the alert queue in the cloud, the dispatcher in the local stack. */
  readonly notifier?: Notifier;
  /** Called after every successful mutation (the local server pushes a live update). */
  readonly onMutation?: () => void;
}

/**
 * The HTTP API's ports from the deployment wiring (`QTS_STATE_TABLE`, `QTS_CONTROL_QUEUE_URL`, the
 * emulator endpoints locally) and the validated config: one wiring for the API Lambda and the local
 * stack (`npm start`), so both serve the same router on the same stores.
 */
export function apiDepsFromEnv(env: Env, parts: ApiParts): ApiDeps {
  const { config } = functionConfig(env);
  const stores = tableStores(env);
  return {
    store: stores.store,
    statuses: stores.status,
    equity: stores.equity,
    strategySettings: new DynamoDbStrategySettingsStore(stateTable(env)),
    reports: stores.reports,
    marketData: stores.marketData,
    controlQueue: fifoQueue(env, FunctionEnv.controlQueueUrl, 'the SQS control queue'),
    secrets: parts.secrets,
    clock: parts.clock,
    logger: parts.logger,
    ...(parts.notifier === undefined ? {} : { notifier: parts.notifier }),
    ...(parts.onMutation === undefined ? {} : { onMutation: parts.onMutation }),
    settings: apiSettingsFromConfig(config),
    checkStrategy: strategyRulesCheck(config),
  };
}

/** The Telegram commands' ports over the API's: the same operator commands, on the `telegram` channel. */
export function chatCommandParts(
  deps: ApiDeps,
): Omit<ChatCommandDeps, 'allowedChatId' | 'enabled' | 'language' | 'logger' | 'clock'> {
  return {
    operator: { ...operatorDeps(deps), channel: 'telegram' },
    statuses: deps.statuses,
    equity: deps.equity,
    heartbeatStaleMs: deps.settings.heartbeatStaleMs,
  };
}
