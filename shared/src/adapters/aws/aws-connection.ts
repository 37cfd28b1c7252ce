/**
 * How to reach one AWS service. Composition roots fill `endpoint` from the SDK's own variable for
 * that service (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SQS`) so emulators need no code path
 * of their own.
 */
export interface AwsConnection {
  /** DynamoDB Local, fauxqs or another emulator; omitted = the regional AWS endpoint. */
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
export const AWS_DEFAULT_REGION = 'ap-northeast-2';

/** The client settings every service client of this system shares. */
export interface AwsClientSettings {
  readonly region: string;
  readonly maxAttempts: number;
  readonly retryMode: 'standard';
  readonly requestHandler: { readonly requestTimeout: number; readonly connectionTimeout: number };
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * One place for the retry and timeout policy of every AWS client: standard retries (throttling, 5xx
 * and network errors, backoff with full jitter, 4 attempts), a per-attempt request timeout (the
 * service's default unless configured) and a 1 s connect timeout, so an unreachable service turns
 * into a classified error instead of a stuck executor.
 */
export function awsClientSettings(
  connection: AwsConnection,
  defaults: { readonly requestTimeoutMs: number },
): AwsClientSettings {
  return {
    region: connection.region ?? AWS_DEFAULT_REGION,
    maxAttempts: connection.maxAttempts ?? 4,
    retryMode: 'standard',
    requestHandler: {
      requestTimeout: connection.requestTimeoutMs ?? defaults.requestTimeoutMs,
      connectionTimeout: connection.connectionTimeoutMs ?? 1_000,
    },
    ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
    ...(connection.credentials === undefined ? {} : { credentials: { ...connection.credentials } }),
  };
}

/**
 * The connection a composition root derives from its environment: the service's endpoint variable
 * and `AWS_REGION`, blank values meaning unset. The environment is passed in, never read here, so
 * tests and the local stack can pass their own.
 */
export function awsConnectionFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  endpointVariable: string,
): AwsConnection {
  const endpoint = env[endpointVariable];
  const region = env.AWS_REGION;
  return {
    ...(endpoint === undefined || endpoint === '' ? {} : { endpoint }),
    ...(region === undefined || region === '' ? {} : { region }),
  };
}
