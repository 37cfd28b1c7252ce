/** Environment variables the executor reads besides the config's own (the names `local-stack.ts` prints). */
export const ExecutorEnv = {
  stateTable: 'QTS_STATE_TABLE',
  decisionQueueUrl: 'QTS_DECISION_QUEUE_URL',
  decisionDlqUrl: 'QTS_DECISION_DLQ_URL',
  controlQueueUrl: 'QTS_CONTROL_QUEUE_URL',
  controlDlqUrl: 'QTS_CONTROL_DLQ_URL',
  dynamoEndpoint: 'AWS_ENDPOINT_URL_DYNAMODB',
  sqsEndpoint: 'AWS_ENDPOINT_URL_SQS',
  release: 'QTS_RELEASE',
  logLevel: 'QTS_LOG_LEVEL',
  /** Test-only crash points (runtime/failpoints.ts); never set in production. */
  failpoint: 'EXECUTOR_FAILPOINT',
} as const;

/** The process environment as the executor reads it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A non-blank variable, or undefined. */
export function envValue(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}
