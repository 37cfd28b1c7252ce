import { SSMClient } from '@aws-sdk/client-ssm';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { connectionFromEnv } from '../../functions/lib/aws-deps';
import { awsClientSettings, awsConnectionFromEnv } from '../../shared/src/adapters/aws/aws-connection';
import { createDocumentClient } from '../../shared/src/adapters/dynamodb/dynamodb-client';
import { DynamoDbStateStore } from '../../shared/src/adapters/dynamodb/dynamodb-state-store';
import { DynamoDbStrategySettingsStore } from '../../shared/src/adapters/dynamodb/dynamodb-strategy-settings-store';
import { createSqsClient } from '../../shared/src/adapters/sqs/sqs-client';
import { SqsFifoQueue } from '../../shared/src/adapters/sqs/sqs-fifo-queue';
import { SsmSecrets } from '../../shared/src/adapters/ssm/ssm-secrets';
import {
  FileSecrets,
  InsecureSecretsFileError,
  LOCAL_SECRETS_ENV,
  LOCAL_SECRETS_PATH,
} from '../../shared/src/adapters/system/local-secrets';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { ConfigError } from '../../shared/src/config/config-error';
import type { AppConfig } from '../../shared/src/config/config-schema';
import { loadConfig } from '../../shared/src/config/load-config';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { riskLimitsFromSettings } from '../../shared/src/domain/risk/risk-settings';
import { Secret } from '../../shared/src/domain/security/secret';
import { SecretName } from '../../shared/src/ports/secrets';
import type { StrategySettingsStore } from '../../shared/src/ports/strategy-settings-store';
import { UsageError } from '../lib/args';
import type { OpsDeps } from './ops-commands';

/** Environment variables the ops CLI reads (the names `local-stack.ts` prints). */
export const OpsEnv = {
  stateTable: 'QTS_STATE_TABLE',
  controlQueueUrl: 'QTS_CONTROL_QUEUE_URL',
  dynamoEndpoint: 'AWS_ENDPOINT_URL_DYNAMODB',
  sqsEndpoint: 'AWS_ENDPOINT_URL_SQS',
  ssmEndpoint: 'AWS_ENDPOINT_URL_SSM',
  ssmPrefix: 'QTS_SSM_PREFIX',
  secretsFile: LOCAL_SECRETS_ENV,
  operatorToken: 'QTS_API_TOKEN',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** A required variable, or a configuration error that names it (exit code 2) instead of an SDK stack trace. */
export function requireEnv(env: Env, name: string, purpose: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '')
    throw new UsageError(
      `${name} is not set: it names ${purpose}. Start the local stack with \`npm start\` (ops finds it), or export the cloud's variables (see \`npm run ops -- --help\`)`,
    );
  return value;
}

/**
 * Where the configured operator token is looked up: the same secrets port the running system checks
 * the token with. In the cloud (`QTS_SSM_PREFIX` set) that is SSM; locally it is the secrets file the
 * local stack writes (`.qts/local-secrets.json`, or `QTS_SECRETS_FILE`), holding the token its API
 * accepts, so `release` works against the local stack without any SSM endpoint.
 */
export function expectedTokenSource(
  env: Env,
  ssm: () => SSMClient,
  clock: SystemClock,
): () => Promise<Secret | undefined> {
  const prefix = env[OpsEnv.ssmPrefix];
  if (prefix !== undefined && prefix.trim() !== '')
    return () => new SsmSecrets({ client: ssm(), prefix, clock }).get(SecretName.apiToken);
  const file = new FileSecrets(env[OpsEnv.secretsFile] ?? LOCAL_SECRETS_PATH);
  return async () => {
    try {
      return await file.get(SecretName.apiToken);
    } catch (error) {
      if (error instanceof InsecureSecretsFileError) throw new UsageError(error.message);
      throw error;
    }
  };
}

/**
 * Builds the CLI's adapters from the environment. Only what a command needs is required: `status`
 * works without the queue, and the operator token source is asked for only by `release`. The
 * presented token is read from the environment (never argv, so it stays out of shell history and
 * `ps`); the expected one from the system's own secrets port ({@link expectedTokenSource}).
 */
export function opsDepsFromEnv(
  env: Env,
  needs: { readonly queue: boolean },
): OpsDeps & {
  readonly config: AppConfig;
  readonly db: DynamoDBDocumentClient;
  readonly strategySettings: StrategySettingsStore;
  close(): void;
} {
  let config: AppConfig;
  try {
    config = loadConfig({ env });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const limits = riskLimitsFromSettings(config);
  const tableName = requireEnv(env, OpsEnv.stateTable, 'the DynamoDB state table');
  const queueUrl = needs.queue ? requireEnv(env, OpsEnv.controlQueueUrl, 'the SQS control queue') : undefined;
  // Credentials from `env` when it points at an emulator (the local stack's env is not process.env).
  const db = createDocumentClient(connectionFromEnv(env, OpsEnv.dynamoEndpoint));
  const sqs =
    queueUrl === undefined ? undefined : createSqsClient(connectionFromEnv(env, OpsEnv.sqsEndpoint));
  const clock = new SystemClock();
  let ssm: SSMClient | undefined;
  const presented = env[OpsEnv.operatorToken];
  return {
    config,
    db,
    strategySettings: new DynamoDbStrategySettingsStore({ client: db, tableName }),
    store: new DynamoDbStateStore({ client: db, tableName }),
    limits,
    rules: KRW_MARKET_RULES,
    ...(sqs === undefined || queueUrl === undefined
      ? {}
      : { queue: new SqsFifoQueue({ client: sqs, queueUrl }) }),
    clock,
    presentedToken: new Secret(presented ?? ''),
    expectedToken: expectedTokenSource(
      env,
      () => {
        ssm ??= new SSMClient(
          awsClientSettings(awsConnectionFromEnv(env, OpsEnv.ssmEndpoint), { requestTimeoutMs: 3_000 }),
        );
        return ssm;
      },
      clock,
    ),
    close: () => {
      db.destroy();
      sqs?.destroy();
      ssm?.destroy();
    },
  };
}
