import { TradingError } from '../../shared/src/domain/errors/trading-error';

/** An environment as a composition root receives it (never read behind its back). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The deployment wiring serverless.yml puts in every function's environment (and the local stack
 * prints). Resource names, not settings: settings come from config/default.yaml and `QTS_*` keys.
 */
export const FunctionEnv = {
  stateTable: 'QTS_STATE_TABLE',
  decisionQueueUrl: 'QTS_DECISION_QUEUE_URL',
  controlQueueUrl: 'QTS_CONTROL_QUEUE_URL',
  alertQueueUrl: 'QTS_ALERT_QUEUE_URL',
  /** The alert queue's dead-letter queue: only the alerts function (poison alerts, with the reason). */
  alertDlqUrl: 'QTS_ALERT_DLQ_URL',
  /** SSM path of the function secrets (`/qts/<stage>`); only the API and alerts functions read it. */
  ssmPrefix: 'QTS_SSM_PREFIX',
  /** Deployment stage (`dev`, `prod`, `local`): a dimension of the custom metrics. */
  stage: 'QTS_STAGE',
  /** Log level of the Powertools logger (`DEBUG`, `INFO`…). */
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;

/**
 * A required variable, or a `fatal` configuration error naming it: a function deployed without its
 * wiring must fail loudly on the first call (and trip the errors alarm), not limp along.
 */
export function requireEnv(env: Env, name: string, purpose: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '')
    throw new TradingError('fatal', `${name} is not set: it names ${purpose} (set by serverless.yml)`, {
      code: 'config_missing',
    });
  return value.trim();
}
