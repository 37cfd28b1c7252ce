import { SQSClient } from '@aws-sdk/client-sqs';

/** How to reach SQS. Composition roots fill `endpoint` from `AWS_ENDPOINT_URL_SQS`. */
export interface SqsConnection {
  /** fauxqs or another emulator; omitted = the regional AWS endpoint. */
  readonly endpoint?: string;
  readonly region?: string;
  /** Static credentials, only for emulators; AWS uses the default provider chain (Lambda role, profile). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Attempts per call including the first (SDK "standard" retries: exponential backoff with full jitter). */
  readonly maxAttempts?: number;
  /**
   * Per-attempt timeout of short calls (send, delete, change visibility). Long polls get their wait
   * time plus this much on top, so a 20 s poll is not cut off but a hung one still ends.
   */
  readonly requestTimeoutMs?: number;
  readonly connectionTimeoutMs?: number;
}

/** Seoul, where the exchange and the deployment are. */
export const SQS_DEFAULT_REGION = 'ap-northeast-2';
/** Default per-attempt timeout of short SQS calls. */
export const SQS_DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/**
 * An SQS client with bounded retries (SDK standard mode: throttling, 5xx and network errors, backoff
 * with full jitter) and per-attempt timeouts, so an unreachable queue becomes a classified error
 * instead of a stuck executor.
 */
export function createSqsClient(connection: SqsConnection = {}): SQSClient {
  return new SQSClient({
    region: connection.region ?? SQS_DEFAULT_REGION,
    maxAttempts: connection.maxAttempts ?? 4,
    retryMode: 'standard',
    requestHandler: {
      requestTimeout: connection.requestTimeoutMs ?? SQS_DEFAULT_REQUEST_TIMEOUT_MS,
      connectionTimeout: connection.connectionTimeoutMs ?? 1_000,
    },
    ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
    ...(connection.credentials === undefined ? {} : { credentials: { ...connection.credentials } }),
  });
}

/**
 * The connection a composition root derives from its environment: `AWS_ENDPOINT_URL_SQS` (fauxqs)
 * and `AWS_REGION`. The environment is passed in, never read here.
 */
export function sqsConnectionFromEnv(env: Readonly<Record<string, string | undefined>>): SqsConnection {
  const endpoint = env.AWS_ENDPOINT_URL_SQS;
  const region = env.AWS_REGION;
  return {
    ...(endpoint === undefined || endpoint === '' ? {} : { endpoint }),
    ...(region === undefined || region === '' ? {} : { region }),
  };
}
