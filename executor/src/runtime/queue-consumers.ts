import type { DecodeResult } from '../../../shared/src/application/messaging/message-envelope';
import {
  DEFAULT_MAX_ATTEMPTS,
  type HandlerContext,
  QueueConsumer,
} from '../../../shared/src/application/messaging/queue-consumer';
import type { Clock } from '../../../shared/src/ports/clock';
import type { FifoQueue } from '../../../shared/src/ports/decision-queue';
import type { Logger } from '../../../shared/src/ports/logger';
import { describeError } from './periodic';

/**
 * Runs the shared QueueConsumer on one of the executor's queues until `signal` aborts: long polls,
 * per-group order, visibility renewed while a message is worked on, deletion only after the handler
 * resolved, poison to the dead-letter queue. A fatal handler error stops this consumer (logged as an
 * error; health then reports it) instead of crashing the process and looping through restarts.
 */
export function runQueueConsumer<T>(o: {
  readonly name: string;
  readonly queue: FifoQueue;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly decode: (body: string) => DecodeResult<T>;
  readonly handle: (message: T, context: HandlerContext) => Promise<void>;
  readonly visibilityTimeoutMs: number;
  readonly waitTimeMs?: number;
  readonly signal: AbortSignal;
}): Promise<void> {
  const consumer = new QueueConsumer({
    queue: o.queue,
    clock: o.clock,
    logger: o.logger.child({ component: o.name }),
    decode: o.decode,
    handle: o.handle,
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    visibilityTimeoutMs: o.visibilityTimeoutMs,
    ...(o.waitTimeMs === undefined ? {} : { waitTimeMs: o.waitTimeMs }),
  });
  return consumer.run(o.signal).catch((error: unknown) => {
    o.logger.error(`${o.name} consumer halted on a fatal error; its messages wait in the queue`, {
      error: describeError(error),
    });
  });
}
