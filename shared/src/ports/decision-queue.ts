/** One received message; `receiptHandle` is needed to ack, extend or dead-letter it. */
export interface QueueMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly groupId: string;
  readonly dedupId: string;
  /** How many times this message has been received, this time included (SQS ApproximateReceiveCount). */
  readonly receiveCount: number;
  /** Set on messages in a dead-letter queue that were moved there by `deadLetter`: why they can never succeed. */
  readonly deadLetterReason?: string;
}

/** Options for receiving. */
export interface ReceiveOptions {
  readonly maxMessages: number;
  /** Long-poll up to this long when the queue is empty (SQS: at most 20 s). */
  readonly waitTimeMs: number;
  /** How long received messages stay invisible to other consumers. */
  readonly visibilityTimeoutMs?: number;
  /** Ends a waiting long poll early with no messages (graceful shutdown must not wait 20 s). */
  readonly signal?: AbortSignal;
}

/**
 * A FIFO queue (SQS FIFO in the cloud): ordered per `groupId` (one group per market, so markets do
 * not block each other), deduplicated by `dedupId` (the decision id) within the dedup window.
 * Bodies are strings so a consumer sees malformed messages and can dead-letter them instead of
 * failing to decode inside the adapter. Used for both the decision queue and the control queue.
 *
 * Delivery is at-least-once: a message not acked before its visibility timeout comes back with a
 * higher `receiveCount`; after the configured maximum it moves to the dead-letter queue.
 */
export interface FifoQueue {
  send(
    body: string,
    options: { readonly groupId: string; readonly dedupId: string },
  ): Promise<{ messageId: string }>;
  receive(options: ReceiveOptions): Promise<QueueMessage[]>;
  /** Deletes the message; call only after its effect is durable. */
  ack(message: QueueMessage): Promise<void>;
  /** Keeps a message invisible for longer while slow work on it continues. */
  extendVisibility(message: QueueMessage, visibilityTimeoutMs: number): Promise<void>;
  /** Moves a message that can never succeed to the dead-letter queue with the reason, and deletes it here. */
  deadLetter(message: QueueMessage, reason: string): Promise<void>;
}
