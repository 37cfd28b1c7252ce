import { isTradingError } from '../../domain/errors/trading-error';
import type { Clock } from '../../ports/clock';
import type { FifoQueue, QueueMessage } from '../../ports/decision-queue';
import type { Logger } from '../../ports/logger';
import { FailedAttempts } from './failed-attempts';
import type { DecodeResult } from './message-envelope';

/** What a handler gets besides the message. */
export interface HandlerContext {
  readonly messageId: string;
  /** 1 on the first run of the handler for this message in this process; higher after failures. */
  readonly attempt: number;
  /**
   * The queue's receive count. On a FIFO queue it also counts receives where the message was
   * released unprocessed behind a failed one, so it says "maybe seen before", not how often it ran.
   */
  readonly receiveCount: number;
  /** Aborted when the consumer is stopping; long work should wind down and throw. */
  readonly signal: AbortSignal;
}

/** Options of {@link QueueConsumer}. */
export interface QueueConsumerOptions<T> {
  readonly queue: FifoQueue;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Body → message, or the reason it is poison (decodeDecisionMessage / decodeControlMessage). */
  readonly decode: (body: string) => DecodeResult<T>;
  /** Makes the message's effect durable; must be idempotent (delivery is at-least-once). */
  readonly handle: (message: T, context: HandlerContext) => Promise<void>;
  /**
   * Failed handler runs after which a message is dead-lettered with its last error. Counted per
   * message id by the consumer, not from the receive count (see {@link FailedAttempts}); the queue's
   * redrive `maxReceiveCount` must be at least `redriveReceivesNeeded(maxAttempts, maxMessages)`
   * so SQS never moves a message the consumer has not tried that often.
   */
  readonly maxAttempts: number;
  /** Visibility of a message while it is worked on; renewed every half of it while the handler runs. */
  readonly visibilityTimeoutMs: number;
  /** Long-poll wait per receive (SQS: at most 20 s). */
  readonly waitTimeMs?: number;
  readonly maxMessages?: number;
  /** How long a failed message stays invisible before its next attempt, by failed attempts so far. */
  readonly retryDelayMs?: (attempt: number) => number;
}

/** What happened to one received message. */
export type ConsumeOutcome =
  | { readonly messageId: string; readonly result: 'acked' }
  | { readonly messageId: string; readonly result: 'retry'; readonly reason: string }
  | { readonly messageId: string; readonly result: 'dead-lettered'; readonly reason: string }
  /** A fatal error: the message was released and the loop stops. */
  | { readonly messageId: string; readonly result: 'halted'; readonly reason: string }
  /** Not attempted because an earlier message of its group failed in the same batch (order kept). */
  | { readonly messageId: string; readonly result: 'deferred' };

/** Thrown out of {@link QueueConsumer.run} for a fatal handler error: the process should halt and alert. */
export class ConsumerHaltedError extends Error {
  override readonly name = 'ConsumerHaltedError';
}

const DEFAULT_WAIT_MS = 20_000;
const POLL_ERROR_BACKOFF_MAX_MS = 30_000;

/** Messages per receive unless configured (the SQS maximum). */
export const DEFAULT_MAX_MESSAGES = 10;
/** Failed attempts before dead-lettering that the deployed queues are sized for (infra/resources/sqs.yml). */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** Default retry delay: 1 s, 2 s, 4 s … capped at 60 s, so a transient outage is not hammered. */
export function defaultRetryDelayMs(attempt: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.max(0, attempt - 1));
}

