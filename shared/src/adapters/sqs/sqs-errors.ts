import { isTradingError, TradingError } from '../../domain/errors/trading-error';

interface AwsLikeError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

// Errors no retry will fix: wrong queue URL, bad parameters, credentials or permissions.
const FATAL_NAMES = new Set([
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'MissingParameter',
  'InvalidAddress',
  'InvalidSecurity',
  'AccessDenied',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'UnsupportedOperation',
]);

/** Receipt handles that expired or were replaced by a later receive: the message is someone else's now. */
export function isStaleReceipt(error: unknown): boolean {
  const name = (error as AwsLikeError | undefined)?.name ?? '';
  return (
    name === 'ReceiptHandleIsInvalid' ||
    name === 'InvalidReceiptHandle' ||
    name === 'MessageNotInflight' ||
    name === 'AWS.SimpleQueueService.MessageNotInflight'
  );
}

/**
 * Maps an SDK failure to the port's vocabulary: fatal for a missing queue, bad parameters or
 * credentials (the SDK already retried what could be retried); retryable for everything else
 * (throttling, timeouts, 5xx, network).
 */
export function toQueueError(error: unknown, operation: string): Error {
  if (isTradingError(error)) return error;
  const e = (error ?? {}) as AwsLikeError;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const detail = `${operation} failed: ${name}: ${e.message ?? String(error)}`;
  const statusOption = status === undefined ? {} : { status };
  if (FATAL_NAMES.has(name))
    return new TradingError('fatal', `${detail} (check the queue URL, region and IAM permissions)`, {
      code: 'queue_misconfigured',
      cause: error,
      ...statusOption,
    });
  return new TradingError('retryable', detail, { code: 'queue_unavailable', cause: error, ...statusOption });
}

/** Runs a queue call and converts whatever escapes into {@link toQueueError}. */
export async function guardQueue<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toQueueError(error, operation);
  }
}
