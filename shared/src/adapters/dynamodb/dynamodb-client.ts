import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  AWS_DEFAULT_REGION,
  type AwsConnection,
  awsClientSettings,
  awsConnectionFromEnv,
} from '../aws/aws-connection';

/** How to reach DynamoDB. Composition roots fill `endpoint` from `AWS_ENDPOINT_URL_DYNAMODB`. */
export type DynamoDbConnection = AwsConnection;

/** Seoul, where the exchange and the deployment are. */
export const DEFAULT_REGION = AWS_DEFAULT_REGION;

/**
 * A document client that converts JS values to DynamoDB types, with the shared retry and timeout
 * policy (`awsClientSettings`; 3 s per attempt: single-item calls are milliseconds), so a slow or
 * unreachable table turns into an error the caller can classify. `removeUndefinedValues` lets
 * optional fields be written as absent attributes.
 */
export function createDocumentClient(connection: DynamoDbConnection = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient(awsClientSettings(connection, { requestTimeoutMs: 3_000 }));
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

/** The connection from `AWS_ENDPOINT_URL_DYNAMODB` (DynamoDB Local) and `AWS_REGION`. */
export function dynamoDbConnectionFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): DynamoDbConnection {
  return awsConnectionFromEnv(env, 'AWS_ENDPOINT_URL_DYNAMODB');
}
