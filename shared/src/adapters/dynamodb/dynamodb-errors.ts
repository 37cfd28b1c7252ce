import { isTradingError, TradingError } from '../../domain/errors/trading-error';
import { VersionConflictError } from '../../ports/order-repository';

interface AwsLikeError {
  readonly name?: string;
  readonly message?: string;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly CancellationReasons?: ReadonlyArray<{ readonly Code?: string }>;
}

const FATAL_NAMES = new Set([
  'ResourceNotFoundException',
  'ValidationException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
]);

/** True for a failed single-item `ConditionExpression`. */
export function isConditionFailed(error: unknown): boolean {
  return (error as AwsLikeError | undefined)?.name === 'ConditionalCheckFailedException';
}

/**
 * Per-item reasons of a cancelled TransactWriteItems (`None`, `ConditionalCheckFailed`,
 * `TransactionConflict`, …) in request order, or undefined when the error is something else.
 */
export function cancellationCodes(error: unknown): string[] | undefined {
  const e = error as AwsLikeError | undefined;
  if (e?.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

/** True when a transaction lost a race with another one on the same item and may simply be retried. */
export function isTransactionConflict(error: unknown): boolean {
  const codes = cancellationCodes(error);
  if (codes !== undefined)
    return codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
  const name = (error as AwsLikeError | undefined)?.name;
  return name === 'TransactionConflictException' || name === 'TransactionInProgressException';
}

/**
 * Maps an SDK failure to the port's error vocabulary: retryable for throttling, timeouts, 5xx and
 * network trouble (the SDK has already retried those with backoff); fatal for a missing table,
 * bad credentials or a malformed request, which no retry will fix.
 */
export function toStoreError(error: unknown, operation: string): Error {
  if (error instanceof VersionConflictError || isTradingError(error)) return error as Error;
  const e = (error ?? {}) as AwsLikeError;
  const name = e.name ?? 'Error';
  const detail = `${operation} failed: ${name}: ${e.message ?? String(error)}`;
  if (FATAL_NAMES.has(name))
    return new TradingError('fatal', `${detail} (check the table name, region and IAM permissions)`, {
      code: 'state_store_misconfigured',
      cause: error,
      ...(e.$metadata?.httpStatusCode === undefined ? {} : { status: e.$metadata.httpStatusCode }),
    });
  return new TradingError('retryable', detail, {
    code: 'state_store_unavailable',
    cause: error,
    ...(e.$metadata?.httpStatusCode === undefined ? {} : { status: e.$metadata.httpStatusCode }),
  });
}

/** Runs a store call and converts whatever escapes into {@link toStoreError}. */
export async function guard<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toStoreError(error, operation);
  }
}

/**
 * Retries a transaction that was cancelled only because another transaction touched the same
 * items at the same moment (DynamoDB does not queue them). Full-jitter backoff spreads the
 * contenders so one of them goes through; condition failures are returned to the caller at once.
 */
export async function retryTransactionConflicts<T>(call: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= attempts) throw error;
      const capMs = Math.min(1_000, 25 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * capMs));
    }
  }
}
