import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MiddlewareObj } from '@middy/core';
import { awsClientSettings } from '../../shared/src/adapters/aws/aws-connection';
import { connectionFromEnv } from './aws-deps';
import { type Env, FunctionEnv, requireEnv } from './function-env';

/** The payload field the idempotency key is read from; events without it run without the guard. */
export const IDEMPOTENCY_KEY_FIELD = 'idempotencyKey';

/** Partition of a function's idempotency records in the state table (`pk`); the key goes in `sk`. */
export function idempotencyPartition(component: string): string {
  return `IDEMPOTENCY#${component}`;
}

/** What a function spec asks for: idempotent runs, built lazily by the handler factory. */
export interface IdempotencySetup {
  readonly expiresAfterSeconds: number;
  readonly middleware: (env: Env, component: string) => MiddlewareObj;
}

/**
 * Makes a function idempotent on its input's `idempotencyKey`. Imported only by the functions that
 * use it, so the others' bundles carry no idempotency code.
 */
export function idempotent(expiresAfterSeconds: number): IdempotencySetup {
  return {
    expiresAfterSeconds,
    middleware: (env, component) => idempotencyMiddleware(env, component, expiresAfterSeconds),
  };
}

/**
 * Powertools idempotency on the state table (single-table design: `pk = IDEMPOTENCY#<function>`,
 * `sk` = the hashed key, `ttl` = expiry in epoch seconds so DynamoDB's TTL removes old records). A
 * retried invocation with the same key within `expiresAfterSeconds` gets the first run's stored
 * response without running again; one still in progress is refused (and retried later by Lambda);
 * a failed run deletes its record so the retry runs for real.
 */
export function idempotencyMiddleware(
  env: Env,
  component: string,
  expiresAfterSeconds: number,
): MiddlewareObj {
  // Built on first use, so a missing table name is a mapped `fatal` error of the invocation rather
  // than a module that fails to load.
  let inner: MiddlewareObj | undefined;
  const get = (): MiddlewareObj => {
    inner ??= buildIdempotency(env, component, expiresAfterSeconds);
    return inner;
  };
  return {
    name: 'qts-idempotency',
    before: (request) => get().before?.(request),
    after: (request) => get().after?.(request),
    onError: (request) => inner?.onError?.(request),
  };
}

function buildIdempotency(env: Env, component: string, expiresAfterSeconds: number): MiddlewareObj {
  const client = new DynamoDBClient(
    awsClientSettings(connectionFromEnv(env, 'AWS_ENDPOINT_URL_DYNAMODB'), { requestTimeoutMs: 3_000 }),
  );
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: requireEnv(env, FunctionEnv.stateTable, 'the DynamoDB state table'),
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: idempotencyPartition(component),
    expiryAttr: 'ttl',
    awsSdkV3Client: client,
  });
  const config = new IdempotencyConfig({ eventKeyJmesPath: IDEMPOTENCY_KEY_FIELD, expiresAfterSeconds });
  return makeHandlerIdempotent({ persistenceStore, config }) as MiddlewareObj;
}
