/**
 * The three kinds every failure is sorted into where it arises:
 * `retryable` (timeouts, 429, 5xx, network) may be tried again with the same identifier;
 * `rejected` (the exchange or a pre-trade check said no: tick, minimum, funds) is never retried;
 * `fatal` (auth, config, a broken invariant) halts trading and alerts.
 */
export const ErrorKind = { retryable: 'retryable', rejected: 'rejected', fatal: 'fatal' } as const;
/** One of {@link ErrorKind}. */
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

/** Options for {@link TradingError}. */
export interface TradingErrorOptions {
  /** Machine-readable code, e.g. Upbit's `error.name` (`insufficient_funds_bid`) or our own (`timeout`). */
  readonly code: string;
  /** HTTP status when the error came from an HTTP call. */
  readonly status?: number;
  /** Milliseconds to wait before retrying, when the source says so (418 ban, 429). */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

/**
 * The one error type that crosses port boundaries. Callers branch on `kind` and `code`, never on
 * the message (Upbit's messages are Korean and change).
 */
export class TradingError extends Error {
  override readonly name = 'TradingError';
  readonly code: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options: TradingErrorOptions,
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** True for a {@link TradingError} of the given kind. */
export function isTradingError(error: unknown, kind?: ErrorKind): error is TradingError {
  return error instanceof TradingError && (kind === undefined || error.kind === kind);
}
