import { SQSClient } from '@aws-sdk/client-sqs';
import {
  AWS_DEFAULT_REGION,
  type AwsConnection,
  awsClientSettings,
  awsConnectionFromEnv,
} from '../aws/aws-connection';

/**
 * How to reach SQS. Composition roots fill `endpoint` from `AWS_ENDPOINT_URL_SQS`. `requestTimeoutMs`
 * is the per-attempt timeout of short calls (send, delete, change visibility); long polls get their
 * wait time plus this much on top, so a 20 s poll is not cut off but a hung one still ends.
 */
export type SqsConnection = AwsConnection;

/** Seoul, where the exchange and the deployment are. */
export const SQS_DEFAULT_REGION = AWS_DEFAULT_REGION;
/** Default per-attempt timeout of short SQS calls. */
export const SQS_DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/** An SQS client with the shared retry and timeout policy (`awsClientSettings`). */
export function createSqsClient(connection: SqsConnection = {}): SQSClient {
  return new SQSClient(awsClientSettings(connection, { requestTimeoutMs: SQS_DEFAULT_REQUEST_TIMEOUT_MS }));
}

/** The connection from `AWS_ENDPOINT_URL_SQS` (fauxqs) and `AWS_REGION`. */
export function sqsConnectionFromEnv(env: Readonly<Record<string, string | undefined>>): SqsConnection {
  return awsConnectionFromEnv(env, 'AWS_ENDPOINT_URL_SQS');
}
