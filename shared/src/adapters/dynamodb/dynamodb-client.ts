import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** How to reach DynamoDB. Composition roots fill `endpoint` from `AWS_ENDPOINT_URL_DYNAMODB`. */
export interface DynamoDbConnection {
  /** DynamoDB Local or another emulator; omitted = the regional AWS endpoint. */
  readonly endpoint?: string;
  readonly region?: string;
  /** Static credentials, only for emulators; AWS uses the default provider chain (Lambda role, profile). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Attempts per call including the first (SDK "standard" retries: exponential backoff with full jitter). */
  readonly maxAttempts?: number;
  /** Per-attempt socket timeout: a hung connection becomes a retryable error instead of a stuck executor. */
  readonly requestTimeoutMs?: number;
  readonly connectionTimeoutMs?: number;
}

/** Seoul, where the exchange and the deployment are. */
export const DEFAULT_REGION = 'ap-northeast-2';

/**
 * A document client that converts JS values to DynamoDB types. Retries use the SDK's standard mode
 * (throttling and 5xx, exponential backoff with full jitter, capped attempts) and every attempt has
 * a timeout, so a slow or unreachable table turns into an error the caller can classify.
 * `removeUndefinedValues` lets optional fields be written as absent attributes.
 */
export function createDocumentClient(connection: DynamoDbConnection = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: connection.region ?? DEFAULT_REGION,
    maxAttempts: connection.maxAttempts ?? 4,
    retryMode: 'standard',
    requestHandler: {
      requestTimeout: connection.requestTimeoutMs ?? 3_000,
      connectionTimeout: connection.connectionTimeoutMs ?? 1_000,
    },
    ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
    ...(connection.credentials === undefined ? {} : { credentials: { ...connection.credentials } }),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

/**
 * The connection a composition root derives from its environment: `AWS_ENDPOINT_URL_DYNAMODB`
 * (DynamoDB Local) and `AWS_REGION`. The environment is passed in, never read here, so tests and
 * the local stack can pass their own.
 */
export function dynamoDbConnectionFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): DynamoDbConnection {
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB;
  const region = env.AWS_REGION;
  return {
    ...(endpoint === undefined || endpoint === '' ? {} : { endpoint }),
    ...(region === undefined || region === '' ? {} : { region }),
  };
}