function describe(error: unknown): string {
  if (isTradingError(error)) return `${error.kind} ${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The one consumer loop for the decision and control queues (application layer: it only needs the
 * FifoQueue port, so it runs the same on SQS and the memory queue). It long-polls; per message it
 * decodes (a body that fails validation is dead-lettered at once with the reason), runs the handler
 * while renewing visibility every half timeout, and deletes the message only after the handler
 * resolved, i.e. after the effect is durable. Failures: `rejected` → dead-letter now; `fatal` →
 * release the message and stop the loop (the executor halts); anything else → retry after a delay,
 * dead-lettered with the last error after `maxAttempts` failed runs.
 *
 * Groups (markets) of one batch run concurrently; messages of one group run in order, and after a
 * failure the rest of that group's batch is released unprocessed so order is never broken. Those
 * releases are not attempts: attempts are counted per message id, never from the receive count.
 */
export class QueueConsumer<T> {
  private readonly waitTimeMs: number;
  private readonly maxMessages: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly attempts = new FailedAttempts();

  constructor(private readonly options: QueueConsumerOptions<T>) {
    this.waitTimeMs = options.waitTimeMs ?? DEFAULT_WAIT_MS;
    this.maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
    this.retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;
  }

  /**
   * Polls until `signal` aborts. Queue errors (network, throttling) are logged and retried with a
   * growing pause; a fatal handler error ends the loop with {@link ConsumerHaltedError}.
   */
  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.pollOnce(signal);
        failures = 0;
      } catch (error) {
        if (error instanceof ConsumerHaltedError) throw error;
        failures += 1;
        const pause = Math.min(POLL_ERROR_BACKOFF_MAX_MS, 500 * 2 ** Math.min(failures, 10));
        this.options.logger.warn('queue poll failed; pausing', { error: describe(error), pauseMs: pause });
        await this.options.clock.sleep(pause, signal).catch(() => undefined);
      }
    }
  }

  /** One long poll and the processing of what it returned; the unit the loop repeats. */
  async pollOnce(signal: AbortSignal = new AbortController().signal): Promise<ConsumeOutcome[]> {
    const messages = await this.options.queue.receive({
      maxMessages: this.maxMessages,
      waitTimeMs: this.waitTimeMs,
      visibilityTimeoutMs: this.options.visibilityTimeoutMs,
      signal,
    });
    const groups = new Map<string, QueueMessage[]>();
    for (const m of messages) groups.set(m.groupId, [...(groups.get(m.groupId) ?? []), m]);
    const perGroup = await Promise.all([...groups.values()].map((group) => this.processGroup(group, signal)));
    const outcomes = perGroup.flat();
    const halted = outcomes.find((o) => o.result === 'halted');
    if (halted?.result === 'halted')
      throw new ConsumerHaltedError(`message ${halted.messageId}: ${halted.reason}`);
    return outcomes;
  }

  private async processGroup(group: readonly QueueMessage[], signal: AbortSignal): Promise<ConsumeOutcome[]> {
    const outcomes: ConsumeOutcome[] = [];
    let blocked = false;
    for (const message of group) {
      if (blocked) {
        // Released at once and not counted as an attempt: its group stays locked by the failed
        // message, which keeps it behind.
        await this.options.queue.extendVisibility(message, 0).catch(() => undefined);
        outcomes.push({ messageId: message.messageId, result: 'deferred' });
        continue;
      }
      const outcome = await this.process(message, signal);
      outcomes.push(outcome);
      blocked = outcome.result === 'retry' || outcome.result === 'halted';
    }
    return outcomes;
  }

  private async process(message: QueueMessage, signal: AbortSignal): Promise<ConsumeOutcome> {
    const log = this.options.logger.child({ messageId: message.messageId, groupId: message.groupId });
    let decoded: DecodeResult<T>;
    try {
      decoded = this.options.decode(message.body);
    } catch (error) {
      // A decoder must return its reason, but one that throws must not make the poll fail forever
      // on the same message: it is poison either way.
      return this.deadLetter(message, `invalid envelope: the decoder failed: ${describe(error)}`, log);
    }
    if (!decoded.ok) return this.deadLetter(message, `invalid envelope: ${decoded.reason}`, log);
    try {
      await this.withHeartbeat(message, log, () =>
        this.options.handle(decoded.message, {
          messageId: message.messageId,
          attempt: this.attempts.count(message.messageId) + 1,
          receiveCount: message.receiveCount,
          signal,
        }),
      );
    } catch (error) {
      return this.failed(message, error, log);
    }
    await this.options.queue.ack(message);
    this.attempts.forget(message.messageId);
    return { messageId: message.messageId, result: 'acked' };
  }

  private async failed(message: QueueMessage, error: unknown, log: Logger): Promise<ConsumeOutcome> {
    const reason = describe(error);
    if (isTradingError(error, 'rejected')) return this.deadLetter(message, `rejected: ${reason}`, log);
    if (isTradingError(error, 'fatal')) {
      log.error('fatal error while handling a message; releasing it and halting', { error: reason });
      await this.options.queue.extendVisibility(message, 0).catch(() => undefined);
      return { messageId: message.messageId, result: 'halted', reason };
    }
    const attempt = this.attempts.record(message.messageId);
    if (attempt >= this.options.maxAttempts)
      return this.deadLetter(message, `failed ${attempt} attempts; last error: ${reason}`, log);
    const delay = this.retryDelayMs(attempt);
    log.warn('message failed; will retry', {
      error: reason,
      attempt,
      receiveCount: message.receiveCount,
      delayMs: delay,
    });
    await this.options.queue.extendVisibility(message, delay).catch(() => undefined);
    return { messageId: message.messageId, result: 'retry', reason };
  }

  private async deadLetter(message: QueueMessage, reason: string, log: Logger): Promise<ConsumeOutcome> {
    log.error('dead-lettering message', { reason, receiveCount: message.receiveCount });
    await this.options.queue.deadLetter(message, reason);
    this.attempts.forget(message.messageId);
    return { messageId: message.messageId, result: 'dead-lettered', reason };
  }

  /**
   * Runs `work` while renewing the message's visibility every half timeout, so long work keeps it.
   * The renewal runs until the work itself ends, even while the consumer is stopping.
   */
  private async withHeartbeat(message: QueueMessage, log: Logger, work: () => Promise<void>): Promise<void> {
    const stop = new AbortController();
    const every = Math.max(1, Math.floor(this.options.visibilityTimeoutMs / 2));
    const heartbeat = (async () => {
      for (;;) {
        await this.options.clock.sleep(every, stop.signal);
        await this.options.queue
          .extendVisibility(message, this.options.visibilityTimeoutMs)
          .catch((error) => {
            log.warn('could not extend visibility; the message may be delivered again', {
              error: describe(error),
            });
          });
      }
    })().catch(() => undefined);
    try {
      await work();
    } finally {
      stop.abort();
      await heartbeat;
    }
  }
}
