/**
 * Failed handler runs per message id, counted by the consumer itself. SQS's receive count is no
 * measure of attempts on a FIFO queue: a batch can hold several messages of one group, and when the
 * first fails the ones behind it are released unprocessed with their receive count raised anyway.
 * Counting by message id (stable across redeliveries) means only real attempts lead to the DLQ.
 *
 * The count lives in this process: after a restart a message gets its attempts again, and the
 * queue's redrive limit (sized for that, see `redriveReceivesNeeded`) stays the net for a message
 * that crashes the consumer every time. Bounded, oldest entries first out, so messages finished by
 * another consumer or redriven by SQS cannot make it grow without limit.
 */
export class FailedAttempts {
  private readonly counts = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  /** Failed attempts recorded so far for the message. */
  count(messageId: string): number {
    return this.counts.get(messageId) ?? 0;
  }

  /** Records one more failed attempt and returns the new count. */
  record(messageId: string): number {
    const next = this.count(messageId) + 1;
    // Re-inserting moves the id to the end, so eviction drops the messages failed longest ago.
    this.counts.delete(messageId);
    this.counts.set(messageId, next);
    if (this.counts.size > this.capacity) {
      const oldest = this.counts.keys().next().value;
      if (oldest !== undefined) this.counts.delete(oldest);
    }
    return next;
  }

  /** Drops the count once the message is acked or dead-lettered. */
  forget(messageId: string): void {
    this.counts.delete(messageId);
  }

  /** Messages with a recorded failure; for tests and metrics. */
  size(): number {
    return this.counts.size;
  }
}

/**
 * The smallest redrive `maxReceiveCount` that never dead-letters a message the consumer has not given
 * its attempts: besides its own `maxAttempts` receives, a message can be received unprocessed once
 * per failed attempt of each of the (at most `maxMessages - 1`) messages of its group ahead of it in
 * a batch.
 */
export function redriveReceivesNeeded(maxAttempts: number, maxMessages: number): number {
  return maxAttempts * maxMessages;
}
