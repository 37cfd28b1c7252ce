import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Clock } from '../../shared/src/ports/clock';
import type { Logger } from '../../shared/src/ports/logger';
import { systemClock } from './aws-deps';
import type { Env } from './function-env';
import type { IdempotencySetup } from './idempotency';
import { createPowertoolsLogger, LambdaLogger } from './lambda-logger';
import { errorMapping, loggingContext, parseEvent } from './middleware';

/** What a function's work receives besides its parsed input. */
export interface HandlerContext {
  readonly env: Env;
  readonly logger: Logger;
  readonly lambda: Context;
  /** The wall clock in Lambda; tests and the local stack may pass their own. */
  readonly clock: Clock;
}

/** What a composition root outside Lambda may replace. */
export interface HandlerOptions {
  readonly clock?: Clock;
  /**
   * Where the work and the error mapping log (the local stack's prefixed log stream); default the
   * Powertools JSON logger, which still carries the Lambda context and correlation id.
   */
  readonly logger?: Logger;
}

/** One function: its parsed input and its work; everything else is the shared middleware. */
export interface FunctionSpec<I, R> {
  /** Component name: log key, idempotency partition, status record. */
  readonly component: string;
  /** Validates and shapes the event (the `idempotencyKey` field, when present, keys the guard). */
  readonly input: z.ZodType<I>;
  /** Store each completed run's response under the input's `idempotencyKey` (`idempotent(seconds)`). */
  readonly idempotency?: IdempotencySetup;
  readonly run: (input: I, context: HandlerContext) => Promise<R>;
}

/** Declares a function spec with its input type inferred from the schema. */
export function defineFunction<I, R>(spec: FunctionSpec<I, R>): FunctionSpec<I, R> {
  return spec;
}

/**
 * Builds a Lambda handler from a spec: middy with the shared middleware — error mapping (outermost,
 * so it sees every failure), Lambda context and correlation id on the Powertools logger, zod event
 * parsing, and, when asked, Powertools idempotency on the state table. The environment is read once
 * here (the composition root); handlers stay a few lines.
 */
export function lambdaHandler<I, R>(
  spec: FunctionSpec<I, R>,
  env: Env = process.env,
  options: HandlerOptions = {},
): MiddyfiedHandler<unknown, R, Error, Context> {
  const clock = options.clock ?? systemClock;
  const powertools = createPowertoolsLogger(spec.component, env);
  const logger = options.logger ?? new LambdaLogger(powertools);
  const handler = middy<unknown, R, Error, Context>()
    .use(errorMapping(logger))
    .use(loggingContext(powertools))
    .use(parseEvent(spec.input));
  if (spec.idempotency !== undefined) handler.use(spec.idempotency.middleware(env, spec.component));
  return handler.handler(async (event, lambda) => spec.run(event as I, { env, logger, lambda, clock }));
}
