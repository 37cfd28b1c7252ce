import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { isTradingError, TradingError } from '../../shared/src/domain/errors/trading-error';
import type { Logger } from '../../shared/src/ports/logger';
import { correlationIdOf } from './event-sources';

/** What a function answers when it refuses its input or the work (`rejected`: a retry cannot help). */
export interface RejectedResponse {
  readonly ok: false;
  readonly error: { readonly kind: 'rejected'; readonly code: string; readonly message: string };
}

/**
 * Puts the Lambda context (request id, function, cold start) and a correlation id on every log line
 * of the invocation: the EventBridge event id, the first stream record or queue message id, the API
 * request id, or the caller's `correlationId`. Keys of the previous invocation are cleared first.
 */
export function loggingContext(logger: PowertoolsLogger): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    name: 'qts-logging-context',
    before: (request) => {
      logger.resetKeys();
      logger.addContext(request.context);
      logger.setCorrelationId(correlationIdOf(request.event, request.context.awsRequestId));
    },
  };
}

type Issue = z.core.$ZodIssue;

function describe(issues: readonly Issue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => {
      const at = `${i.path.join('.') || '(event)'}: ${i.message}`;
      if (i.code !== 'invalid_union' || i.errors.length === 0) return at;
      // Name what was wrong with the accepted shape the event came closest to.
      const closest = i.errors.reduce((a, b) => (b.length < a.length ? b : a));
      return `${at} (closest: ${describe(closest)})`;
    })
    .join('; ');
}

function describeIssues(error: z.ZodError): string {
  return describe(error.issues);
}

/**
 * Validates and parses the event with the function's zod schema and hands the handler the parsed
 * input instead of the raw event. A malformed event is `rejected` with the fields named, never
 * half-processed.
 */
export function parseEvent<T>(schema: z.ZodType<T>): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    name: 'qts-parse-event',
    before: (request) => {
      const parsed = schema.safeParse(request.event);
      if (!parsed.success)
        throw new TradingError('rejected', `invalid event: ${describeIssues(parsed.error)}`, {
          code: 'invalid_event',
        });
      request.event = parsed.data;
    },
  };
}

/**
 * Maps failures to what Lambda should do. `rejected` (bad input, a day not over yet): logged as a
 * warning and answered with {@link RejectedResponse}, because a retry would fail the same way.
 * Everything else (`retryable`, `fatal`, bugs, an idempotent run still in progress): logged as an
 * error and re-thrown, so the invocation counts in the Errors metric (alarmed) and asynchronous
 * invocations are retried by Lambda.
 */
export function errorMapping(logger: Logger): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    name: 'qts-error-mapping',
    onError: (request: Request<unknown, unknown, Error, Context>) => {
      const error = request.error;
      if (isTradingError(error, 'rejected')) {
        logger.warn('request rejected', { code: error.code, reason: error.message });
        const response: RejectedResponse = {
          ok: false,
          error: { kind: 'rejected', code: error.code, message: error.message },
        };
        return response;
      }
      // A bad config (ConfigError names the key) can only be fixed by a redeploy: fatal.
      const kind = isTradingError(error) ? error.kind : error?.name === 'ConfigError' ? 'fatal' : 'unknown';
      logger.error('invocation failed', {
        kind,
        code: isTradingError(error) ? error.code : null,
        error,
      });
      return undefined;
    },
  };
}
